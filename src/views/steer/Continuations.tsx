import { TokenStrip } from '../../components/tokens/TokenStrip';
import type { Branch, Continuation, StopReason } from '../../engine/generation/generate';
import { formatSigned } from '../../format/numbers';
import type { GenerationState } from './useGeneration';

const STOPPED: Record<StopReason, string> = {
  length: 'reached the length asked for',
  'end-of-text': 'the model wrote end-of-text',
  context: "stopped: the model's context is full",
};

/**
 * The unsteered and the steered continuation side by side. Once both are done, each token is
 * coloured by how much more likely its own model made it than the other (log-probability difference).
 */
export function Continuations({ state, prompt }: { state: GenerationState; prompt: string }) {
  return (
    <div className="continuations">
      {(['unsteered', 'steered'] as const).map((branch) => (
        <Column key={branch} branch={branch} state={state} prompt={prompt} />
      ))}
    </div>
  );
}

function Column({ branch, state, prompt }: { branch: Branch; state: GenerationState; prompt: string }) {
  const done: Continuation | undefined = state.result?.[branch];
  const tokens = done?.tokens ?? state.streams[branch].tokens;
  const diffs = done ? done.logProbs.map((lp, i) => lp - done.otherLogProbs[i]!) : tokens.map(() => 0);
  const scale = Math.max(1, ...diffs.map(Math.abs));
  const other = branch === 'steered' ? 'unsteered' : 'steered';
  return (
    <section className="continuation" data-testid={`continuation-${branch}`} data-tokens={tokens.length}>
      <h3>{branch === 'steered' ? 'Steered' : 'Unsteered'}</h3>
      <p className="continuation__prompt muted">{prompt}</p>
      <div data-testid={`continuation-${branch}-text`} data-text={tokens.join('')}>
        <TokenStrip
          tokens={tokens}
          values={diffs}
          scaleMax={scale}
          selected={null}
          onSelect={() => {}}
          label={`${branch} continuation`}
          describe={(i) => (done ? `log p ${formatSigned(done.logProbs[i]!)} here, ${formatSigned(done.otherLogProbs[i]!)} ${other}` : undefined)}
        />
      </div>
      <p className="muted continuation__status">
        {tokens.length} token{tokens.length === 1 ? '' : 's'}
        {done && ` · ${STOPPED[done.stop]}`}
        {state.status === 'stopped' && ' · stopped'}
        {done && ` · mean log-prob difference ${formatSigned(diffs.reduce((a, b) => a + b, 0) / Math.max(1, diffs.length))} against the ${other} model`}
      </p>
    </section>
  );
}
