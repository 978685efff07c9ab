/**
 * A view's reader-chosen state lives in its address, in the hash route's query
 * (`#/features/L2-resid-topk?q=king&sort=density-desc`), so a link reproduces what is on screen and
 * Back/Forward walk the reader's steps. Every view reads its state from the query it is given
 * (RouteViewProps) and writes it back here: a deliberate step (another SAE, a token picked, a sort)
 * is a new history entry; typing and corrections replace the current one, so Back never walks
 * keystrokes.
 */
import { splitHash } from './matchRoute';

/** Values to set in the query; null or undefined removes the parameter ('' is kept: a field the reader emptied). */
export type QueryChanges = Readonly<Record<string, string | number | null | undefined>>;

/**
 * 'push': a step the reader may want to go Back to; 'replace': a correction of the current one;
 * 'type': typing into a field, whose first keystroke is a step and the rest of the burst replace it.
 */
export type HistoryStep = 'push' | 'replace' | 'type';

/** The field typed into last and the address that typing left: typing on there replaces it. */
let typed: { field: string; hash: string } | null = null;

/** `hash` with `changes` made to its query, its other parameters (e.g. an embed's) kept in place. */
export function withQuery(hash: string, changes: QueryChanges): string {
  const { path, query } = splitHash(hash);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined) query.delete(name);
    else query.set(name, String(value));
  }
  const rest = query.toString();
  return `#${path}${rest ? `?${rest}` : ''}`;
}

/** The address of another path (another SAE's map, say) with the same query: the view's choices carried over. */
export function withPath(hash: string, path: string): string {
  const rest = splitHash(hash).query.toString();
  return `#${path}${rest ? `?${rest}` : ''}`;
}

/** A whole number ≥ 0 from the query, or `fallback` when the parameter is missing or is not one. */
export function intParam(value: string | null, fallback: number): number;
export function intParam(value: string | null, fallback: null): number | null;
export function intParam(value: string | null, fallback: number | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return fallback;
  return Number(value);
}

/**
 * Writes `changes` into the current address. An embed never adds history entries: its frame's
 * history is the host page's, whose Back button must not walk the embed's clicks.
 * Returns the hash now in the address.
 */
export function writeViewQuery(changes: QueryChanges, step: HistoryStep): string {
  const hash = withQuery(window.location.hash, changes);
  if (step !== 'type') return navigateTo(hash, step);
  const field = Object.keys(changes).sort().join(',');
  const burst = typed !== null && typed.field === field && typed.hash === window.location.hash;
  typed = { field, hash: navigateTo(hash, burst ? 'replace' : 'push') };
  return typed.hash;
}

/**
 * Goes to `hash` as a history step or in place of the current entry, telling the views (pushState
 * and replaceState fire no hashchange of their own).
 */
export function navigateTo(hash: string, step: 'push' | 'replace'): string {
  const oldURL = window.location.href;
  if (hash === (window.location.hash || '#/')) return hash;
  const embedded = splitHash(window.location.hash).query.get('embed') === 'true';
  if (step === 'push' && !embedded) history.pushState(history.state, '', hash);
  else history.replaceState(history.state, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: window.location.href }));
  return hash;
}
