import type { ReactNode } from 'react';
import { useLoadStore } from '../state/loadStore';
import { loadBundle, requestedBackend, switchToWasm } from '../state/session';
import { ErrorCard } from './ErrorCard';
import { LoadProgressPanel } from './LoadProgressPanel';

/**
 * Shows its children once the bundle is loaded; until then the download progress, or the load error.
 * Above them, while the reader has not dismissed it, why the engine had to be restarted.
 */
export function LoadGate({ children }: { children: ReactNode }) {
  const status = useLoadStore((s) => s.status);
  const files = useLoadStore((s) => s.files);
  const steps = useLoadStore((s) => s.steps);
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const error = useLoadStore((s) => s.error);
  const restartNotice = useLoadStore((s) => s.restartNotice);
  let body: ReactNode;
  if (status === 'ready') body = children;
  else if (status === 'failed' && error) {
    body = (
      <ErrorCard
        error={error}
        onRetry={() => void loadBundle()}
        retryLabel="Load again"
        // WebGPU forced by the address is a dead end where it cannot run: wasm runs everywhere.
        {...(requestedBackend() === 'webgpu'
          ? { hint: 'Your text is kept. Use wasm, which runs in every browser, or load again once WebGPU works here.', alternative: { label: 'Use wasm instead', onClick: switchToWasm } }
          : { hint: 'Your text is kept. Fix the file (or the address in ?bundle=) and load again.' })}
      />
    );
  } else body = <LoadProgressPanel files={files} steps={steps} bundleUrl={bundleUrl} />;
  return (
    <>
      {restartNotice && (
        <p className="notice" role="status" data-testid="engine-restarted">
          <strong>{restartNotice.title}.</strong> {restartNotice.message} Your text and your SAEs are kept.{' '}
          <button type="button" className="link-button" onClick={() => useLoadStore.getState().dismissRestartNotice()}>
            Dismiss
          </button>
        </p>
      )}
      {body}
    </>
  );
}
