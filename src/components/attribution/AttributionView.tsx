import { useMemo, useState } from 'react';
import type { FeatureAttribution } from '../../engine/analysis/featureAttribution';
import { formatActivation } from '../../format/numbers';
import { HeadBars } from '../headBars/HeadBars';
import { activationColor } from '../tokens/activationColor';
import { displayToken } from '../tokens/tokenDisplay';
import { TokenStrip } from '../tokens/TokenStrip';
import './attribution.css';

export interface AttributionViewProps {
  attribution: FeatureAttribution;
  /** display strings of the text's tokens, BOS first */
  tokens: readonly string[];
  /** per token, whether it is a special token (drawn marked) */
  special?: readonly boolean[];
  /** each head's label links to its page */
  headHref?(layer: number, head: number): string;
}

/**
 * Who wrote a feature at one token: for an attention SAE, each head's total and, for one head or
 * all of them, each earlier token's part (direct feature attribution); for a residual SAE, each
 * head of every earlier block beside the MLPs, biases and embeddings. The parts add up to the
 * pre-activation, as the summary line says.
 */
export function AttributionView({ attribution: a, tokens, special, headHref }: AttributionViewProps) {
  const parts = a.kind === 'attn' ? sumRows(a.bySource, a.nHeads, a.T) : null;
  const written = a.kind === 'attn' ? parts!.reduce((s, v) => s + v, 0) : [a.embeddings, ...a.heads, ...a.attnBias, ...a.mlp].reduce((s, v) => s + v, 0);
  const token = displayToken(tokens[a.dest] ?? '').text;
  return (
    <div className="attribution" data-testid="attribution">
      <p className="attribution__summary" data-testid="attribution-summary">
        Feature {a.feature} at token {a.dest} <code className="token-chip">{token}</code>: pre-activation{' '}
        <strong>{formatActivation(written + a.constant)}</strong> = {a.kind === 'attn' ? 'heads' : 'what wrote the residual stream'}{' '}
        {formatActivation(written)} {a.constant < 0 ? '−' : '+'} biases {formatActivation(Math.abs(a.constant))}
        {a.activation === 0 ? ' · the feature is not active here' : ` · activation ${formatActivation(a.activation)}`}
      </p>
      {a.kind === 'attn' ? (
        <AttentionParts a={a} heads={parts!} tokens={tokens} special={special} headHref={headHref} />
      ) : (
        <ResidualParts a={a} headHref={headHref} />
      )}
    </div>
  );
}

function AttentionParts({
  a,
  heads,
  tokens,
  special,
  headHref,
}: {
  a: Extract<FeatureAttribution, { kind: 'attn' }>;
  heads: Float32Array;
  tokens: readonly string[];
  special: readonly boolean[] | undefined;
  headHref?: AttributionViewProps['headHref'];
}) {
  const [head, setHead] = useState<number | null>(null);
  const bySource = useMemo(() => {
    const out = new Float32Array(a.dest + 1);
    for (let h = 0; h < a.nHeads; h++) {
      if (head !== null && h !== head) continue;
      for (let s = 0; s <= a.dest; s++) out[s]! += a.bySource[h * a.T + s]!;
    }
    return out;
  }, [a, head]);
  const scale = Math.max(...Array.from(bySource, Math.abs));
  return (
    <>
      <HeadBars layer={a.layer} series={[{ name: 'Written by the head', values: heads, format: 'value' }]} headHref={headHref && ((h) => headHref(a.layer, h))} label="Each head's part of the feature" />
      <div className="attribution__sources">
        <div className="toggle-row" role="group" aria-label="Source tokens of">
          <span className="muted">Source tokens of</span>
          <button type="button" className="toggle" aria-pressed={head === null} onClick={() => setHead(null)}>
            all heads
          </button>
          {Array.from({ length: a.nHeads }, (_, h) => (
            <button key={h} type="button" className="toggle" aria-pressed={head === h} onClick={() => setHead(h)}>
              H{h}
            </button>
          ))}
        </div>
        <div data-testid="dfa-sources">
          <TokenStrip
            tokens={tokens.slice(0, a.dest + 1)}
            special={special?.slice(0, a.dest + 1)}
            values={bySource}
            scaleMax={scale}
            selected={a.dest}
            onSelect={() => {}}
            describe={(s) => `${head === null ? 'all heads' : `head ${head}`} from token ${s}: ${formatActivation(bySource[s] ?? 0)}`}
            label={`What each token up to ${a.dest} wrote of feature ${a.feature}, through ${head === null ? 'all heads' : `head ${head}`}`}
          />
        </div>
        <p className="muted attribution__note">
          pattern<sub>h</sub>[d, s] · (v<sub>h</sub>[s] · w<sub>f,h</sub>): what each earlier token passed on through the head's attention, on the feature's encoder direction.
        </p>
      </div>
    </>
  );
}

function ResidualParts({ a, headHref }: { a: Extract<FeatureAttribution, { kind: 'resid' }>; headHref?: AttributionViewProps['headHref'] }) {
  const blocks = a.attnBias.length;
  const all = [a.embeddings, ...a.heads, ...a.attnBias, ...a.mlp];
  const scale = Math.max(1e-12, ...all.map(Math.abs));
  const cell = (v: number, key: string, title: string) => {
    const c = activationColor(v, scale);
    return (
      <td key={key} title={title} style={{ background: c.background, color: c.text }}>
        {formatActivation(v)}
      </td>
    );
  };
  return (
    // It may scroll sideways (a phone, many heads): a tab stop lets the keyboard scroll it too.
    <div className="attribution__table-wrap" tabIndex={0} role="region" aria-label="Parts of the feature by block and head">
      <table className="attribution__table" data-testid="resid-attribution">
        <thead>
          <tr>
            <th scope="col">Block</th>
            {Array.from({ length: a.nHeads }, (_, h) => (
              <th scope="col" key={h}>
                H{h}
              </th>
            ))}
            <th scope="col">attn bias</th>
            <th scope="col">MLP</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: blocks }, (_, l) => (
            <tr key={l}>
              <th scope="row">L{l}</th>
              {Array.from({ length: a.nHeads }, (_, h) => cell(a.heads[l * a.nHeads + h]!, `h${h}`, headHref ? `head L${l}H${h}` : ''))}
              {cell(a.attnBias[l]!, 'bias', `attention bias of block ${l}`)}
              {cell(a.mlp[l]!, 'mlp', `MLP of block ${l}`)}
            </tr>
          ))}
          <tr>
            <th scope="row">embeddings</th>
            {cell(a.embeddings, 'emb', 'token and position embeddings')}
          </tr>
        </tbody>
      </table>
      {blocks === 0 && <p className="muted">This SAE reads the residual stream before block 0: only the embeddings have written it.</p>}
    </div>
  );
}

/** Σ over each row of a [rows, width] matrix. */
function sumRows(m: Float32Array, rows: number, width: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out[r]! += m[r * width + c]!;
  return out;
}
