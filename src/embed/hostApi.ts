/**
 * The embed's end of the postMessage API (docs/EMBEDDING.md): it listens to the page that embeds
 * it, answers only origins in the embed's `origins=`, acts on the stores and the address as a
 * reader's clicks would, and answers `get-activations` with what the engine computes. Messages it
 * cannot use are ignored, with a console warning when they were meant for it.
 */
import { errorMessage } from '../errors/engineError';
import { featureColumn, topFeaturesAt } from '../state/activations';
import { useLoadStore } from '../state/loadStore';
import { usePromptStore } from '../state/promptStore';
import { ensureEngine, request } from '../state/session';
import { splitHash } from '../views/matchRoute';
import { originAllowed } from './embedOptions';
import { MESSAGE_PREFIX, parseHostMessage, type HostMessage } from './hostMessages';
import { useHostText } from './hostText';

type Reply = (data: Record<string, unknown>) => void;

let started = false;

export function startHostApi(allowed: readonly string[]): void {
  if (started || window.parent === window) return;
  started = true;
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    // Only the page that embeds this one drives it; other frames' messages are not for us.
    if (event.source !== window.parent) return;
    const parsed = parseHostMessage(event.data);
    if (!parsed.ok) {
      if (parsed.ours) console.warn(`SAE Explorer embed: ignored a message from ${event.origin}: ${parsed.reason}.`);
      return;
    }
    if (!originAllowed(event.origin, allowed)) {
      console.warn(`SAE Explorer embed: ignored “${parsed.message.type}” from ${event.origin}, which this embed’s origins= does not list.`);
      return;
    }
    const host = event.source as Window;
    const reply: Reply = (data) => host.postMessage({ ...data, type: `${MESSAGE_PREFIX}${data.type as string}` }, event.origin);
    act(parsed.message, reply).catch((err: unknown) => console.warn('SAE Explorer embed: a host message failed:', err));
  });
}

/** Tells the host this view is listening (to any origin: it says nothing but that). */
export function announceReady(): void {
  if (window.parent !== window) window.parent.postMessage({ type: `${MESSAGE_PREFIX}ready`, view: splitHash(window.location.hash).path }, '*');
}

async function act(message: HostMessage, reply: Reply): Promise<void> {
  switch (message.type) {
    case 'set-text':
      useHostText.setState({ text: message.text });
      usePromptStore.getState().setText(message.text);
      return;
    case 'select':
      select(message.sae, message.feature, message.token);
      return;
    case 'get-activations':
      try {
        reply({ type: 'activations', id: message.id, ...(await activations(message)) });
      } catch (err) {
        reply({ type: 'error', id: message.id, message: errorMessage(err) });
      }
  }
}

/** The feature page's SAE and feature from the address, when the view is one. */
function routeFeature(): { sae: string; feature: number; query: URLSearchParams } | null {
  const { path, query } = splitHash(window.location.hash);
  const m = /^\/feature\/([^/]+)\/(\d+)$/.exec(path);
  return m ? { sae: decodeURIComponent(m[1]!), feature: Number(m[2]), query } : null;
}

/** On a feature page another SAE or feature is another address; elsewhere the prompt view's choices change. */
function select(sae: string | null, feature: number | null, token: number | null): void {
  const page = routeFeature();
  if (page && (sae !== null || feature !== null)) {
    const q = page.query.toString();
    window.location.hash = `#/feature/${encodeURIComponent(sae ?? page.sae)}/${feature ?? page.feature}${q ? `?${q}` : ''}`;
    return;
  }
  const prompt = usePromptStore.getState();
  if (sae !== null) prompt.setSaeId(sae);
  if (feature !== null) prompt.setColorFeature(feature);
  if (token !== null) prompt.selectToken(token);
}

async function activations(message: Extract<HostMessage, { type: 'get-activations' }>): Promise<Record<string, unknown>> {
  await engineReady();
  const page = routeFeature();
  const prompt = usePromptStore.getState();
  const text = message.text ?? useHostText.getState().text ?? prompt.text;
  const saeId = message.sae ?? page?.sae ?? prompt.saeId ?? useLoadStore.getState().saes[0]?.id;
  if (saeId === undefined) throw new Error('The bundle has no SAE.');
  const feature = message.feature ?? page?.feature ?? null;
  const acts = await request('analyze', { text, saeId, lane: 'embed-host' });
  if (acts === null) throw new Error('A newer get-activations replaced this one.');
  if (feature !== null && feature >= acts.dSae) throw new Error(`SAE “${saeId}” has features 0 to ${acts.dSae - 1}.`);
  const base = { sae: saeId, text: acts.text, tokens: acts.tokens, truncated: acts.truncated };
  if (feature !== null) return { ...base, feature, values: Array.from(featureColumn(acts.acts, acts.nTokens, acts.dSae, feature)) };
  return { ...base, top: acts.tokens.map((_, t) => topFeaturesAt(acts.acts, acts.dSae, t, message.top)) };
}

/** Starts the engine if this embed had not needed it yet, and waits until it has loaded. */
function engineReady(): Promise<void> {
  ensureEngine();
  return new Promise((resolve, reject) => {
    const check = (status: string): boolean => {
      if (status === 'ready') resolve();
      else if (status === 'failed') reject(new Error(useLoadStore.getState().error?.message ?? 'The model could not be loaded.'));
      else return false;
      return true;
    };
    if (check(useLoadStore.getState().status)) return;
    const stop = useLoadStore.subscribe((s) => check(s.status) && stop());
  });
}
