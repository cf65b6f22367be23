#!/usr/bin/env bash
# Debian's Chromium, from Debian's archive: the summary page's browser test opens the page in it.
# Nothing to do when it is already there; otherwise apt-get (as root, or through sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
"${sudo[@]}" apt-get update
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends chromium
