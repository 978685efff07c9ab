/**
 * Serves the bundled model to the app and ships it in `dist/`, without a second copy in git.
 *
 * The app fetches its default bundle relative to the page (`models/<name>/manifest.json`), so the
 * same `dist/` works from any sub-path of any static host. In dev the folder is streamed from disk;
 * at build time it is copied into `dist/models/<name>/`.
 *
 * `SAE_BUNDLE_DIR` picks another folder (tools/modelBundleDir.ts); its folder name becomes the URL
 * segment.
 */
import { createReadStream, cpSync, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';
import { resolveModelBundle, type ModelBundleLocation } from '../tools/modelBundleDir.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.safetensors': 'application/octet-stream',
  '.npz': 'application/octet-stream',
  '.u16': 'application/octet-stream',
  '.bin': 'application/octet-stream',
};

/** Maps a request path under `/<urlPath>` to a file inside `dir`, refusing anything that escapes it. */
export function bundleFileFor(location: ModelBundleLocation, requestPath: string): string | null {
  const prefix = `/${location.urlPath}`;
  if (!requestPath.startsWith(prefix)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(requestPath.slice(prefix.length));
  } catch {
    return null;
  }
  const file = path.resolve(location.dir, relative);
  if (file !== location.dir && !file.startsWith(location.dir + path.sep)) return null;
  return file;
}

function sendFile(file: string, res: ServerResponse): void {
  const size = statSync(file).size;
  res.setHeader('Content-Type', CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  res.setHeader('Cache-Control', 'no-cache');
  createReadStream(file).pipe(res);
}

export function modelBundle(root = process.cwd()): Plugin {
  const location = resolveModelBundle(root);
  let outDir = path.resolve(root, 'dist');

  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const requestPath = (req.url ?? '').split('?')[0] ?? '';
    const file = bundleFileFor(location, requestPath);
    if (file === null) return next();
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain');
      res.end(`No file ${path.relative(root, file)} in the model bundle ${path.relative(root, location.dir)}.`);
      return;
    }
    sendFile(file, res);
  };

  return {
    name: 'sae-explorer:model-bundle',
    config() {
      return { define: { 'import.meta.env.VITE_DEFAULT_BUNDLE': JSON.stringify(location.urlPath) } };
    },
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      if (!existsSync(path.join(location.dir, 'manifest.json'))) {
        server.config.logger.warn(
          `[model-bundle] ${path.relative(root, location.dir)}/manifest.json does not exist yet: ` +
            'the app will show a load error until the bundle is built (or set SAE_BUNDLE_DIR).',
        );
      }
      server.middlewares.use(middleware);
    },
    writeBundle() {
      if (!existsSync(path.join(location.dir, 'manifest.json'))) {
        this.warn(
          `${path.relative(root, location.dir)}/manifest.json does not exist: ${path.relative(root, outDir)}/ ships without a model ` +
            'and the app will show a load error. Build the bundle first or set SAE_BUNDLE_DIR.',
        );
        return;
      }
      cpSync(location.dir, path.join(outDir, location.urlPath), { recursive: true, dereference: true });
    },
  };
}
