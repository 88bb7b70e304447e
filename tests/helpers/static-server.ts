import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wgsl': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.gz': 'application/gzip',
  '.nii': 'application/octet-stream',
};

export interface StaticSite {
  /** The site's address, ending in its folder, e.g. http://127.0.0.1:PORT/lab/siglens/. */
  readonly url: string;
  /** Every path asked for, in order. */
  readonly requests: string[];
  /** Serves these bytes for a file of the site (path inside the folder) from now on: a new version. */
  replace(file: string, body: Buffer): void;
  /** Stops listening and drops open connections: nothing more can come from the network. */
  close(): Promise<void>;
}

/**
 * A plain static file server, as a lab's web space is: files under a sub-folder, no rewriting,
 * no Vite. Anything outside the folder, or missing, is a 404.
 */
export async function serveStatic(root: string, folder: string): Promise<StaticSite> {
  const requests: string[] = [];
  const replaced = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    const rel = path.startsWith(folder) ? normalize(path.slice(folder.length)) : null;
    let file = rel === null || rel.startsWith('..') ? null : join(root, rel);
    const body = rel === null ? undefined : replaced.get(rel);
    if (body) {
      res
        .writeHead(200, {
          'content-type': TYPES[extname(rel!)] ?? 'application/octet-stream',
          'content-length': body.length,
        })
        .end(body);
      return;
    }
    if (file && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server reported no port');
  return {
    url: `http://127.0.0.1:${address.port}${folder}`,
    requests,
    replace: (f, body) => void replaced.set(normalize(f), body),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
