import { useEffect, useState } from 'react';
import { LoadGate } from '../../components/LoadGate';
import { useLoadStore } from '../../state/loadStore';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';
import { splitHash, type RouteViewProps } from '../matchRoute';
import { navigateTo } from '../viewQuery';
import { AblationPanel } from './AblationPanel';
import { Continuations } from './Continuations';
import { SplicePanel } from './SplicePanel';
import { SteerFeatures } from './SteerFeatures';
import { checkSettings, checkSteer } from './steerInput';
import { readSteerState, steerHrefKeeping, type SteerState } from './steerUrl';
import { useGeneration } from './useGeneration';
import { useMaxActs } from './useMaxActs';
import './steer.css';

/**
 * `#/steer`: continue a prompt steered by features and unsteered, side by side from one seed;
 * ablate a feature; splice an SAE in. Everything the reader sets is kept in the address, so the
 * experiment can be linked.
 */
export function SteerView({ query }: RouteViewProps) {
  const [state, setState] = useState<SteerState>(() => readSteerState(query));
  const saes = useLoadStore((s) => s.saes);
  const ready = useLoadStore((s) => s.status === 'ready');
  const maxAct = useMaxActs(state.steers.map((r) => r.saeId));
  const { state: generation, start, stop } = useGeneration();

  // A link followed to this page (a real navigation, not our own address updates) sets it anew.
  useEffect(() => {
    const follow = () => setState(readSteerState(splitHash(window.location.hash).query));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);
  // Typing corrects the experiment in place; the views reading the address (the embed code) follow.
  // The ablation and splice panels keep their own choices beside it, an embed its parameters.
  const update = (next: SteerState) => {
    setState(next);
    navigateTo(steerHrefKeeping(next, window.location.hash), 'replace');
  };

  const checked = state.steers.map((row) => checkSteer(row, saes, maxAct));
  const settings = checkSettings(state);
  const problem =
    state.text.trim() === ''
      ? 'Type a prompt for the model to continue.'
      : !settings.ok
        ? settings.problem
        : checked.some((c) => !c.ok)
          ? 'Fix the feature marked above.'
          : state.steers.length === 0
            ? 'Add a feature to steer with.'
            : null;
  const running = generation.status === 'running';
  const generate = () => {
    if (problem || !settings.ok) return;
    start(state.text, settings.value, checked.flatMap((c) => (c.ok ? [c.value] : [])));
  };
  const first = state.steers[0];
  useDocumentTitle('Steer', first ? `feature ${first.feature}` : null, first?.saeId);
  const field = (key: 'seed' | 'temperature' | 'topK' | 'topP' | 'maxTokens', label: string) => (
    <label className="steer-setting">
      {label}{' '}
      <input className="input" data-testid={`steer-${key}`} value={state[key]} onChange={(e) => update({ ...state, [key]: e.target.value })} />
    </label>
  );

  return (
    <div className="steer-view">
      <section className="panel steer-panel">
        <h1>Steer the model</h1>
        <label className="field__label" htmlFor="steer-prompt">
          Prompt
        </label>
        <textarea
          id="steer-prompt"
          className="textarea"
          data-testid="steer-prompt"
          rows={3}
          spellCheck={false}
          value={state.text}
          onChange={(e) => update({ ...state, text: e.target.value })}
        />
        <SteerFeatures rows={state.steers} saes={saes} problems={checked.map((c) => (c.ok ? null : c.problem))} maxAct={maxAct} onChange={(steers) => update({ ...state, steers })} />
        <div className="toolbar steer-settings">
          {field('maxTokens', 'tokens')}
          {field('temperature', 'temperature')}
          {field('topK', 'top-k')}
          {field('topP', 'top-p')}
          {field('seed', 'seed')}
          {running ? (
            <button type="button" className="button" data-testid="steer-stop" onClick={stop}>
              Stop
            </button>
          ) : (
            <button type="button" className="button" data-testid="steer-generate" disabled={!ready || problem !== null} onClick={generate}>
              Generate
            </button>
          )}
          {running && <span className="spinner spinner--on">generating…</span>}
        </div>
        {problem && (
          <p className="inline-error" data-testid="steer-input-problem">
            {problem}
          </p>
        )}
        <p className="muted">Temperature 0 is greedy. Both continuations draw from the same seeded random stream, so they part only where steering moved the model.</p>
      </section>
      <LoadGate>
        <section className="panel steer-panel" data-testid="steer-output" data-status={generation.status}>
          {generation.status === 'failed' && (
            <p className="inline-error" data-testid="steer-error">
              {generation.error}
            </p>
          )}
          {generation.status === 'stopped' && (
            <p className="notice" data-testid="steer-stopped">
              Stopped. The tokens generated so far are kept.
            </p>
          )}
          {generation.status === 'idle' ? (
            <p className="empty">Press Generate to continue the prompt with and without steering.</p>
          ) : (
            <Continuations state={generation} prompt={state.text} />
          )}
        </section>
        {first && <AblationPanel text={state.text} saeId={first.saeId} feature={first.feature} saes={saes} />}
        <SplicePanel text={state.text} defaultSaeId={first?.saeId ?? saes[0]?.id ?? ''} saes={saes} />
      </LoadGate>
    </div>
  );
}
