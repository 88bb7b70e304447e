import { execFileSync } from 'node:child_process';

/** Debian's python3, which has python3-nibabel and python3-scipy (scripts/test.sh installs them). */
export const PYTHON = '/usr/bin/python3';

/** Runs a reference script and parses its JSON output. */
export function runPython<T>(script: string, args: string[]): T {
  const out = execFileSync(PYTHON, [script, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONWARNINGS: 'ignore', OPENBLAS_NUM_THREADS: '1' },
  });
  return JSON.parse(out) as T;
}
