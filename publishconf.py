"""Production settings: pelicanconf.py plus the public address of the site.

SITEURL comes from one place: the SITEURL environment variable if set (the deploy workflow sets it
to the GitHub Pages address), else the value below. A fork changes only this line, or the variable.
"""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F401,F403

# An empty variable counts as unset: a production build with root-relative links would break on a project address.
SITEURL = (os.environ.get("SITEURL") or "https://www.example.org/commissioning").rstrip("/")
RELATIVE_URLS = False
