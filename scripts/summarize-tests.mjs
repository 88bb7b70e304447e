// Prints one closing line, "tests: N passed, N failed, N skipped", from vitest's JSON report.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const passed = report.numPassedTests ?? 0;
const failed = report.numFailedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// Under CI nothing may be skipped: the only skips are the tests on ../shared/data, which CI must have.
const ci = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
if (ci && skipped > 0) console.error(`CI=${process.env.CI}: ${skipped} tests were skipped; a CI run must run them all`);
process.exit(failed > 0 || passed === 0 || (ci && skipped > 0) ? 1 : 0);
