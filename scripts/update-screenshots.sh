#!/usr/bin/env bash
# Copies the README's screenshots from the last end-to-end run (test-results/screenshots/) into docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/screenshots
for f in demo-step-3 demo-step-6 viewer-spmMotor viewer-compare report; do
  cp "test-results/screenshots/$f.png" "docs/screenshots/$f.png"
done
echo "docs/screenshots updated from the end-to-end run"
