import { defineConfig, type Plugin } from 'vite';

/** Tells the person who ran `npm start` where the guided demo on the generated sample data is. */
function demoHint(): Plugin {
  return {
    name: 'siglens-demo-hint',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const a = server.httpServer?.address();
        if (a && typeof a === 'object' && process.env.VITEST === undefined) {
          console.log(`\n  SigLens demo on the generated sample data: http://${a.address}:${a.port}/?demo=1\n`);
        }
      });
    },
  };
}

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173 },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  plugins: [demoHint()],
});
