import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ErrorCard } from './ErrorCard';
import { LoadProgressPanel } from './LoadProgressPanel';

describe('the load panel', () => {
  it('shows the runtime’s binary among the files with its bytes, then every step with its state or its time', () => {
    const html = renderToStaticMarkup(
      <LoadProgressPanel
        bundleUrl="http://h/models/m/"
        files={[
          { file: 'manifest.json', status: 'done', loadedBytes: 13_300, totalBytes: 13_300 },
          { file: 'ort-wasm-simd-threaded.wasm', status: 'progress', loadedBytes: 7_000_000, totalBytes: 14_200_000 },
        ]}
        steps={{ runtime: { step: 'runtime', status: 'running' } }}
      />,
    );
    expect(html).toContain('ort-wasm-simd-threaded.wasm<span class="muted"> · the runtime</span>');
    expect(html).toContain('7.0 MB / 14.2 MB');
    expect(html).toContain('Downloading ort-wasm-simd-threaded.wasm · 7.0 MB of 14.2 MB');
    expect(html).toMatch(/data-testid="load-step-runtime".*running…/);
    expect(html).toMatch(/data-testid="load-step-session".*waiting/);
    expect(html).not.toMatch(/\d of \d files/);
  });
});

describe('an error card', () => {
  it('offers another way out beside the retry when given one', () => {
    const html = renderToStaticMarkup(
      <ErrorCard error={{ title: 'No WebGPU', message: 'x' }} onRetry={() => {}} retryLabel="Load again" alternative={{ label: 'Use wasm instead', onClick: () => {} }} />,
    );
    expect(html).toMatch(/Load again<\/button><button[^>]*>Use wasm instead<\/button>/);
  });
});
