#!/usr/bin/env node
// Runs the TypeScript sources directly (tsx), so `npx siglens` works right after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: a Dawn (WebGPU) instance would otherwise keep the process alive. Writes to pipes
// and files are synchronous on Linux, so nothing printed is lost.
process.exit(code);
