// Loaded into the page by tests/e2e/gpu-in-chromium.test.ts: the permutation passes on the page's
// own WebGPU (the WGSL bundled by Vite) against the CPU engine in the page, on one small study.
import { CpuEngine } from '../../../src/compute/cpu/engine';
import { GpuEngine } from '../../../src/compute/gpu/engine';
import { chooseEngine } from '../../../src/compute/select';
import { browserShaderSources } from '../../../src/compute/gpu/shaders.browser';
import { signFlips, syntheticStudy } from '../../helpers/permutation-study';

export interface PermutationComparison {
  adapter: string;
  permutations: number;
  clustered: number;
  worstT: number;
  worstMaxT: number;
  /** Permutations whose extent or mass differ while no voxel of theirs sits at a float tie of t_u. */
  clusterMismatches: number[];
  worstTfce: number;
}

async function compare(): Promise<PermutationComparison> {
  const cpu = new CpuEngine();
  const engine = (await chooseEngine('gpu', navigator.gpu, browserShaderSources)).engine;
  if (!(engine instanceof GpuEngine)) throw new Error('no WebGPU engine in the page');
  const { stack, geometry } = syntheticStudy(7, [9, 8, 7], 8, 1.2);
  const batch = signFlips(8, 64, 3);
  const clusters = { threshold: 2.3, twoSided: true, connectivity: 26 } as const;
  const tfce = { step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: true } as const;
  const V = stack.voxels;
  const [tc, tg] = [await cpu.permutedT(stack, batch), await engine.permutedT(stack, batch)];
  const [mc, mg] = [
    await cpu.permutationMaxima(stack, batch, geometry, clusters, tfce),
    await engine.permutationMaxima(stack, batch, geometry, clusters, tfce),
  ];
  engine.dispose();
  const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));
  const u = Math.fround(clusters.threshold);
  const side = (x: number): number => (x >= u ? 1 : x <= -u ? -1 : 0);
  const out: PermutationComparison = {
    adapter: engine.description,
    permutations: batch.count,
    clustered: 0,
    worstT: 0,
    worstMaxT: 0,
    clusterMismatches: [],
    worstTfce: 0,
  };
  for (let i = 0; i < tc.length; i++) out.worstT = Math.max(out.worstT, rel(tg[i]!, tc[i]!));
  for (let p = 0; p < batch.count; p++) {
    out.worstMaxT = Math.max(out.worstMaxT, rel(mg.maxT[p]!, mc.maxT[p]!));
    out.worstTfce = Math.max(out.worstTfce, rel(mg.maxTfce![p]!, mc.maxTfce![p]!));
    if (mc.maxExtent[p]! > 0) out.clustered++;
    let tie = false;
    for (let v = p * V; v < (p + 1) * V; v++) if (side(tc[v]!) !== side(tg[v]!)) tie = true;
    if (!tie && (mg.maxExtent[p] !== mc.maxExtent[p] || rel(mg.maxMass[p]!, mc.maxMass[p]!) > 1e-5))
      out.clusterMismatches.push(p);
  }
  return out;
}

(window as unknown as { gpuPermutations: typeof compare }).gpuPermutations = compare;
