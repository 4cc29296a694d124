#!/usr/bin/env bash
# Set up policykg with its test dependencies and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh test
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = "5" ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$rc"
