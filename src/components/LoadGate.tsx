import type { ReactNode } from 'react';
import { useLoadStore } from '../state/loadStore';
import { keptModelOfUrl, keptModelParam, opensOtherModel } from '../state/modelAddress';
import { useModelChoice } from '../state/modelChoice';
import { givenModelFailed, loadBundle, requestedBackend, switchToWasm } from '../state/session';
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
    // Files the reader gave that failed leave the model before to go back to; a model other than the bundled one, the bundled one.
    const given = givenModelFailed();
    const bundled = { label: 'Open the bundled model', onClick: () => useModelChoice.getState().openBundled() };
    // A kept model whose copy is gone cannot load again: only another model can open.
    const keptName = keptModelOfUrl(bundleUrl);
    const gone = keptName !== null && error.source === keptModelParam(keptName);
    body = (
      <ErrorCard
        error={error}
        {...(gone ? {} : { onRetry: () => void loadBundle() })}
        retryLabel={given ? 'Back to the model before' : 'Load again'}
        // WebGPU forced by the address is a dead end where it cannot run: wasm runs everywhere.
        {...(requestedBackend() === 'webgpu'
          ? { hint: 'Your text is kept. Use wasm, which runs in every browser, or load again once WebGPU works here.', alternative: { label: 'Use wasm instead', onClick: switchToWasm } }
          : given
            ? {
                hint: 'Your text is kept. Give other files with “Open a model” at the top, or go back to the model before.',
                ...(opensOtherModel(window.location.href) ? { alternative: bundled } : {}),
              }
            : opensOtherModel(window.location.href)
              ? { hint: 'Your text is kept. Open another model with “Open a model” at the top, or the bundled one.', alternative: bundled }
              : { hint: 'Your text is kept. Fix the file (or the address in ?bundle=) and load again.' })}
      />
    );
  } else {
    // A model given from disk is named by a folder URL nothing is fetched from: say where it really comes from.
    const kept = keptModelOfUrl(bundleUrl);
    body = <LoadProgressPanel files={files} steps={steps} bundleUrl={kept !== null ? `your files of “${kept}”, in this browser` : bundleUrl} />;
  }
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
