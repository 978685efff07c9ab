import type { ReactNode } from 'react';
import { useLoadStore } from '../state/loadStore';
import { loadBundle } from '../state/session';
import { ErrorCard } from './ErrorCard';
import { LoadProgressPanel } from './LoadProgressPanel';

/** Shows its children once the bundle is loaded; until then the download progress, or the load error. */
export function LoadGate({ children }: { children: ReactNode }) {
  const status = useLoadStore((s) => s.status);
  const files = useLoadStore((s) => s.files);
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const error = useLoadStore((s) => s.error);
  if (status === 'ready') return <>{children}</>;
  if (status === 'failed' && error) {
    return (
      <ErrorCard
        error={error}
        onRetry={() => void loadBundle()}
        retryLabel="Load again"
        hint="Your text is kept. Fix the file (or the address in ?bundle=) and load again."
      />
    );
  }
  return <LoadProgressPanel files={files} bundleUrl={bundleUrl} />;
}
