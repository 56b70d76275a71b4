#!/bin/sh
# Install what the tests need from Debian's packages: Chromium (accessibility checks and
# screenshots), a Java runtime (the Nu HTML Checker) and Hugo (the benchmark's comparison, whose
# converter a test builds). Does nothing if all are there.
set -e
need=""
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v java >/dev/null 2>&1 || need="$need default-jre-headless"
command -v hugo >/dev/null 2>&1 || need="$need hugo"
[ -z "$need" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Installing from Debian's packages:$need"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
