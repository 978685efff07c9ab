/**
 * The SAE format cases in sae-format-cases/ (written by scripts/make_sae_format_fixtures.py): SAEs
 * as SAELens, sparsify and Gemma Scope save them, with the activations their own code computes.
 * Node-only: the tests read the files from disk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SaeArchitecture, SaeFormat } from '../../src/engine/types';
import { type SaeFiles, saeFilesFromMap } from '../../src/engine/sae/saeFiles';
import { readSafetensors } from '../../src/engine/sae/safetensors';

const CASES_DIR = join(import.meta.dirname, 'sae-format-cases');

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
  return JSON.parse(readFileSync(join(CASES_DIR, 'cases.json'), 'utf8')) as FormatCase[];
}

/** The SAE files of a case (expected.safetensors left out), as bytes. */
export function caseFileBytes(dir: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of readdirSync(join(CASES_DIR, dir))) {
    if (name !== 'expected.safetensors') files.set(name, new Uint8Array(readFileSync(join(CASES_DIR, dir, name))));
  }
  return files;
}

export function caseFiles(dir: string): SaeFiles {
  return saeFilesFromMap(dir, caseFileBytes(dir));
}

export async function caseExpected(dir: string): Promise<{ acts: Float32Array; featureActs: Float32Array; reconstruction: Float32Array; nTokens: number }> {
  const tensors = await readSafetensors(new Uint8Array(readFileSync(join(CASES_DIR, dir, 'expected.safetensors'))));
  const acts = tensors.get('acts')!;
  return {
    acts: acts.data as Float32Array,
    featureActs: tensors.get('feature_acts')!.data as Float32Array,
    reconstruction: tensors.get('reconstruction')!.data as Float32Array,
    nTokens: acts.shape[0],
  };
}
