import type { LoadProgress } from '../engine/types';
import { formatBytes } from '../format/numbers';
import type { LoadSteps } from '../state/loadStore';
import { isRuntimeBinary, loadHeadline, STEP_ORDER, STEP_TEXT, stepStatusText } from './loadStages';
import { ProgressBar } from './ProgressBar';

export interface LoadProgressPanelProps {
  /** one entry per file, in download order */
  files: LoadProgress[];
  /** the steps between downloads, each's latest event */
  steps: LoadSteps;
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

/** A progress bar per file, in bytes, then one per step between (runtime start, session build, warm-up). */
export function LoadProgressPanel({ files, steps, bundleUrl }: LoadProgressPanelProps) {
  return (
    <section className="load-panel" data-testid="load-progress" aria-live="polite">
      <header className="load-panel__header">
        <h2>Loading the model</h2>
        <span className="muted" data-testid="load-headline">
          {loadHeadline(files, steps)}
        </span>
      </header>
      <p className="load-panel__source muted" title={bundleUrl}>
        from <code>{bundleUrl}</code>
      </p>
      <ul className="load-panel__files">
        {files.map((p) => (
          <li key={p.file} className="load-panel__file" data-status={p.status} data-testid="load-file">
            <span className="load-panel__name" title={p.file}>
              {p.file}
              {isRuntimeBinary(p.file) && <span className="muted"> · the runtime</span>}
            </span>
            <span className="load-panel__size">{sizeText(p)}</span>
            <ProgressBar fraction={fractionOf(p)} label={`Downloading ${p.file}`} />
          </li>
        ))}
        {STEP_ORDER.map((name) => {
          const step = steps[name];
          return (
            <li key={name} className="load-panel__file load-panel__step" data-status={step?.status ?? 'waiting'} data-testid={`load-step-${name}`}>
              <span className="load-panel__name">{STEP_TEXT[name].title}</span>
              <span className="load-panel__size">{stepStatusText(step)}</span>
              {/* A step reports no fraction of itself: indeterminate while it runs, empty before, full after. */}
              <ProgressBar fraction={step?.status === 'running' ? null : step ? 1 : 0} label={STEP_TEXT[name].title} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}
