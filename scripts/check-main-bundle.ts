/**
 * `npm run check:main-bundle`: the thread boundary, proved on the built app. The page's entry chunk,
 * and every chunk it imports statically, must hold no engine module and no onnxruntime code: the
 * engine runs in the worker, which the page loads as a file of its own. ESLint's
 * no-restricted-imports keeps the source that way; this check catches whatever slips past it (a
 * re-export, a new folder). It builds in memory, writes nothing, and exits non-zero naming the
 * modules and strings at fault.
 */
import path from 'node:path';
import type { Rolldown } from 'vite';
import { buildAppInMemory } from '../tools/appBuild';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Text only onnxruntime-web's code holds, minified or not. */
const ORT_STRINGS = ['onnxruntime', 'InferenceSession', 'ort-wasm'];

/** Modules of src/engine/ and of the worker's side may not run on the page; the worker's client and protocol do. */
function engineSide(moduleId: string): boolean {
  const file = path.relative(ROOT, moduleId.replace(/\?.*$/, '')).split(path.sep).join('/');
  if (file.includes('node_modules/onnxruntime-web/')) return true;
  if (file.startsWith('src/engine/')) return true;
  return file.startsWith('src/worker/') && file !== 'src/worker/client.ts' && file !== 'src/worker/protocol.ts';
}

/** The page's entry chunk and the chunks it imports statically, transitively. */
function pageChunks(files: (Rolldown.OutputChunk | Rolldown.OutputAsset)[]): Rolldown.OutputChunk[] {
  const chunks = new Map(files.flatMap((f) => (f.type === 'chunk' ? [[f.fileName, f] as const] : [])));
  const entry = [...chunks.values()].find((c) => c.isEntry && c.facadeModuleId === path.join(ROOT, 'index.html'));
  if (!entry) throw new Error(`The build has no entry chunk for index.html (chunks: ${[...chunks.keys()].join(', ')}).`);
  const seen = new Map<string, Rolldown.OutputChunk>();
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.set(chunk.fileName, chunk);
    for (const name of chunk.imports) {
      const next = chunks.get(name);
      if (next) visit(next);
    }
  };
  visit(entry);
  return [...seen.values()];
}

function codeOf(file: Rolldown.OutputChunk | Rolldown.OutputAsset): string {
  if (file.type === 'chunk') return file.code;
  return typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
}

async function main(): Promise<void> {
  const files = await buildAppInMemory();
  const page = pageChunks(files);
  const problems: string[] = [];
  for (const chunk of page) {
    for (const id of chunk.moduleIds.filter(engineSide)) problems.push(`${chunk.fileName} bundles ${path.relative(ROOT, id)}`);
    for (const needle of ORT_STRINGS.filter((s) => chunk.code.includes(s))) problems.push(`${chunk.fileName} holds onnxruntime's "${needle}"`);
  }
  // Guards against a check that passes because it looked at nothing: the page's own code is in
  // what was searched, and onnxruntime's strings are in the build (the worker's files).
  if (!page.some((c) => c.moduleIds.includes(path.join(ROOT, 'src/main.tsx')))) problems.push('src/main.tsx is in none of the chunks searched');
  if (!files.some((f) => !page.includes(f as Rolldown.OutputChunk) && codeOf(f).includes(ORT_STRINGS[1]!))) {
    problems.push(`no file of the build holds "${ORT_STRINGS[1]}": the search strings no longer find onnxruntime`);
  }

  const searched = page.map((c) => `${c.fileName} (${(c.code.length / 1024).toFixed(0)} kB)`).join(', ');
  if (problems.length > 0) {
    console.error(`The page's bundle crosses the thread boundary:\n  ${problems.join('\n  ')}\nSearched: ${searched}.`);
    console.error('Import engine modules as types only; send requests through src/worker/protocol.ts (see docs/ARCHITECTURE.md, "Worker").');
    process.exit(1);
  }
  console.log(`The page's bundle holds no engine or onnxruntime code. Searched: ${searched}.`);
}

await main();
