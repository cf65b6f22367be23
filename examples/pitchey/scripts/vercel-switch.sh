#!/usr/bin/env bash
# canary-shift's shift-command for a Vercel blue/green switch: vercel-switch.sh <deployment> <percentage>.
# Vercel serves one production deployment at a time, so there is no split to set: at 0 % green is
# reached at its own deployment URL and production is left alone; at 100 % green is promoted.
set -euo pipefail
deployment=$1
percentage=$2
case "$percentage" in
  0) echo "production unchanged; $deployment is checked at its own URL" ;;
  100) vercel promote "$deployment" --yes ;;
  *) echo "vercel-switch.sh: Vercel serves one deployment, so only 0 and 100 can be set, not $percentage" >&2; exit 2 ;;
esac
