/**
 * The general linear model's public API (../shared/SPEC.md "The general linear model"), DOM-free, for
 * `siglens group`, the page's Group panel and workers:
 * - a model from participants.tsv: `readParticipants(tsv)` then `buildParticipantsModel(table, subjects,
 *   {covariates, effect, groupColumn, groups, pair})` (subjects lacking a value come back in `excluded`);
 * - a model from FSL's files: `modelFromFsl({design, contrasts, fTests?, blocks?})`, and back to their
 *   texts with `fslTexts(model)` (the design matrix for display is `model.rows` under `model.columns`);
 * - `checkModel(model, rows)` throws GroupError('DESIGN') with the line to show for a bad model;
 * - `runGlmAnalysis(input, engine, {onProgress, signal})` runs it on any GlmEngine, a batch of
 *   permutations per engine call; `fitGlm` is the unpermuted float64 fit.
 */
export { fitGlm, type GlmFit } from './fit';
export { fslTexts, modelFromFsl, readVest } from './fsl';
export {
  checkModel,
  demeanColumns,
  designMatrix,
  modelTests,
  type FTest,
  type GlmModel,
  type TContrast,
  type Test,
} from './model';
export {
  buildParticipantsModel,
  numericValue,
  readParticipants,
  type ParticipantsModel,
  type ParticipantsModelSpec,
  type ParticipantsTable,
} from './participants';
export { planGlmPermutations, glmPermutationRow, type GlmPermutationPlan } from './permutations';
export { runGlmAnalysis, type GlmInput, type GlmResult, type GlmTestResult } from './run';
export type { GlmCluster, GlmMaps } from './inference';
