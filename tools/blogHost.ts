/**
 * A blog on another origin than the app, for the embed e2e test and benchmark: a plain Node server
 * (no COOP/COEP, as most static hosts) that serves dist/'s example post with a <base> pointing its
 * relative URLs (embed.js, the iframes) at the app's server, and the whole of dist/ as static files
 * under a sub-path, as a static host would.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';

/** Where the blog's server also serves dist/ itself. */
export const SUB_PATH = '/demos/sae-explorer/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

export interface BlogHost {
  /** the blog's origin, e.g. http://127.0.0.1:4473 */
  origin: string;
  close(): Promise<void>;
}

/** Serves the example post of `dist` (an absolute folder) at `/blog-example.html`, its embeds pointing at `appUrl`. */
export async function startBlogHost(dist: string, appUrl: string, port: number): Promise<BlogHost> {
  const page = readFileSync(path.join(dist, 'blog-example.html'), 'utf8').replace('<head>', `<head><base href="${appUrl}" />`);
  const origin = `http://127.0.0.1:${port}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/' || url.pathname === '/blog-example.html') {
      res.writeHead(200, { 'content-type': TYPES['.html'] });
      res.end(page);
    } else if (url.pathname.startsWith(SUB_PATH)) {
      serveStatic(dist, url.pathname.slice(SUB_PATH.length) || 'index.html', req.headers['if-modified-since'], res);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A file of `dist`, with Last-Modified and 304 for a copy still current, as static hosts answer (the app keeps copies by them). */
function serveStatic(dist: string, relative: string, ifModifiedSince: string | undefined, res: ServerResponse): void {
  let file: string;
  try {
    file = path.resolve(dist, decodeURIComponent(relative));
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (!file.startsWith(dist + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  const stat = statSync(file);
  const modified = stat.mtime.toUTCString();
  if (ifModifiedSince === modified) {
    res.writeHead(304, { 'last-modified': modified }).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': stat.size, 'last-modified': modified });
  createReadStream(file).pipe(res);
}
