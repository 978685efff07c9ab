import type { LoadProgress } from '../engine/types';
import { formatBytes } from '../format/numbers';
import { ProgressBar } from './ProgressBar';

export interface LoadProgressPanelProps {
  /** one entry per file, in download order */
  files: LoadProgress[];
  /** the bundle folder being loaded, shown so the reader knows what is coming */
  bundleUrl: string;
}

/** "1.2 MB / 4.0 MB" while a file downloads, its size once done. */
export function sizeText(p: LoadProgress): string {
  if (p.status === 'cached') return p.totalBytes !== null ? `${formatBytes(p.totalBytes)} · cached` : 'cached';
  if (p.status === 'done') return formatBytes(p.totalBytes ?? p.loadedBytes);
  return p.totalBytes !== null
    ? `${formatBytes(p.loadedBytes)} / ${formatBytes(p.totalBytes)}`
    : formatBytes(p.loadedBytes);
}

export function fractionOf(p: LoadProgress): number | null {
  if (p.status === 'done' || p.status === 'cached') return 1;
  if (p.totalBytes === null || p.totalBytes === 0) return null;
  return p.loadedBytes / p.totalBytes;
}

/** A progress bar per bundle file, in bytes. */
export function LoadProgressPanel({ files, bundleUrl }: LoadProgressPanelProps) {
  const done = files.filter((f) => f.status === 'done' || f.status === 'cached').length;
  return (
    <section className="load-panel" data-testid="load-progress" aria-live="polite">
      <header className="load-panel__header">
        <h2>Loading the model</h2>
        <span className="muted">
          {files.length === 0 ? 'starting…' : `${done} of ${files.length} files`}
        </span>
      </header>
      <p className="load-panel__source muted" title={bundleUrl}>
        from <code>{bundleUrl}</code>
      </p>
      <ul className="load-panel__files">
        {files.map((p) => (
          <li key={p.file} className="load-panel__file" data-status={p.status}>
            <span className="load-panel__name" title={p.file}>
              {p.file}
            </span>
            <span className="load-panel__size">{sizeText(p)}</span>
            <ProgressBar fraction={fractionOf(p)} label={`Downloading ${p.file}`} />
          </li>
        ))}
      </ul>
    </section>
  );
}
