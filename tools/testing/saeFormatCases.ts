/**
 * Test-only access to the SAE fixtures in testdata/ (written by scripts/make_sae_format_fixtures.py).
 * Node-only: the tests read the files from disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SaeArchitecture, SaeFormat } from '../types';
import { type SaeFiles, saeFilesFromMap } from './saeFiles';
import { readSafetensors } from './safetensors';

export const TESTDATA = join(import.meta.dirname, 'testdata');

export interface FormatCase {
  dir: string;
  format: SaeFormat;
  architecture: SaeArchitecture;
  dtype: 'F32' | 'F16' | 'BF16';
  hookName: string;
  dIn: number;
  dSae: number;
  k: number | null;
  applyBDecToInput: boolean;
  skip?: boolean;
}

export function formatCases(): FormatCase[] {
  return JSON.parse(readFileSync(join(TESTDATA, 'cases.json'), 'utf8')) as FormatCase[];
}

/** The SAE files of a case (expected.safetensors left out), as bytes. */
export function caseFileBytes(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(join(TESTDATA, dir))) {
    if (name !== 'expected.safetensors') files.set(name, new Uint8Array(readFileSync(join(TESTDATA, dir, name))));
  }
  return files;
}

export function caseFiles(dir: string): SaeFiles {
  return saeFilesFromMap(dir, caseFileBytes(dir));
}

export async function caseExpected(dir: string): Promise<{ acts: Float32Array; featureActs: Float32Array; reconstruction: Float32Array; nTokens: number }> {
  const tensors = await readSafetensors(new Uint8Array(readFileSync(join(TESTDATA, dir, 'expected.safetensors'))));
  const acts = tensors.get('acts')!;
  return {
    acts: acts.data as Float32Array,
    featureActs: tensors.get('feature_acts')!.data as Float32Array,
    reconstruction: tensors.get('reconstruction')!.data as Float32Array,
    nTokens: acts.shape[0],
  };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}
