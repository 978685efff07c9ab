import { useEffect, useRef, useState } from 'react';
import { useHashLocation } from '../hooks/useHashLocation';
import { TYPING_DEBOUNCE_MS } from '../state/session';
import { PACKED_TEXT_PARAM, readTextParam, TEXT_PARAM, textParamNow, textParams } from './addressText';
import { splitHash } from './matchRoute';
import type { AddressTextNotice } from './prompt/usePromptAddress';
import { writeViewQuery, type QueryChanges } from './viewQuery';

export interface AddressText {
  /** the view's own text, as the reader typed it or the address has it; null when neither gave one */
  text: string | null;
  /** the reader typed (null: back to the view's default); the address follows after a pause, with `alongside` */
  setText(text: string | null, alongside?: QueryChanges): void;
  notice: AddressTextNotice | null;
}

/**
 * A text a view keeps of its own (not the prompt's) in its address, as ./addressText.ts writes it:
 * the box follows the reader's typing at once, the address after a pause, one history step per
 * burst; a link or Back/Forward brings its text into the box.
 */
export function useAddressText(): AddressText {
  const { query } = splitHash(useHashLocation());
  const packed = query.get(PACKED_TEXT_PARAM);
  const key = `${query.get(TEXT_PARAM)} ${packed}`;
  const now = textParamNow(query);
  const [inflated, setInflated] = useState<{ packed: string; text: string | null; problem: string | null } | null>(null);
  /** what the reader typed, shown until the address moves on by itself */
  const [draft, setDraft] = useState<string | null | undefined>(undefined);
  const [tooLong, setTooLong] = useState<number | null>(null);
  /** the text parameters we last wrote, as `key` has them: the address moving there is our own doing */
  const [written, setWritten] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  // The address moved on, not by our writing (a link, Back, Forward): its text replaces the draft.
  const [seen, setSeen] = useState(key);
  if (seen !== key) {
    setSeen(key);
    if (key !== written) {
      setDraft(undefined);
      setTooLong(null);
    }
  }

  useEffect(() => {
    if (packed === null || now !== undefined) return;
    let current = true;
    void readTextParam(new URLSearchParams([[PACKED_TEXT_PARAM, packed]])).then((read) => {
      if (current) setInflated({ packed, text: read.ok ? read.text : null, problem: read.ok ? null : read.problem });
    });
    return () => {
      current = false;
    };
  }, [packed, now]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const fromAddress = now !== undefined ? now : inflated?.packed === packed ? inflated.text : null;
  const problem = now === undefined && inflated?.packed === packed ? inflated.problem : null;

  const setText = (next: string | null, alongside: QueryChanges = {}) => {
    setDraft(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      void (next === null ? Promise.resolve(null) : textParams(next)).then((params) => {
        setTooLong(params && !params.fits ? params.chars : null);
        const text = params?.fits ? params.params : { [TEXT_PARAM]: null, [PACKED_TEXT_PARAM]: null };
        setWritten(`${text[TEXT_PARAM]} ${text[PACKED_TEXT_PARAM]}`);
        writeViewQuery({ ...alongside, ...text }, 'type');
      });
    }, TYPING_DEBOUNCE_MS);
  };
  const notice: AddressTextNotice | null =
    tooLong !== null ? { kind: 'too-long', chars: tooLong } : problem !== null ? { kind: 'unreadable', problem } : null;
  return { text: draft !== undefined ? draft : fromAddress, setText, notice };
}
