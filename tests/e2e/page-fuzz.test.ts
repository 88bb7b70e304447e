import { describe, expect, inject, it } from 'vitest';
import { HAS_SHARED, real, SHARED_MISSING } from '../helpers/shared';
import { openPage, screenshot, useBrowser } from './browser';
import { clusters, openMaps, steadyPanes } from './page';
import { damagedFiles, dropEach } from './page-fuzz';

const FILES = 300;

// How long the main thread is held while the files arrive is a timing: it is bench figure B8
// (bench/page-fuzz-bench.ts, `npm run bench -- b8`), not an assertion that a busy machine could fail.
describe.skipIf(!HAS_SHARED)(
  `the page under ${FILES} damaged files (${HAS_SHARED ? 'present' : SHARED_MISSING})`,
  () => {
    const browser = useBrowser();

    it(`each of ${FILES} mutated NIfTI files dropped after a good map shows an error or loads; the good map and its table stay`, async () => {
      const files = damagedFiles(FILES);
      const { page, errors } = await openPage(browser, inject('baseUrl'));
      await openMaps(page, [real('MNI152_T1_2mm.nii.gz'), real('spmMotor.nii.gz')]);
      const before = await clusters(page, 'spmMotor.nii.gz');
      await steadyPanes(page);
      const run = await dropEach(page, files, 'spmMotor.nii.gz');
      const loaded = run.outcomes.filter((o) => o.state === 'ready').length;
      const refused = run.outcomes.filter((o) => o.state === 'error' && !!o.error && o.error.length > 10).length;
      console.log(
        `${FILES} files: ${loaded} loaded, ${refused} refused with a message; longest task ${Math.max(0, ...run.tasks).toFixed(0)} ms (${run.tasks.length} over 50 ms; bench B8 holds the target)`,
      );
      expect(loaded + refused).toBe(FILES);
      expect(loaded).toBeGreaterThan(0);
      expect(refused).toBeGreaterThan(0);
      expect(run.lostGood).toBe(0);
      expect(run.shown).toBe('spmMotor.nii.gz');
      expect(run.maps).toEqual(['MNI152_T1_2mm.nii.gz', 'spmMotor.nii.gz']);
      expect(await clusters(page, 'spmMotor.nii.gz')).toEqual(before);
      await screenshot(page, 'page-fuzz-after');
      expect(errors).toEqual([]);
    });
  },
);
