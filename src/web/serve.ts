// A static file server for the explorer: one directory, GET/HEAD only, on 127.0.0.1, nothing outside the
// directory (no '..', no symlinks out of it), no caching (a rebuilt explorer is picked up on reload).
import { createServer, type Server } from 'node:http';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wgsl': 'text/plain; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.css': 'text/css; charset=utf-8', '.png': 'image/png',
};

export interface StaticServer { url: string; port: number; server: Server; close(): Promise<void> }

/** Serve `root` on host:port (port 0: any free port). */
export async function serveStatic(root: string, port = 0, host = '127.0.0.1'): Promise<StaticServer> {
  const base = realpathSync(resolve(root));
  const server = createServer((req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.statusCode = 405; res.setHeader('allow', 'GET, HEAD'); res.end(); return; }
    let path: string;
    try { path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname); } catch { res.statusCode = 400; res.end(); return; }
    if (path.includes('\0')) { res.statusCode = 400; res.end(); return; }
    let file = resolve(join(base, path));
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const real = realpathSync(file);
      if (real !== base && !real.startsWith(base + sep)) throw new Error('outside');
      const st = statSync(real);
      if (!st.isFile()) throw new Error('not a file');
      res.setHeader('content-type', TYPES[extname(real)] ?? 'application/octet-stream');
      res.setHeader('content-length', st.size);
      if (req.method === 'HEAD') { res.end(); return; }
      createReadStream(real).pipe(res);
    } catch {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('not found\n');
    }
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => { server.off('error', fail); ok(); });
  });
  const addr = server.address();
  const p = typeof addr === 'object' && addr ? addr.port : port;
  return {
    url: `http://${host}:${p}/`, port: p, server,
    close: () => new Promise<void>(ok => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}
