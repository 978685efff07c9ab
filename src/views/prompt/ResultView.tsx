import { useMemo } from 'react';
import { ColorLegend } from '../../components/tokens/ColorLegend';
import { TokenStrip } from '../../components/tokens/TokenStrip';
import { featureColumn, maxAbs, strongestFeatures } from '../../state/activations';
import type { PromptActivations } from '../../worker/protocol';

export interface ResultViewProps {
  result: PromptActivations;
  colorFeature: number | null;
  selectedToken: number | null;
  onSelectToken(index: number): void;
  /** the token under the pointer, or null when it leaves the strip */
  onHoverToken?(index: number | null): void;
}

/** The coloured token strip of a computed prompt, with its legend and truncation notice. */
export function ResultView({ result, colorFeature, selectedToken, onSelectToken, onHoverToken }: ResultViewProps) {
  const { acts, nTokens, dSae, tokens } = result;
  const strongest = useMemo(() => strongestFeatures(acts, nTokens, dSae), [acts, nTokens, dSae]);
  const values = useMemo(
    () => (colorFeature === null ? strongest.value : featureColumn(acts, nTokens, dSae, colorFeature)),
    [acts, nTokens, dSae, colorFeature, strongest],
  );
  // BOS (token 0) is not drawn and does not set the scale: its activations dwarf the text's.
  const scaleMax = maxAbs(values, 1);
  const signed = values.some((v, i) => i > 0 && v < 0);
  const describe = (i: number) => {
    if (colorFeature !== null) return `feature ${colorFeature}`;
    const f = strongest.feature[i]!;
    return f < 0 ? 'no active feature' : `strongest: feature ${f}`;
  };

  return (
    <>
      {result.truncated && (
        <p className="notice" role="status" data-testid="truncation-notice">
          <strong>Text truncated.</strong> It is longer than the model’s context of {result.nCtx} tokens, so only
          its first {nTokens - 1} tokens are analysed; the rest is ignored.
        </p>
      )}
      <div className="strip-meta">
        <span className="muted">
          {nTokens - 1} token{nTokens - 1 === 1 ? '' : 's'} · coloured by{' '}
          {colorFeature === null ? 'each token’s strongest feature' : `feature #${colorFeature}`}
        </span>
        <ColorLegend
          scaleMax={scaleMax}
          signed={signed}
          caption={colorFeature === null ? 'strongest activation' : `feature #${colorFeature}`}
        />
      </div>
      <TokenStrip
        tokens={tokens}
        special={result.special}
        values={values}
        scaleMax={scaleMax}
        from={1}
        selected={selectedToken}
        onSelect={onSelectToken}
        {...(onHoverToken ? { onHover: onHoverToken } : {})}
        describe={describe}
        label="Prompt tokens coloured by activation"
      />
    </>
  );
}
