import { BERRY_2021_SPHERES, sphereMeans, type Sphere } from '../analysis/roi';
import { parseOptions, UsageError, type OptionSpec } from './args';
import type { CommandSpec } from './command';
import { cpuOnlyEngine } from './engine-mode';
import { readNiftiFile } from './files';

export const ROI_USAGE =
  'roi FILE... [--sphere x,y,z,r[,name]]...   (no sphere: the three Berry et al. 2021 peaks, r = 2 mm)';

export function parseSphere(spec: string): Sphere {
  const parts = spec.split(',');
  const nums = parts.slice(0, 4).map(Number);
  if (parts.length < 4 || nums.some((n) => !Number.isFinite(n)) || nums[3]! <= 0) {
    throw new UsageError(`--sphere ${spec}: expected x,y,z,r[,name] in mm with r > 0`);
  }
  const name = parts.slice(4).join(',') || `sphere (${nums.slice(0, 3).join(', ')})`;
  return { name, center: [nums[0]!, nums[1]!, nums[2]!], radiusMm: nums[3]! };
}

export async function roiCommand(argv: string[]): Promise<{ doc: unknown; text: string }> {
  const p = parseOptions(argv, ROI_OPTIONS);
  const engine = cpuOnlyEngine(p, 'roi');
  if (p.positionals.length < 1) throw new UsageError(`usage: siglens ${ROI_USAGE}`);
  const spheres = p.flags.get('sphere')?.map(parseSphere) ?? [...BERRY_2021_SPHERES];
  const results = [];
  for (const f of p.positionals) {
    const img = await readNiftiFile(f);
    const rois = sphereMeans({ data: img.frame(0), dims: img.dims, affine: Array.from(img.affine) }, spheres);
    results.push({ file: img.name, rois });
  }
  const text = results
    .flatMap((r) =>
      r.rois.map(
        (o) =>
          `${r.file}\t${o.name}\t(${o.center.join(', ')}) r=${o.radiusMm}\t${o.voxels} voxels\tmean ${o.mean ?? 'null'}`,
      ),
    )
    .join('\n');
  return { doc: { results, engine }, text };
}

export const ROI_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'sphere',
    value: 'x,y,z,r[,name]',
    help: 'a sphere in MNI mm (repeatable); none: the three Berry et al. 2021 peaks, r = 2 mm',
  },
];

export const ROI_COMMAND: CommandSpec = {
  name: 'roi',
  usage: ROI_USAGE,
  summary: 'The mean of each map in spheres (voxel centres within the radius, NaN skipped), with the voxel count.',
  options: ROI_OPTIONS,
  run: roiCommand,
};
