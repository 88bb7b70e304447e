#!/usr/bin/env bash
# The whole test suite: type check, unit + GPU (Dawn on SwiftShader) + end-to-end (headless Chromium).
# On a fresh machine, as root, it installs what the tests need from Debian first.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ] || ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1' || need+=(libvulkan1)
/usr/bin/python3 -c 'import nibabel, scipy' 2>/dev/null || need+=(python3-nibabel python3-scipy)
/usr/bin/python3 -c 'import statsmodels' 2>/dev/null || need+=(python3-statsmodels)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test.sh: missing ${need[*]}; run as root or install them (apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

# Dawn (the webgpu package) finds SwiftShader's Vulkan driver that Debian's chromium ships.
export VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-/usr/lib/chromium/vk_swiftshader_icd.json}

# The bundled command (bin/siglens.mjs runs it while it is newer than the sources): the tests run what users run.
node scripts/build-cli.mjs
# Then the static site, once for the tests that use it (tests/e2e/site.test.ts): after the command's
# bundle, so they also show that the site's build leaves the bundle alone.
npm run build --silent >/dev/null

echo "test.sh: type check"
npx tsc --noEmit -p tsconfig.json

# Biome (biome.json): the format check, the lint rules, import cycles and the layer rules. Any finding fails the
# run, after the tests have run too, so one run shows both.
echo "test.sh: lint"
status=0
npm run lint --silent || { echo "test.sh: lint found problems (npm run lint; npx biome check --write . fixes the formatting)" >&2; status=1; }

mkdir -p .test-results
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json || status=$?
node scripts/summarize-tests.mjs .test-results/vitest.json || status=1
exit $status
