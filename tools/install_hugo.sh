#!/bin/sh
# Install Hugo from Debian's packages for the benchmark's comparison (bench/hugo_compare.py): the
# same Hugo every Debian 12 machine gets, so the numbers can be repeated. Does nothing if it is there.
set -e
command -v hugo >/dev/null 2>&1 && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
echo "Installing from Debian's packages: hugo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends hugo >/dev/null
