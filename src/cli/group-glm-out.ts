import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fslTexts } from '../analysis/glm/fsl';
import { glmPermutationRow } from '../analysis/glm/permutations';
import type { GlmResult, GlmTestResult } from '../analysis/glm/run';
import { scatter } from '../analysis/group/inference';
import { writeNifti1, type Volume } from '../nifti';
import { INTENT_TTEST } from '../nifti/intent';

/** NIfTI's F statistic intent (nifti1.h NIFTI_INTENT_FTEST), p1 and p2 its dfs. */
const INTENT_FTEST = 4;

/** One contrast's or F-test's written files, randomise's names (null where not made). */
export interface GlmFiles {
  readonly stat: string;
  readonly vox_corrp: string;
  readonly clustere_corrp: string;
  readonly clusterm_corrp: string;
  /** The raw TFCE map (of t, or of z from F), randomise's _tfce_tstatN. */
  readonly tfce: string | null;
  readonly tfce_corrp: string | null;
  readonly vox_p: string | null;
  readonly permutations: string | null;
}

export interface GlmOutputFiles {
  readonly design: {
    readonly mat: string;
    readonly con: string;
    readonly fts: string | null;
    readonly grp: string | null;
  };
  /** In the result's test order. */
  readonly tests: GlmFiles[];
}

/** The test's randomise suffix: tstatN or fstatN. */
export function statName(t: Pick<GlmTestResult, 'kind' | 'index'>): string {
  return `${t.kind === 't' ? 't' : 'f'}stat${t.index}`;
}

function volumeOf(
  template: Volume,
  data: Float32Array,
  intent: { code: number; p1: number; p2: number },
  description: string,
): Volume {
  return {
    ...template,
    data,
    intent: { ...template.intent, code: intent.code, kind: '', name: '', p1: intent.p1, p2: intent.p2, p3: 0 },
    description,
    frames: 1,
    frame: 0,
  };
}

/** Writes PREFIX_design.mat/.con/.fts/.grp and each test's maps (and permutations when asked). */
export function writeGlmOutputs(
  prefix: string,
  r: GlmResult,
  template: Volume,
  savePermutations: boolean,
): GlmOutputFiles {
  const size = template.dims[0] * template.dims[1] * template.dims[2];
  const texts = fslTexts(r.model);
  const design = {
    mat: `${prefix}_design.mat`,
    con: `${prefix}_design.con`,
    fts: texts.fts === null ? null : `${prefix}_design.fts`,
    grp: texts.grp === null ? null : `${prefix}_design.grp`,
  };
  writeFileSync(design.mat, texts.mat);
  writeFileSync(design.con, texts.con);
  if (design.fts) writeFileSync(design.fts, texts.fts!);
  if (design.grp) writeFileSync(design.grp, texts.grp!);
  const tests = r.tests.map((t) => {
    const name = statName(t);
    const write = (kind: string, values: Float32Array, intent = { code: 0, p1: 0, p2: 0 }): string => {
      const path = `${prefix}_${kind}${kind ? '_' : ''}${name}.nii.gz`;
      writeFileSync(
        path,
        gzipSync(
          writeNifti1(
            volumeOf(template, scatter(values, r.voxelIndex, size), intent, `siglens group ${kind || 'stat'} ${name}`),
          ),
        ),
      );
      return path;
    };
    const intent =
      t.kind === 't' ? { code: INTENT_TTEST, p1: t.df, p2: 0 } : { code: INTENT_FTEST, p1: t.df1, p2: t.df };
    const files: GlmFiles = {
      stat: write('', t.maps.stat, intent),
      vox_corrp: write('vox_corrp', t.maps.vox_corrp),
      clustere_corrp: write('clustere_corrp', t.maps.clustere_corrp),
      clusterm_corrp: write('clusterm_corrp', t.maps.clusterm_corrp),
      tfce: t.maps.tfce ? write('tfce', t.maps.tfce) : null,
      tfce_corrp: t.maps.tfce_corrp ? write('tfce_corrp', t.maps.tfce_corrp) : null,
      vox_p: t.maps.vox_p ? write('vox_p', t.maps.vox_p) : null,
      permutations: savePermutations ? writePermutations(`${prefix}_perm_${name}.txt`, t) : null,
    };
    return files;
  });
  return { design, tests };
}

/** randomise -P: one line per permutation in the order run, the 1-based row of E each row receives (or the signs). */
function writePermutations(path: string, t: GlmTestResult): string {
  const plan = t.plan;
  const row = new Int32Array(plan.rows);
  const lines: string[] = [];
  for (let p = 0; p < plan.count; p++) {
    glmPermutationRow(plan, p, row);
    lines.push(Array.from(row, (x) => (plan.kind === 'sign-flip' ? String(x) : String(x + 1))).join(' '));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
