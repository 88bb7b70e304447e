// Assembles src/compute/cpu/wasm/*.wat (WebAssembly text, the source) into a TypeScript module of
// its bytes beside it (NAME-bytes.ts, base64), which the page's bundle, the command's and the tests
// import as they are: no loader, plugin or fetch for a module of a few hundred bytes. Run after an
// edit of a .wat; tests/unit/wasm-bytes.test.ts fails while a committed module is stale.
// `node scripts/build-wasm.mjs --check` writes nothing and exits 1 when a module would change.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

const dir = fileURLToPath(new URL('../src/compute/cpu/wasm/', import.meta.url));

/** The TypeScript module of one .wat's bytes. */
export async function wasmModuleText(watPath) {
  const wabt = await wabtInit();
  const name = watPath.split('/').pop();
  const mod = wabt.parseWat(name, readFileSync(watPath, 'utf8'), { simd: true });
  try {
    mod.validate();
    const { buffer } = mod.toBinary({});
    const b64 = Buffer.from(buffer).toString('base64');
    const lines = b64.match(/.{1,96}/g) ?? [];
    return `// Generated from ${name} by scripts/build-wasm.mjs: edit the .wat and run it again.\nexport const WASM_BASE64 =\n${lines.map((l) => `  '${l}'`).join(' +\n')};\n`;
  } finally {
    mod.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
    const out = `${dir}${f.replace(/\.wat$/, '-bytes.ts')}`;
    const text = await wasmModuleText(`${dir}${f}`);
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {}
    if (old === text) continue;
    stale++;
    if (check) console.error(`${out} is stale: run node scripts/build-wasm.mjs`);
    else writeFileSync(out, text);
  }
  if (check && stale) process.exit(1);
}
