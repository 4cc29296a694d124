#!/usr/bin/env bash
# Set up policykg and build the bundled seed documents into ./policykg-out/
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
.venv/bin/policykg build "$@"
