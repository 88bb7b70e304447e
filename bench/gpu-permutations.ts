// The GPU permutation passes against the CPU twin on one synthetic study, for a machine with a real
// GPU (this session had none: SwiftShader's figures say nothing about hardware). Run:
//   npx tsx bench/gpu-permutations.ts [voxels-per-side=60] [subjects=10] [permutations=1024] [--tfce]
// It prints the adapter, each engine's time for the same batch (median of 3), their ratio, and
// whether the maxima agree (max t within 1e-5, extents equal).
import { CpuEngine } from '../src/compute/cpu/engine';
import { GpuEngine } from '../src/compute/gpu/engine';
import { nodeGpu, nodeShaderSources } from '../src/cli/node-gpu';
import type { PermutationEngine } from '../src/compute/permutation';
import { signFlips, syntheticStudy } from '../tests/helpers/permutation-study';

async function main(): Promise<void> {
  const [side = 60, subjects = 10, count = 1024] = process.argv.slice(2).filter((a) => !a.startsWith('--')).map(Number);
  const withTfce = process.argv.includes('--tfce');
  const adapter = await (await nodeGpu())?.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter');
  const gpu = await GpuEngine.create(adapter, await nodeShaderSources());
  const cpu = new CpuEngine();
  const { stack, geometry } = syntheticStudy(1, [side, side, Math.round(side * 0.85)], subjects, 0.8);
  const batch = signFlips(subjects, count, 9);
  const clusters = { threshold: 3.25, twoSided: false, connectivity: 26 } as const;
  const tfce = withTfce ? ({ step: 0.1, E: 0.5, H: 2, connectivity: 6, twoSided: false } as const) : null;
  console.log(`${gpu.description}; ${stack.voxels} voxels, ${subjects} subjects, ${count} sign flips, clusters 26-connected${tfce ? ', TFCE' : ''}`);
  const time = async (e: PermutationEngine) => {
    const runs: number[] = [];
    let last = await e.permutationMaxima(stack, batch, geometry, clusters, tfce);
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      last = await e.permutationMaxima(stack, batch, geometry, clusters, tfce);
      runs.push(performance.now() - t0);
    }
    return { ms: runs.sort((a, b) => a - b)[1]!, runs, last };
  };
  const g = await time(gpu);
  const c = await time(cpu);
  const agree = g.last.maxT.every((x, p) => Math.abs(x - c.last.maxT[p]!) <= 1e-5 * Math.max(1, Math.abs(x))) && g.last.maxExtent.every((x, p) => x === c.last.maxExtent[p]);
  console.log(`GPU ${g.ms.toFixed(0)} ms (runs ${g.runs.map((r) => r.toFixed(0)).join(', ')}), CPU ${c.ms.toFixed(0)} ms (runs ${c.runs.map((r) => r.toFixed(0)).join(', ')}): CPU / GPU = ${(c.ms / g.ms).toFixed(1)}; maxima agree: ${agree}`);
  gpu.dispose();
}

await main();
