import type { BackendInfo } from '../engine/types';

/** Which execution backend runs the model, e.g. "WebGPU" or "wasm · 2 threads", with details on hover. */
export function BackendBadge({ backend }: { backend: BackendInfo | null }) {
  if (!backend) {
    return (
      <span className="status-badge status-badge--pending" data-testid="backend">
        starting…
      </span>
    );
  }
  const label =
    backend.name === 'webgpu'
      ? 'WebGPU'
      : `wasm · ${backend.threads} thread${backend.threads === 1 ? '' : 's'}`;
  const details = [
    backend.detail,
    backend.fallbackReason !== undefined ? `WebGPU not used: ${backend.fallbackReason}` : undefined,
  ].filter((s): s is string => s !== undefined && s !== '');
  return (
    <span className={`status-badge status-badge--${backend.name}`} data-testid="backend" title={details.join('\n') || undefined}>
      <span className="status-badge__dot" aria-hidden="true" />
      {label}
    </span>
  );
}
