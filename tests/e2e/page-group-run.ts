import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { GroupSummary } from '../../src/app/group/group-session';
import { REPO } from '../helpers/shared';

// The page's group run of the sample subjects with TFCE, shared by tests/e2e/group-tfce-run.test.ts (what it
// gives, against the command) and bench/page-group-bench.ts (how long it takes: a timing, so a bench figure).

export const SUBJECTS = join(REPO, 'sample-data/subjects');
export const SUBJECT_FILES = readdirSync(SUBJECTS).map((f) => join(SUBJECTS, f));
export const SUBJECT_MAPS = SUBJECT_FILES.filter((f) => f.endsWith('.nii.gz'));

/** The page run: 1,000 seeded random sign flips of the 14 pairs, TFCE with its defaults. */
export const PAGE_GROUP_PERMUTATIONS = 1000;
export const PAGE_GROUP_SEED = 11;

/** The same run as the command: `siglens group` arguments (add --threads, --json as wanted). */
export const commandArgs = (permutations = PAGE_GROUP_PERMUTATIONS, seed = PAGE_GROUP_SEED): string[] => [
  'group',
  ...SUBJECT_MAPS,
  '--design',
  'paired',
  '--permutations',
  String(permutations),
  '--seed',
  String(seed),
  '--tfce',
];

export interface PageGroupRun {
  readonly summary: GroupSummary;
  /** From the click on Run to the result's statistics in the panel, as the user waits. */
  readonly wallSeconds: number;
}

/** Chooses the sample folder's files in the Group panel of an open page, runs the paired test with TFCE and waits for it. */
export async function runPageGroup(
  page: Page,
  permutations = PAGE_GROUP_PERMUTATIONS,
  seed = PAGE_GROUP_SEED,
): Promise<PageGroupRun> {
  const panel = page.locator('sl-group-panel');
  await panel.locator('#group-files').setInputFiles(SUBJECT_FILES);
  const set = async (id: string, value: string): Promise<void> => {
    await panel.locator(id).fill(value);
    await panel.locator(id).press('Enter');
  };
  await set('#group-permutations', String(permutations));
  await set('#group-seed', String(seed));
  const tfce = panel.locator('#group-tfce');
  if (!(await tfce.isChecked())) await tfce.check();
  const t0 = Date.now();
  await panel.locator('#group-run').click();
  await panel.locator('#group-stats').waitFor({ timeout: 600_000 });
  const wallSeconds = (Date.now() - t0) / 1000;
  const summary = await panel.evaluate((el) => (el as unknown as { summary: GroupSummary }).summary);
  return { summary, wallSeconds };
}
