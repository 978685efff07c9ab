import { useEffect, useState } from 'react';
import { dashboardSourceFor } from '../../dashboardData/dashboardSource';
import type { PromptPreview } from '../../dashboardData/promptPreview';
import { useLoadStore } from '../../state/loadStore';
import { DEFAULT_PROMPT, usePromptStore } from '../../state/promptStore';

/**
 * The bundle's precomputed activations of the default text (dashboards/prompt-preview.json), for
 * the prompt view to show while the model loads; null while none has arrived, when the bundle has
 * none, or when the view already has a live result to show.
 */
export function usePromptPreview(): PromptPreview | null {
  const bundleUrl = useLoadStore((s) => s.bundleUrl);
  const [preview, setPreview] = useState<PromptPreview | null>(null);
  useEffect(() => {
    // Only the default text has one: a reader back with their own text costs no request.
    const { result, text } = usePromptStore.getState();
    if (bundleUrl === '' || result !== null || text !== DEFAULT_PROMPT) return;
    let current = true;
    dashboardSourceFor(bundleUrl)
      .promptPreview()
      .then(
        (p) => current && setPreview(p),
        // Only a head start: without it the view waits for the engine, as it always could.
        (err: unknown) => console.warn('The precomputed prompt preview could not be used:', err),
      );
    return () => {
      current = false;
    };
  }, [bundleUrl]);
  return preview;
}
