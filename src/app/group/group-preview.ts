import { fslTexts } from '../../analysis/glm/fsl';
import { checkModel } from '../../analysis/glm/model';
import { buildParticipantsModel, readParticipants } from '../../analysis/glm/participants';
import { planSubjects, type GroupDesign } from '../../analysis/group/design';
import { participantsSpec } from '../../worker/group-glm';
import { designView, type DesignView } from './design-view';
import {
  isModel,
  NO_MODEL,
  participantChoices,
  type DesignFile,
  type ModelChoices,
  type ParticipantChoices,
} from './group-model';

/** The Group panel's model builder as the page keeps it: the TSV's offers, the choices, and the model they make. */
export interface GroupModelState {
  readonly choices: ParticipantChoices | null;
  readonly value: ModelChoices;
  readonly design: DesignView | null;
  readonly files: readonly DesignFile[] | null;
  readonly error: string | null;
}

export const NO_MODEL_STATE: GroupModelState = {
  choices: null,
  value: NO_MODEL,
  design: null,
  files: null,
  error: null,
};

/** Which maps make the model's rows (as `siglens group --design`), with the builder's choices. */
export interface ModelSetup {
  readonly design: GroupDesign;
  readonly pair: readonly [string, string];
  /** The panel's name pattern, '' for BIDS names. */
  readonly pattern: string;
  readonly value: ModelChoices;
}

/**
 * The model the choices make on these files, as `siglens group` would build it (same subjects, same
 * order, the same left out), drawn and written as FSL's files; or why it cannot be built.
 */
export function previewModel(tsv: string | null, names: readonly string[], setup: ModelSetup): GroupModelState {
  if (tsv === null) return NO_MODEL_STATE;
  const choices = participantChoices(tsv, setup.pair);
  const base = { choices, value: setup.value, design: null, files: null, error: null };
  if (!isModel(setup.value)) return base;
  try {
    if (setup.design === 'two-sample')
      throw new Error(
        'a model from participants.tsv runs on the one-sample or paired design (groups replace two-sample)',
      );
    const pattern = setup.pattern ? new RegExp(setup.pattern) : undefined;
    const { subjects } = planSubjects(names, { design: setup.design, pair: setup.pair, pattern });
    const built = buildParticipantsModel(
      readParticipants(tsv),
      subjects.map((s) => s.subject),
      participantsSpec(setup.design, setup.pair, setup.value),
    );
    checkModel(built.model, built.kept.length);
    const t = fslTexts(built.model);
    const files: DesignFile[] = [
      { name: 'design.mat', text: t.mat },
      { name: 'design.con', text: t.con },
      ...(t.fts === null ? [] : [{ name: 'design.fts', text: t.fts }]),
      ...(t.grp === null ? [] : [{ name: 'design.grp', text: t.grp }]),
    ];
    return { ...base, design: designView(built.model, built.kept), files };
  } catch (e) {
    return { ...base, error: `The model cannot be built: ${e instanceof Error ? e.message : String(e)}` };
  }
}
