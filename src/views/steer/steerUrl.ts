/**
 * The steering page's state in its address, so an experiment can be linked and embedded:
 * `#/steer?text=…&steer=L2-resid-topk:1654:4:add:all&seed=1&temp=0.7&topk=0&topp=0.9&n=32`.
 * Each `steer` is `<saeId>:<feature>:<strength>:<add|clamp>:<all|gen|from<N>>`, read from the
 * right so an SAE id may hold colons; `sae`, `f` and `s` (with `mode`, `where`) name one feature
 * the short way. Values are kept as typed, so a bad one is shown, with its problem, not dropped.
 */
import { splitHash } from '../matchRoute';
import { withQuery } from '../viewQuery';

export type SteerMode = 'add' | 'clamp';

/** One feature to steer with, as the reader typed it. */
export interface SteerRow {
  saeId: string;
  feature: string;
  /** add: a multiple of the feature's max activation (raw units where there is none); clamp: the activation */
  strength: string;
  mode: SteerMode;
  /** 'all', 'gen' (generated tokens only) or 'from<N>' (token N on) */
  where: string;
}

export interface SteerState {
  text: string;
  steers: SteerRow[];
  seed: string;
  temperature: string;
  topK: string;
  topP: string;
  maxTokens: string;
}

/**
 * What the page opens with: a feature whose steering visibly changes the bundled model's text.
 * Found by trying: feature 1654 of L2-resid-topk (“ king” / “ God”) at 4× its max activation turns
 * the greedy “ to the United States and the United States…” into “ to be. The past GOD's, and …
 * hath said”; greedy, so the first Generate shows the feature's effect and nothing else.
 */
export const DEFAULT_STEER: SteerState = {
  text: 'The people of this country want',
  steers: [{ saeId: 'L2-resid-topk', feature: '1654', strength: '4', mode: 'add', where: 'all' }],
  seed: '1',
  temperature: '0',
  topK: '0',
  topP: '0.9',
  maxTokens: '32',
};

export function parseSteerRow(raw: string): SteerRow | null {
  const parts = raw.split(':');
  if (parts.length < 5) return null;
  const [feature, strength, mode, where] = parts.slice(-4) as [string, string, string, string];
  if (mode !== 'add' && mode !== 'clamp') return null;
  return { saeId: parts.slice(0, -4).join(':'), feature, strength, mode, where };
}

/** The state a query describes, the default filling what it leaves out. */
export function readSteerState(query: URLSearchParams, defaults: SteerState = DEFAULT_STEER): SteerState {
  const get = (name: string, fallback: string) => query.get(name) ?? fallback;
  let steers = query.getAll('steer').map(parseSteerRow).filter((r): r is SteerRow => r !== null);
  const sae = query.get('sae');
  if (sae !== null) {
    const mode = query.get('mode') === 'clamp' ? 'clamp' : 'add';
    steers = [{ saeId: sae, feature: get('f', '0'), strength: get('s', '1'), mode, where: get('where', 'all') }, ...steers];
  }
  const named = query.has('steer') || sae !== null;
  return {
    text: get('text', defaults.text),
    steers: named ? steers : defaults.steers,
    seed: get('seed', defaults.seed),
    temperature: get('temp', defaults.temperature),
    topK: get('topk', defaults.topK),
    topP: get('topp', defaults.topP),
    maxTokens: get('n', defaults.maxTokens),
  };
}

/** The hash that opens the steering page on `state`. */
export function steerHref(state: SteerState): string {
  const q = new URLSearchParams({ text: state.text });
  for (const r of state.steers) q.append('steer', [r.saeId, r.feature, r.strength, r.mode, r.where].join(':'));
  q.set('seed', state.seed);
  q.set('temp', state.temperature);
  q.set('topk', state.topK);
  q.set('topp', state.topP);
  q.set('n', state.maxTokens);
  return `#/steer?${q.toString()}`;
}

/** The parameters that describe the experiment; the address may hold others (an embed's, the ablation and splice panels'). */
const EXPERIMENT_PARAMS = new Set(['text', 'steer', 'sae', 'f', 's', 'mode', 'where', 'seed', 'temp', 'topk', 'topp', 'n']);

/** The steering page's address for `state`, keeping what `hash` holds besides the experiment. */
export function steerHrefKeeping(state: SteerState, hash: string): string {
  const kept = [...splitHash(hash).query].filter(([name]) => !EXPERIMENT_PARAMS.has(name));
  return withQuery(steerHref(state), Object.fromEntries(kept));
}

/** The hash that opens the steering page on one feature, the other settings as by default. */
export function steerFeatureHref(saeId: string, feature: number, strength: number, text = DEFAULT_STEER.text): string {
  return steerHref({ ...DEFAULT_STEER, text, steers: [{ saeId, feature: String(feature), strength: String(strength), mode: 'add', where: 'all' }] });
}
