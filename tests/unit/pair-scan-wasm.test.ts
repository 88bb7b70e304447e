import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../helpers/volumes';
import { permutationBatch, planPermutations } from '../../src/analysis/group/permutations';
import { PermutedT, type SupraSink } from '../../src/compute/cpu/permuted-t';
import { PairScan, useWasmScans } from '../../src/compute/cpu/wasm/pair-scan';
import type { GroupStack } from '../../src/compute/permutation';

/** Every voxel a scan hands over, in order, with its t's bits. */
class Recorder implements SupraSink {
  got: number[] = [];
  begin(): void {
    this.got = [];
  }
  add(j: number, t: number): void {
    this.got.push(j, t);
  }
}

/** The same, taking a scan's voxels at once where the scan hands them so. */
class ManyRecorder extends Recorder {
  addMany(index: Int32Array, t: Float32Array, count: number): void {
    for (let k = 0; k < count; k++) this.add(index[k]!, t[k]!);
  }
}

/**
 * A stack of n subjects' differences at m voxels with what can go wrong in a scan: voxels of zero
 * variance (all equal, all 0, equal magnitudes of either sign), near-ties with the threshold, and a
 * wide range of scales.
 */
function stack(n: number, m: number, seed: number): GroupStack {
  const rnd = mulberry32(seed);
  const values = new Float32Array(n * m);
  for (let v = 0; v < m; v++) {
    const kind = Math.floor(rnd() * 10);
    const scale = 10 ** Math.floor(rnd() * 6 - 3);
    const shift = (rnd() - 0.3) * 3;
    for (let i = 0; i < n; i++) {
      let x: number;
      if (kind === 0) x = 1.5;
      else if (kind === 1) x = 0;
      else if (kind === 2) x = rnd() < 0.5 ? -2 : 2;
      else x = (shift + (rnd() - 0.5) * 2) * scale;
      values[i * m + v] = x;
    }
  }
  return { subjects: n, voxels: m, values };
}

/** Every pair scan of a plan's first `rows` rows, each p's and mirror's maxima and voxels. */
function scans(s: GroupStack, rows: number, threshold: number, seed: number, many = false): unknown[] {
  const plan = planPermutations(s.subjects, null, s.subjects <= 12 ? 'all' : rows, seed);
  const batch = permutationBatch(plan, 0, Math.min(rows, plan.count));
  const pt = new PermutedT(s, batch);
  const sink = many ? new ManyRecorder() : new Recorder();
  const mirror = many ? new ManyRecorder() : new Recorder();
  const out: unknown[] = [];
  for (let p = 0; p < batch.count; p++) {
    const best = pt.scanPair(p, threshold, sink, mirror);
    out.push([best, pt.mirrorBest, sink.got, mirror.got]);
  }
  return out;
}

describe('the pair scan in WebAssembly', () => {
  afterEach(() => useWasmScans(true));

  it('runs here (Node has 128-bit SIMD), so the comparisons below compare two loops', () => {
    expect(PairScan.create(new Float64Array(10))).not.toBeNull();
    useWasmScans(false);
    expect(PairScan.create(new Float64Array(10))).toBeNull();
  });

  // Sizes about a multiple of four (the kernel's four lanes and its tail), thresholds from below the
  // data to above it, Gray codes (exhaustive plans) and random rows (fresh sums each).
  const cases: [number, number, number][] = [
    [2, 1, 0.5],
    [2, 9, 0.5],
    [3, 3, 2.3],
    [4, 4, 1],
    [5, 5, 3.1],
    [6, 7, 0.01],
    [8, 257, 2.5],
    [10, 1023, 2.78],
    [11, 4099, 4],
    [14, 1000, 2],
    [20, 333, 1e6],
  ];
  it.each(cases)('%i subjects, %i voxels, threshold %f: the same bits as the JavaScript loop', (n, m, u) => {
    let found = 0;
    for (let seed = 1; seed <= 3; seed++) {
      const s = stack(n, m, seed * 7919 + n);
      const rows = n <= 12 ? 2 ** (n - 1) : 200;
      // Voxels handed one by one, and at once.
      const wasm = scans(s, rows, u, seed);
      const wasmMany = scans(s, rows, u, seed, true);
      useWasmScans(false);
      const js = scans(s, rows, u, seed);
      useWasmScans(true);
      expect(wasm).toEqual(js);
      expect(wasmMany).toEqual(js);
      for (const r of js) found += (r as number[][])[2]!.length;
    }
    // Not two empty lists compared: voxels were found unless the threshold is out of reach.
    expect(found > 0).toBe(u < 1e6);
  });

  it('is built from the committed .wat (scripts/build-wasm.mjs --check)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
