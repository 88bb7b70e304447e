import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './shared';

/** Runs `siglens ...` as a user would: its exit code, stdout and stderr. */
export function siglens(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/siglens.mjs'), ...args], { encoding: 'utf8', cwd: REPO });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `siglens ... --json` as a user would and returns the parsed document. */
export function siglensJson<T>(...args: string[]): T {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/siglens.mjs'), ...args, '--json'], {
    encoding: 'utf8',
    cwd: REPO,
  });
  if (r.status !== 0) throw new Error(`siglens ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
