/**
 * Where the prompt store keeps its fields: localStorage, behind a storage that never throws, so
 * keeping the text can never stop it from being analysed. A text over the browser's quota stays
 * whole in memory; only its first KEPT_PREFIX_CHARS characters are stored, marked with the length
 * the text had, so that after a reload the reader is told what was lost rather than finding an older
 * text. `usePromptStorage` says what became of the text, for the prompt view to show.
 */
import { create } from 'zustand';
import type { PersistStorage, StorageValue } from 'zustand/middleware';
import { errorMessage } from '../errors/engineError';

/** What is stored of a text too long for the quota (far more than the model's context reads). */
export const KEPT_PREFIX_CHARS = 100_000;

export type PromptKeeping =
  /** the text as typed is over the quota: only its beginning is stored */
  | { kind: 'cut'; chars: number; kept: number }
  /** the text read back at start-up is the beginning of a longer one */
  | { kind: 'cut-earlier'; chars: number; kept: number }
  /** the browser refused to store anything */
  | { kind: 'unsaved'; chars: number; reason: string };

export const usePromptStorage = create<{ keeping: PromptKeeping | null }>()(() => ({ keeping: null }));

/** The persisted fields of the prompt store that this storage needs to see. */
interface Kept {
  text: string;
  /** set when `text` is the beginning of a text this long */
  textLength?: number;
}

/**
 * A PersistStorage over `storage` (localStorage in the app). Values are stored as JSON, as
 * createJSONStorage would, so what earlier versions kept is read back unchanged.
 */
export function promptStorage<S extends Kept>(storage: () => Storage): PersistStorage<S> {
  /** the beginning read back at start-up, while it is still the text */
  let restoredCut: { text: string; chars: number } | null = null;
  let lastSaved: S | null = null;
  const report = (keeping: PromptKeeping | null) => usePromptStorage.setState({ keeping });
  const remove = (name: string) => {
    try {
      storage().removeItem(name);
    } catch {
      // storage refused altogether: there is nothing to read back either
    }
  };

  return {
    getItem(name) {
      let value: StorageValue<S> | null;
      try {
        const raw = storage().getItem(name);
        value = raw === null ? null : (JSON.parse(raw) as StorageValue<S>);
      } catch {
        return null;
      }
      if (value === null) return null;
      const { textLength, ...state } = value.state;
      if (typeof textLength === 'number' && textLength > state.text.length) {
        restoredCut = { text: state.text, chars: textLength };
        report({ kind: 'cut-earlier', chars: textLength, kept: state.text.length });
      }
      return { ...value, state: state as S };
    },

    setItem(name, value) {
      // Every change of the prompt store comes here; a long text is serialised only when something kept changed.
      if (lastSaved !== null && shallowEqual(lastSaved, value.state)) return;
      lastSaved = value.state;
      const { text } = value.state;
      if (restoredCut !== null && text !== restoredCut.text) restoredCut = null;
      const write = (state: S) => storage().setItem(name, JSON.stringify({ ...value, state }));
      let refused: unknown;
      try {
        write(restoredCut ? { ...value.state, textLength: restoredCut.chars } : value.state);
        if (restoredCut === null) report(null);
        return;
      } catch (err) {
        refused = err;
      }
      if (text.length > KEPT_PREFIX_CHARS) {
        try {
          write({ ...value.state, text: text.slice(0, KEPT_PREFIX_CHARS), textLength: text.length });
          report({ kind: 'cut', chars: text.length, kept: KEPT_PREFIX_CHARS });
          return;
        } catch (err) {
          refused = err;
        }
      }
      // Nothing could be stored: at least an older text must not come back after a reload as if it were this one.
      remove(name);
      report({ kind: 'unsaved', chars: text.length, reason: errorMessage(refused) });
    },

    removeItem: remove,
  };
}

function shallowEqual(a: object, b: object): boolean {
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}
