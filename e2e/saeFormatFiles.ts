/**
 * Re-saves the bundle's SAELens SAEs in the other formats a reader may bring (sparsify, Gemma
 * Scope), so the e2e tests can check that those load and give the very activations of the bundled
 * SAE they were made from.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSafetensors, type FloatTensor } from '../src/engine/sae/safetensors';
import { encodeSafetensors } from '../src/engine/sae/safetensorsWriter';
import { crc32 } from '../src/engine/sae/zip';
import { bundle } from './explorer';

type Weights = Map<string, FloatTensor>;

function bundledSae(id: string): { dir: string; cfg: Record<string, unknown> } {
  const dir = path.join(bundle.dir, 'saes', id);
  return { dir, cfg: JSON.parse(readFileSync(path.join(dir, 'cfg.json'), 'utf8')) as Record<string, unknown> };
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
