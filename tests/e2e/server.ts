import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';
import { REPO, SHARED_DATA } from '../helpers/shared';

let server: ViteDevServer | undefined;

/** Starts the real page (Vite) once for all end-to-end tests, on a free loopback port. */
export async function setup(project: TestProject): Promise<void> {
  server = await createServer({
    configFile: 'vite.config.ts',
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, fs: { allow: [REPO, SHARED_DATA] } },
    logLevel: 'warn',
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not report a port');
  project.provide('baseUrl', `http://127.0.0.1:${address.port}`);
  // Test data beside the checkout is served read-only under /@fs/ for tests only; never by `npm start`.
  project.provide('sharedUrl', `/@fs${SHARED_DATA}`);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    sharedUrl: string;
  }
}
