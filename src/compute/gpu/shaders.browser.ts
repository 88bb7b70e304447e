import type { ShaderSources } from './shaders';

/** The WGSL files bundled by Vite as text (the page's way; Node reads them from disk). */
const files = import.meta.glob('../../../shaders/**/*.wgsl', {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

export async function browserShaderSources(): Promise<ShaderSources> {
  return Object.fromEntries(
    Object.entries(files).map(([path, code]) => [path.replace(/^.*\/shaders\//, '').replace(/\.wgsl$/, ''), code]),
  );
}
