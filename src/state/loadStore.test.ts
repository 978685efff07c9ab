import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../engine/types';
import { upsertProgress } from './loadStore';

const p = (file: string, loadedBytes: number, status: LoadProgress['status'] = 'progress'): LoadProgress => ({
  file,
  status,
  loadedBytes,
  totalBytes: 100,
});

describe('upsertProgress', () => {
  it('keeps one entry per file, in the order downloads started', () => {
    let files: LoadProgress[] = [];
    files = upsertProgress(files, p('manifest.json', 0, 'initiate'));
    files = upsertProgress(files, p('model.onnx', 10));
    files = upsertProgress(files, p('manifest.json', 100, 'done'));
    files = upsertProgress(files, p('model.onnx', 60));
    expect(files.map((f) => [f.file, f.loadedBytes, f.status])).toEqual([
      ['manifest.json', 100, 'done'],
      ['model.onnx', 60, 'progress'],
    ]);
  });
});
