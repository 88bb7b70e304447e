// Loaded into the page by tests/e2e/gpu-in-chromium.test.ts: runs both engines on real maps in Chromium.
import { readNifti } from '../../../src/nifti';
import { CpuEngine } from '../../../src/compute/cpu/engine';
import { chooseEngine } from '../../../src/compute/select';
import { browserShaderSources } from '../../../src/compute/gpu/shaders.browser';
import { clusterTable, type ClusterTable } from '../../../src/analysis/clusters';
import { responseOf, signatureSums } from '../../../src/analysis/signature';

export interface Comparison {
  adapter: string;
  tables: {
    map: string;
    connectivity: number;
    twoSided: boolean;
    clusters: number;
    sameTable: boolean;
    sameLabels: boolean;
  }[];
  signatures: { map: string; cpu: number[]; gpu: number[]; cpuVoxels: number; gpuVoxels: number }[];
}

async function load(shared: string, path: string) {
  const bytes = new Uint8Array(await (await fetch(`${shared}/${path}`)).arrayBuffer());
  const img = await readNifti(bytes, { name: path });
  return {
    name: path,
    data: img.frame(0),
    dims: img.dims,
    affine: Array.from(img.affine),
    pixdim: [1, 2, 3].map((i) => img.header.pixdim[i]!),
  };
}

async function compare(shared: string): Promise<Comparison> {
  const cpu = new CpuEngine();
  const gpu = (await chooseEngine('gpu', navigator.gpu, browserShaderSources)).engine;
  const out: Comparison = { adapter: gpu.description, tables: [], signatures: [] };
  const maps = [
    await load(shared, 'real/spmMotor.nii.gz'),
    await load(shared, 'real/narps-4735_50GV-hypo1_unthresh.nii.gz'),
  ];
  const strip = (t: ClusterTable): string => JSON.stringify(t.clusters);
  for (const m of maps) {
    for (const connectivity of [6, 26] as const) {
      for (const twoSided of [false, true]) {
        const opts = {
          threshold: 2.3,
          twoSided,
          connectivity,
          extent: { kind: 'none' },
          smoothness: { kind: 'none' },
        } as const;
        const a = await clusterTable(m, opts, cpu);
        const b = await clusterTable(m, opts, gpu);
        out.tables.push({
          map: m.name,
          connectivity,
          twoSided,
          clusters: a.clusters.length,
          sameTable: strip(a) === strip(b),
          sameLabels: a.labels.length === b.labels.length && a.labels.every((v, i) => v === b.labels[i]),
        });
      }
    }
  }
  const weights = await load(shared, 'signatures/nonnoc_v11_4_137subjmap_weighted_mean.nii.gz');
  const named = maps.map((m) => ({ ...m }));
  const sc = await signatureSums(weights, named, 'weights-to-data', cpu);
  const sg = await signatureSums(weights, named, 'weights-to-data', gpu);
  const metrics = ['dot', 'cosine', 'correlation'] as const;
  sc.forEach((s, k) =>
    out.signatures.push({
      map: s.file,
      cpu: metrics.map((m) => responseOf(s, m).value!),
      gpu: metrics.map((m) => responseOf(sg[k]!, m).value!),
      cpuVoxels: s.sums.n,
      gpuVoxels: sg[k]!.sums.n,
    }),
  );
  gpu.dispose();
  return out;
}

(window as unknown as { gpuCompare: typeof compare }).gpuCompare = compare;
