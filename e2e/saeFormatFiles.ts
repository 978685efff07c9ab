/**
 * The served bundle's SAEs as a reader would bring them: picked from its manifest by architecture,
 * re-saved in the other formats (sparsify, Gemma Scope), with the activations PyTorch computed for
 * them (the bundle's fixtures) as what the page must show.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import { parseManifest, type ManifestSae } from '../src/engine/bundle/manifest';
import type { SaeArchitecture } from '../src/engine/types';
import { readSafetensors, type FloatTensor } from '../src/engine/sae/safetensors';
import { encodeSafetensors } from '../tools/testing/safetensorsWriter';
import { crc32 } from '../src/engine/sae/zip';
import { bundle, MODEL_READY_TIMEOUT_MS } from './explorer';

type Weights = Map<string, FloatTensor>;

export const bundleManifest = parseManifest(JSON.parse(readFileSync(path.join(bundle.dir, 'manifest.json'), 'utf8')));

function cfgOf(sae: ManifestSae): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(bundle.dir, sae.path, 'cfg.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * The bundle's first residual-stream SAE of `architecture` (where `fits` its cfg.json), preferring
 * `layer`; the test fails, naming what is missing, when the bundle has none.
 */
export function pickSae(architecture: SaeArchitecture, fits: (cfg: Record<string, unknown>) => boolean = () => true, layer?: number): ManifestSae {
  const candidates = bundleManifest.saes.filter((s) => s.architecture === architecture && s.kind === 'resid' && fits(cfgOf(s)));
  const found = candidates.find((s) => s.layer === layer) ?? candidates[0];
  if (!found) throw new Error(`The bundle ${bundle.dir} has no residual-stream ${architecture} SAE of the kind this test re-saves; add one.`);
  return found;
}

function bundledSae(id: string): { dir: string; cfg: Record<string, unknown> } {
  const entry = bundleManifest.saes.find((s) => s.id === id);
  if (!entry) throw new Error(`The bundle ${bundle.dir} has no SAE ${id}.`);
  return { dir: path.join(bundle.dir, entry.path), cfg: cfgOf(entry) };
}

/** PyTorch's activations of SAE `saeId` on the first fixture prompt (BOS at position 0). */
export async function fixtureActs(saeId: string): Promise<{ text: string; nTokens: number; dSae: number; acts: Float32Array }> {
  const fixturesPath = bundleManifest.fixtures;
  if (!fixturesPath) throw new Error(`The bundle ${bundle.dir} ships no fixtures, so there are no expected activations.`);
  const json = JSON.parse(readFileSync(path.join(bundle.dir, fixturesPath), 'utf8')) as { prompts: { text: string }[]; tensors: string; saes: string[] };
  if (!json.saes.includes(saeId)) throw new Error(`The bundle's fixtures have no activations of ${saeId}.`);
  const tensors = await readSafetensors(new Uint8Array(readFileSync(path.join(bundle.dir, path.dirname(fixturesPath), json.tensors))));
  const t = tensors.get(`p0.sae.${saeId}`);
  if (!t || !(t.data instanceof Float32Array) || t.shape.length !== 2) throw new Error(`The fixtures hold no [seq, d_sae] p0.sae.${saeId}.`);
  return { text: json.prompts[0]!.text, nTokens: t.shape[0]!, dSae: t.shape[1]!, acts: t.data };
}

/** Per token after BOS, the activation of largest |value| (what the prompt view's strip shows). */
export function strongestPerToken({ nTokens, dSae, acts }: { nTokens: number; dSae: number; acts: Float32Array }): number[] {
  const out: number[] = [];
  for (let t = 1; t < nTokens; t++) {
    let best = 0;
    for (let f = 0; f < dSae; f++) if (Math.abs(acts[t * dSae + f]!) > Math.abs(best)) best = acts[t * dSae + f]!;
    out.push(best);
  }
  return out;
}

/** Feature `index` on every token after BOS (what "test your text" shows). */
export function featurePerToken({ nTokens, dSae, acts }: { nTokens: number; dSae: number; acts: Float32Array }, index: number): number[] {
  return Array.from({ length: nTokens - 1 }, (_, i) => acts[(i + 1) * dSae + index]!);
}

async function weights(dir: string, file: string): Promise<Weights> {
  return (await readSafetensors(new Uint8Array(readFileSync(path.join(dir, file))))) as Weights;
}

function tensor(w: Weights, name: string): FloatTensor {
  const t = w.get(name);
  if (!t) throw new Error(`the bundled SAE has no ${name}`);
  return t;
}

