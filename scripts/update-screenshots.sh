#!/usr/bin/env bash
# Copies the screenshots the docs use (every file in docs/screenshots/) from the last end-to-end run, which writes
# them under test-results/screenshots/ (ignored by git): the tests never write into a tracked folder.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=0
for doc in docs/screenshots/*.png; do
  name=$(basename "$doc")
  if [ -f "test-results/screenshots/$name" ]; then
    cp "test-results/screenshots/$name" "$doc"
  else
    echo "update-screenshots: test-results/screenshots/$name is missing (grep -rn \"'${name%.png}'\" tests/e2e names the test that takes it)" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] && echo "docs/screenshots updated from the end-to-end run"
exit $missing
