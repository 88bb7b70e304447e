import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The test data beside the checkout (never copied into the repo). */
export const SHARED_DATA = resolve(REPO, '../shared/data');
export const HAS_SHARED = existsSync(join(SHARED_DATA, 'README.md'));
export const SHARED_MISSING = `../shared/data is absent (expected at ${SHARED_DATA}); tests on the shared corpus are skipped`;

if (!HAS_SHARED) console.warn(SHARED_MISSING);

export const conformance = (f: string): string => join(SHARED_DATA, 'nifti-conformance', f);
export const real = (f: string): string => join(SHARED_DATA, 'real', f);
export const signatures = (f: string): string => join(SHARED_DATA, 'signatures', f);
