/**
 * Keeps the prompt store and the address of the view showing it in step (the prompt view; the
 * attention viewer, maps and token map, which show the prompt's text). The address wins when the
 * view opens and on Back/Forward (over what this browser kept from the last visit: a link
 * reproduces what was on screen), unless it names none of the view's state (a bare `#/`, the
 * header's link), which shows the prompt as it was left; afterwards every change of the store is
 * written back. The reader's
 * deliberate steps (another SAE, a token, a colour) are history entries; a burst of typing is one
 * entry, its later keystrokes replacing it; what the app corrects by itself (a default SAE, a
 * selection past a new text's end) replaces the current entry.
 */
import { useEffect, useMemo, useState } from 'react';
import { TYPING_DEBOUNCE_MS } from '../../state/session';
import { usePromptStore, type PromptState } from '../../state/promptStore';
import { splitHash } from '../matchRoute';
import { PACKED_TEXT_PARAM, readTextParam, TEXT_PARAM, textParams } from '../addressText';
import { withQuery, writeViewQuery, type HistoryStep } from '../viewQuery';
import { promptChoiceParams, readPromptChoices, sameChoices, type PromptChoice } from './promptAddress';

/** What the reader is told about the address's text. */
export type AddressTextNotice =
  /** the text is too long for a link: `chars` characters compressed, over LINK_TEXT_LIMIT */
  | { kind: 'too-long'; chars: number }
  /** the address's text could not be read; the text shown is the one kept before */
  | { kind: 'unreadable'; problem: string };

/** The store's reader actions, each a step of the reader's history. */
export interface PromptSteps {
  setSaeId(saeId: string): void;
  setColorFeature(feature: number | null): void;
  selectToken(index: number | null): void;
}

/**
 * Syncs the prompt store with the address while the calling view is shown; `choices` are the
 * parameters besides the text that the view's address holds.
 */
export function usePromptAddress(choices: readonly PromptChoice[]): { notice: AddressTextNotice | null; steps: PromptSteps } {
  const [notice, setNotice] = useState<AddressTextNotice | null>(null);
  const key = choices.join(',');
  useEffect(() => {
    const s = startAddressSync(key === '' ? [] : (key.split(',') as PromptChoice[]), setNotice);
    shown = s;
    return () => {
      s.stop();
      if (shown === s) shown = null;
    };
  }, [key]);
  const steps = useMemo<PromptSteps>(() => {
    const store = usePromptStore.getState();
    return {
      setSaeId: (id) => promptStep(() => store.setSaeId(id)),
      setColorFeature: (f) => promptStep(() => store.setColorFeature(f)),
      selectToken: (i) => promptStep(() => store.selectToken(i)),
    };
  }, []);
  return { notice, steps };
}

/** The sync of the view on screen, if it shows the prompt. */
let shown: AddressSync | null = null;

/** Runs a reader's action on the prompt store; its change becomes a history entry of the view on screen. */
export function promptStep(action: () => void): void {
  if (shown) shown.step(action);
  else action();
}

interface AddressSync {
  /** runs a reader's action, whose change of the store becomes a history entry */
  step(action: () => void): void;
  stop(): void;
}

function startAddressSync(choices: readonly PromptChoice[], onNotice: (n: AddressTextNotice | null) => void): AddressSync {
  /** the address as we last wrote it: its hashchange is ours, not a step to follow */
  let written: string | null = null;
  /** the next store change is the reader's step */
  let stepping = false;
  /** the store is being set from the address: nothing to write back */
  let following = false;
  /** increases with every address followed, and with every write: older async work gives up */
  let followed = 0;
  let writes = 0;
  /** an address is being read: writes wait for it, which writes the state it leads to */
  let reading = false;
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  /** what the reader is told: the text on screen is too long for the link, or the link's text could not be read */
  let tooLong: number | null = null;
  let unreadable: string | null = null;
  const report = () =>
    onNotice(tooLong !== null ? { kind: 'too-long', chars: tooLong } : unreadable !== null ? { kind: 'unreadable', problem: unreadable } : null);

  const cancelTyping = () => {
    if (typingTimer !== null) clearTimeout(typingTimer);
    typingTimer = null;
  };

  const write = async (step: HistoryStep) => {
    if (reading) return;
    const id = ++writes;
    const from = followed;
    const state = usePromptStore.getState();
    const text = await textParams(state.text);
    if (stopped || id !== writes || from !== followed) return;
    const now = usePromptStore.getState();
    if (now.text !== state.text) return; // typed on meanwhile: that write follows
    tooLong = text.fits ? null : text.chars;
    report();
    const changes = { ...promptChoiceParams(now, choices), ...(text.fits ? text.params : { [TEXT_PARAM]: null, [PACKED_TEXT_PARAM]: null }) };
    // Known before writing: the hashchange the write dispatches comes back here at once.
    written = withQuery(window.location.hash, changes);
    writeViewQuery(changes, step);
  };

  const follow = async () => {
    const hash = window.location.hash || '#/';
    if (hash === written) return;
    cancelTyping();
    const id = ++followed;
    reading = true;
    const { query } = splitHash(hash);
    // An address that names none of the view's state (the header's link, a bare #/) shows it as it was left.
    if (![...choices, TEXT_PARAM, PACKED_TEXT_PARAM].some((name) => query.has(name))) {
      reading = false;
      unreadable = null;
      await write('replace');
      return;
    }
    const read = await readTextParam(query);
    if (stopped || id !== followed) return;
    reading = false;
    const state = usePromptStore.getState();
    const next: Partial<PromptState> = readPromptChoices(query, choices);
    if (read.ok && read.text !== null) next.text = read.text;
    if (next.saeId !== undefined && next.saeId !== state.saeId) next.error = null;
    following = true;
    usePromptStore.setState(next);
    following = false;
    unreadable = read.ok ? null : read.problem;
    // An address that leaves something out (a bare #/) is completed in place, so its link is whole.
    await write('replace');
  };

  const unsubscribe = usePromptStore.subscribe((state, prev) => {
    if (following) return;
    if (!sameChoices(state, prev, choices)) {
      cancelTyping();
      void write(stepping ? 'push' : 'replace');
    } else if (state.text !== prev.text) {
      unreadable = null; // the text on screen is the reader's now
      cancelTyping();
      typingTimer = setTimeout(() => {
        typingTimer = null;
        void write('type');
      }, TYPING_DEBOUNCE_MS);
    }
  });
  const onHash = () => void follow();
  window.addEventListener('hashchange', onHash);
  void follow();

  return {
    step(action) {
      stepping = true;
      try {
        action();
      } finally {
        stepping = false;
      }
    },
    stop() {
      stopped = true;
      cancelTyping();
      unsubscribe();
      window.removeEventListener('hashchange', onHash);
    },
  };
}
