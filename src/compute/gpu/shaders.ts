/** The WGSL files (shaders/*.wgsl), by name without extension; the page and Node load them differently. */
export type ShaderSources = Readonly<Record<string, string>>;

export const SHADER_NAMES = [
  'lib/threshold',
  'lib/union-find',
  'label-init',
  'label-merge',
  'label-flatten',
  'resample',
  'pattern-sums',
  'perm-t',
  'perm-max',
  'glm-stat',
  'lib/perm-labels',
  'cluster-init',
  'cluster-merge',
  'cluster-size',
  'cluster-max',
  'tfce-merge',
  'tfce-count',
  'tfce-add',
] as const;
export type ShaderName = (typeof SHADER_NAMES)[number];

/** A pass's source with the library it uses in front (WGSL has no includes). */
export function shaderCode(sources: ShaderSources, name: ShaderName): string {
  const get = (n: string): string => {
    const code = sources[n];
    if (code === undefined) throw new Error(`shader ${n}.wgsl is missing`);
    return code;
  };
  if (name.startsWith('label-')) return `${get('lib/threshold')}\n${get('lib/union-find')}\n${get(name)}`;
  // The per-permutation labellings: their bindings, then the same union-find.
  if (name.startsWith('cluster-') || name.startsWith('tfce-'))
    return `${get('lib/perm-labels')}\n${get('lib/union-find')}\n${get(name)}`;
  return get(name);
}

/** The compute pipeline of one pass (entry point `main`), with its own or an 'auto' layout. */
export function computePipeline(
  device: GPUDevice,
  sources: ShaderSources,
  name: ShaderName,
  layout: GPUPipelineLayout | 'auto' = 'auto',
): GPUComputePipeline {
  return device.createComputePipeline({
    label: name,
    layout,
    compute: {
      module: device.createShaderModule({ label: name, code: shaderCode(sources, name) }),
      entryPoint: 'main',
    },
  });
}
