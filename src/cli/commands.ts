// The commands besides info, in one module: the bundle splits at main.ts's two dynamic imports, so a
// command loads main.mjs and one or two chunks, not one per shared module.
export { CLUSTERS_COMMAND } from './clusters';
export { SIGNATURE_COMMAND } from './signature';
export { ROI_COMMAND } from './roi';
export { BATCH_COMMAND } from './batch';
export { GROUP_COMMAND } from './group-command';
export { REPORT_COMMAND } from './report';
