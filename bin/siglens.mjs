#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx siglens` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: a Dawn (WebGPU) instance would otherwise keep the process alive. But first let
// stdout and stderr drain: a pipe takes 64 KiB at once, and exit would drop the rest of a document.
await Promise.all([process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))));
process.exit(code);
