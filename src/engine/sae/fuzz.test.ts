/**
 * Damaged and hostile files: each mutated file either loads or is refused with an EngineError —
 * never another exception, never a hang. Mutations are drawn from a fixed seed, so a failure
 * replays exactly; its message names the mutation.
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../types';
import { buildEncoderModel } from './saeGraphs';
import { loadSae } from './loadSae';
import { readNpz } from './npz';
import { saeFilesFromMap } from './saeFiles';
import { readSafetensors } from './safetensors';
import { caseFileBytes } from '../../../tools/testing/saeFormatCases';

/** mulberry32: a small, seedable PRNG */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = { what: string; bytes: Uint8Array };

function headerLength(file: Uint8Array): number {
  return Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
}

function withHeader(file: Uint8Array, header: string): Uint8Array {
  const json = new TextEncoder().encode(header);
  const data = file.subarray(8 + headerLength(file));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

function byteMutations(base: Uint8Array, random: () => number, count: number, hotZone: number): Mutation[] {
  const out: Mutation[] = [];
  const pick = (limit: number) => Math.floor(random() * limit);
  for (let i = 0; i < count; i++) {
    const bytes = base.slice();
    const kind = i % 4;
    if (kind === 0) {
      // bit flips, mostly where the structure is (headers, directories)
      const flips = 1 + pick(8);
      for (let f = 0; f < flips; f++) {
        const at = random() < 0.7 ? pick(Math.min(hotZone, bytes.length)) : pick(bytes.length);
        bytes[at] ^= 1 << pick(8);
      }
      out.push({ what: `${flips} bit flips`, bytes });
    } else if (kind === 1) {
      const length = pick(base.length);
      out.push({ what: `truncated to ${length} bytes`, bytes: base.slice(0, length) });
    } else if (kind === 2) {
      const at = pick(bytes.length);
      const run = 1 + pick(16);
      for (let j = at; j < Math.min(bytes.length, at + run); j++) bytes[j] = pick(256);
      out.push({ what: `${run} random bytes at ${at}`, bytes });
    } else {
      const at = pick(bytes.length - 4);
      new DataView(bytes.buffer).setUint32(at, [0, 0xffffffff, 0x7fffffff, pick(2 ** 32)][pick(4)], true);
      out.push({ what: `a 32-bit field at ${at} overwritten`, bytes });
    }
  }
  return out;
}

function safetensorsMutations(base: Uint8Array, random: () => number): Mutation[] {
  const out = byteMutations(base, random, 80, 8 + headerLength(base));
  const size = base.byteLength;
  for (const length of [0, 1, 7, size - 8, size - 7, size, 100_000_001, 2 ** 32, 2 ** 53 - 1, 2 ** 63, 2 ** 64 - 1]) {
    const bytes = base.slice();
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(length)), true);
    out.push({ what: `header length set to ${length}`, bytes });
  }
  out.push({ what: 'deep [ nesting', bytes: withHeader(base, '['.repeat(50_000)) });
  out.push({ what: 'deep { nesting', bytes: withHeader(base, '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)) });
  out.push({ what: 'nesting inside a tensor', bytes: withHeader(base, '{"W_enc": {"dtype": [[[[[[[[[[["F32"]]]]]]]]]]}}') });
  const header = JSON.parse(new TextDecoder().decode(base.subarray(8, 8 + headerLength(base)))) as Record<string, { dtype: string; shape: unknown; data_offsets: unknown }>;
  const names = Object.keys(header).filter((n) => n !== '__metadata__');
  const edits: [string, (e: { dtype: string; shape: unknown; data_offsets: unknown }) => void][] = [
    ['dtype F64', (e) => (e.dtype = 'F64')],
    ['dtype U8', (e) => (e.dtype = 'U8')],
    ['dtype I64', (e) => (e.dtype = 'I64')],
    ['dtype BF16', (e) => (e.dtype = 'BF16')],
    ['dtype 7', (e) => ((e as { dtype: unknown }).dtype = 7)],
    ['shape doubled', (e) => (e.shape = [...(e.shape as number[]), 2])],
    ['shape negative', (e) => (e.shape = (e.shape as number[]).map((n) => -n))],
    ['shape fractional', (e) => (e.shape = (e.shape as number[]).map((n) => n / 2))],
    ['shape a string', (e) => (e.shape = '12,48')],
    ['shape huge', (e) => (e.shape = [2 ** 40, 2 ** 40])],
    ['shape empty', (e) => (e.shape = [])],
    ['offsets swapped', (e) => (e.data_offsets = [...(e.data_offsets as number[])].reverse())],
    ['offsets past the end', (e) => (e.data_offsets = (e.data_offsets as number[]).map((n) => n + 1_000_000))],
    ['offsets shifted by 4', (e) => (e.data_offsets = (e.data_offsets as number[]).map((n) => n + 4))],
    ['offsets missing', (e) => delete (e as { data_offsets?: unknown }).data_offsets],
    ['offsets of three', (e) => (e.data_offsets = [0, 4, 8])],
    ['entry a string', (e) => Object.keys(e).forEach((k) => delete (e as Record<string, unknown>)[k])],
  ];
  for (const name of names) {
    for (const [what, edit] of edits) {
      const copy = JSON.parse(JSON.stringify(header)) as typeof header;
      edit(copy[name]);
      out.push({ what: `${name}: ${what}`, bytes: withHeader(base, JSON.stringify(copy)) });
    }
  }
  out.push({ what: 'metadata not strings', bytes: withHeader(base, JSON.stringify({ ...header, __metadata__: { a: [1] } })) });
  out.push({ what: 'header an array', bytes: withHeader(base, '[]') });
  out.push({ what: 'header not JSON', bytes: withHeader(base, '{"W_enc": ') });
  return out;
}

function cfgMutations(base: Uint8Array, random: () => number): Mutation[] {
  const cfg = JSON.parse(new TextDecoder().decode(base)) as Record<string, unknown>;
  const values = [0, -1, 1e9, 2 ** 60, 1.5, NaN, '8', null, true, [], {}, 'topk', 'relu', 'crosscoder', 'none', 'expected_average_only_in'];
  const keys = ['d_in', 'd_sae', 'k', 'architecture', 'hook_name', 'apply_b_dec_to_input', 'normalize_activations', 'activation_fn_kwargs', 'metadata', 'hook_head_index', 'activation_fn_str', 'expansion_factor', 'num_latents'];
  const out: Mutation[] = [];
  for (let i = 0; i < 60; i++) {
    const copy: Record<string, unknown> = { ...cfg };
    const key = keys[Math.floor(random() * keys.length)];
    const value = values[Math.floor(random() * values.length)];
    if (random() < 0.15) delete copy[key];
    else copy[key] = value;
    out.push({ what: `cfg.json ${key} = ${JSON.stringify(value)}`, bytes: new TextEncoder().encode(JSON.stringify(copy)) });
  }
  out.push({ what: 'cfg.json not JSON', bytes: new TextEncoder().encode('{"d_in": 12,') });
  out.push({ what: 'cfg.json deeply nested', bytes: new TextEncoder().encode('['.repeat(100_000) + ']'.repeat(100_000)) });
  out.push({ what: 'cfg.json not UTF-8', bytes: Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]) });
  return out;
}