/** The bundled SAELens folder as is, under another folder name (the SAE's id). */
export function saveSaeLens(id: string, out: string): string {
  const { dir } = bundledSae(id);
  mkdirSync(out, { recursive: true });
  for (const f of ['cfg.json', 'sae_weights.safetensors']) copyFileSync(path.join(dir, f), path.join(out, f));
  return out;
}

/** A TopK SAELens SAE (b_dec subtracted from the input) as sparsify writes it. */
export async function saveSparsify(id: string, out: string): Promise<string> {
  const { dir, cfg } = bundledSae(id);
  if (cfg.architecture !== 'topk' || cfg.apply_b_dec_to_input !== true) throw new Error(`${id} is not a sparsify-like TopK SAE`);
  const w = await weights(dir, 'sae_weights.safetensors');
  const W_enc = tensor(w, 'W_enc');
  const [dIn, dSae] = W_enc.shape as [number, number];
  const encoderWeight = new Float32Array(dIn * dSae);
  for (let i = 0; i < dIn; i++) for (let j = 0; j < dSae; j++) encoderWeight[j * dIn + i] = W_enc.data[i * dSae + j]!;
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'cfg.json'), JSON.stringify({ d_in: dIn, k: cfg.k, num_latents: dSae, expansion_factor: dSae / dIn, normalize_decoder: true }));
  const at = (name: string) => ({ shape: tensor(w, name).shape, data: tensor(w, name).data });
  writeFileSync(
    path.join(out, 'sae.safetensors'),
    encodeSafetensors({ 'encoder.weight': { shape: [dSae, dIn], data: encoderWeight }, 'encoder.bias': at('b_enc'), W_dec: at('W_dec'), b_dec: at('b_dec') }),
  );
  return out;
}

function npy(t: FloatTensor): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${t.shape.join(', ')}${t.shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.byteLength);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 10 + header.length);
  return out;
}

/** An uncompressed zip, as numpy.savez writes it. */
function zipStored(entries: Record<string, Uint8Array>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = new TextEncoder().encode(name);
    const crc = crc32(data);
    const local = new Uint8Array(30 + nameBytes.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, data.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const central = new Uint8Array(46 + nameBytes.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, data.length, true);
    c.setUint32(24, data.length, true);
    c.setUint16(28, nameBytes.length, true);
    c.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local, data);
    centrals.push(central);
    offset += local.length + data.length;
  }
  const centralSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, centrals.length, true);
  e.setUint16(10, centrals.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A JumpReLU SAELens SAE (no b_dec subtraction) as a Gemma Scope params.npz. */
export async function saveGemmaScope(id: string, out: string): Promise<string> {
  const { dir, cfg } = bundledSae(id);
  if (cfg.architecture !== 'jumprelu' || cfg.apply_b_dec_to_input !== false) throw new Error(`${id} is not a Gemma-Scope-like JumpReLU SAE`);
  const w = await weights(dir, 'sae_weights.safetensors');
  const arrays = Object.fromEntries(['W_enc', 'W_dec', 'b_enc', 'b_dec', 'threshold'].map((n) => [`${n}.npy`, npy(tensor(w, n))]));
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'params.npz'), zipStored(arrays));
  return out;
}

/** Drops loose files on the page (on the element with `testId`) the way a browser does, with a DataTransfer holding them. */
export async function dropFiles(page: Page, files: { name: string; bytes: Buffer }[], testId = 'sae-dropzone'): Promise<void> {
  await page.evaluate(({ list, testId }) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name));
    const target = document.querySelector(`[data-testid="${testId}"]`)!;
    target.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: data }));
    target.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: data }));
  }, { list: files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') })), testId });
}

export function folderFiles(folder: string): { name: string; bytes: Buffer }[] {
  return readdirSync(folder).map((name) => ({ name, bytes: readFileSync(path.join(folder, name)) }));
}

/**
 * Drops a copy of bundled SAE `id`'s SAELens files on the page (the prompt view, model loaded) and
 * waits until the picker has taken it: the reader's SAE's id.
 */
export async function dropBundledSaeAsUser(page: Page, id: string): Promise<string> {
  await dropFiles(page, folderFiles(saveSaeLens(id, path.join(mkdtempSync(path.join(tmpdir(), 'user-sae-')), 'mine'))));
  const picker = page.getByTestId('sae-picker');
  await expect.poll(() => picker.inputValue(), { timeout: MODEL_READY_TIMEOUT_MS }).toMatch(/^saelens-/);
  return picker.inputValue();
}
