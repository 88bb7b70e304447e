import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHADER_NAMES, type ShaderSources } from '../compute/gpu/shaders';

const SHADER_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../shaders');
/** Debian's chromium ships SwiftShader's Vulkan driver; Dawn finds it through this file. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export async function nodeShaderSources(): Promise<ShaderSources> {
  return Object.fromEntries(SHADER_NAMES.map((n) => [n, readFileSync(join(SHADER_DIR, `${n}.wgsl`), 'utf8')]));
}

let cached: GPU | undefined | null = null;
/** The `webgpu` package is an optional dependency: an install may leave it out (npm install --omit=optional). */
let packageMissing = false;

/** Whether WebGPU failed because the `webgpu` package is not installed (rather than finding no adapter). */
export function webgpuPackageMissing(): boolean {
  return packageMissing;
}

/** WebGPU in Node through Dawn (the `webgpu` package), or undefined when it cannot load. */
export async function nodeGpu(): Promise<GPU | undefined> {
  if (cached !== null) return cached;
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  // The Vulkan loader complains on stderr when this is unset (a bare shell, CI): give it a private folder.
  if (!process.env.XDG_RUNTIME_DIR) process.env.XDG_RUNTIME_DIR = mkdtempSync(join(tmpdir(), 'siglens-xdg-'));
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    cached = create([]);
  } catch (e) {
    packageMissing = (e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    cached = undefined;
  }
  return cached;
}