const PER_FILE_MS = 3000;

/** Runs `task`; fails the test on anything but success or an EngineError, or on a hang. */
async function expectLoadsOrRefuses(what: string, task: () => Promise<unknown>): Promise<'loaded' | 'refused'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still running after ${PER_FILE_MS} ms`)), PER_FILE_MS);
  });
  try {
    await Promise.race([task(), hang]);
    return 'loaded';
  } catch (err) {
    if (err instanceof EngineError) return 'refused';
    throw new Error(`${what}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)} instead of an EngineError`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}

describe('damaged SAE files are refused with an EngineError, never a crash or a hang', () => {
  const random = rng(0x5ae);
  let total = 0;

  it.each(['saelens-topk-f16', 'saelens-gated-f32', 'saelens-jumprelu-v6-bf16'])('mutations of %s/sae_weights.safetensors', async (dir) => {
    const files = caseFileBytes(dir);
    const mutations = safetensorsMutations(files.get('sae_weights.safetensors')!, random);
    const outcomes = { loaded: 0, refused: 0 };
    for (const { what, bytes } of mutations) {
      outcomes[await expectLoadsOrRefuses(`${dir} ${what} (parse)`, () => readSafetensors(bytes))]++;
      const mutated = new Map(files).set('sae_weights.safetensors', bytes);
      await expectLoadsOrRefuses(`${dir} ${what} (load)`, async () => buildEncoderModel([await loadSae(saeFilesFromMap(dir, mutated))]));
    }
    total += mutations.length;
    expect(outcomes.refused).toBeGreaterThan(mutations.length / 2);
  });

  it.each(['gemmascope-stored', 'gemmascope-deflate'])('mutations of %s/params.npz', async (dir) => {
    const files = caseFileBytes(dir);
    const base = files.get('params.npz')!;
    const mutations = byteMutations(base, random, 80, base.length);
    const outcomes = { loaded: 0, refused: 0 };
    for (const { what, bytes } of mutations) {
      outcomes[await expectLoadsOrRefuses(`${dir} ${what} (parse)`, () => readNpz(bytes))]++;
      const mutated = new Map(files).set('params.npz', bytes);
      await expectLoadsOrRefuses(`${dir} ${what} (load)`, async () => buildEncoderModel([await loadSae(saeFilesFromMap(dir, mutated), { hookName: 'blocks.0.hook_resid_post' })]));
    }
    total += mutations.length;
    expect(outcomes.refused).toBeGreaterThan(mutations.length / 2);
  });

  it.each(['saelens-topk-f16', 'sparsify-skip-f32'])('mutations of %s/cfg.json', async (dir) => {
    const files = caseFileBytes(dir);
    const mutations = cfgMutations(files.get('cfg.json')!, random);
    for (const { what, bytes } of mutations) {
      const mutated = new Map(files).set('cfg.json', bytes);
      await expectLoadsOrRefuses(`${dir} ${what}`, async () => buildEncoderModel([await loadSae(saeFilesFromMap(dir, mutated), { hookName: dir.startsWith('sparsify') ? 'blocks.3.hook_resid_post' : undefined })]));
    }
    total += mutations.length;
  });

  it('tried at least 300 damaged files', () => {
    expect(total).toBeGreaterThanOrEqual(300);
  });
});
