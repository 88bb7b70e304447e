import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The test data beside the checkout (never copied into the repo); SIGLENS_SHARED_DATA names another folder. */
export const SHARED_DATA = resolve(process.env.SIGLENS_SHARED_DATA ?? resolve(REPO, '../shared/data'));
export const HAS_SHARED = existsSync(join(SHARED_DATA, 'README.md'));
/** Under CI a missing corpus fails the run (tests/helpers/require-shared.ts); elsewhere its tests are skipped. */
export const IN_CI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
export const SHARED_MISSING = `../shared/data is absent (expected at ${SHARED_DATA}); tests on the shared corpus are skipped`;

if (!HAS_SHARED) console.warn(SHARED_MISSING);

export const conformance = (f: string): string => join(SHARED_DATA, 'nifti-conformance', f);
export const real = (f: string): string => join(SHARED_DATA, 'real', f);
export const signatures = (f: string): string => join(SHARED_DATA, 'signatures', f);
