#!/usr/bin/env bash
# Create .venv (if needed) and install policykg into it.
#   bash tools/setup.sh          # the tool itself
#   bash tools/setup.sh test     # plus what the tests need: test extras, Chromium and a CJK font
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
  if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
    if command -v apt-get >/dev/null 2>&1; then
      echo "installing Debian's chromium and fonts-noto-cjk (browser tests of the HTML views)"
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
      echo "warning: no apt-get: install Chromium and a CJK font yourself for the browser tests" >&2
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
