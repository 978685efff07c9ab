/**
 * The prompt view's state in its address: `#/?sae=L2-resid-topk&token=5&color=1654&attr=408&text=…`
 * (`attr`: the feature split by head on the token; the text as ../addressText.ts writes it). Pure,
 * so the round trip is tested in Node.
 */
import type { PromptState } from '../../state/promptStore';
import { intParam, type QueryChanges } from '../viewQuery';

/** The reader's choices besides the text, each a parameter of the address. */
export type PromptChoice = 'sae' | 'token' | 'color' | 'attr';
export const PROMPT_CHOICES: readonly PromptChoice[] = ['sae', 'token', 'color', 'attr'];

type Choices = Pick<PromptState, 'saeId' | 'selectedToken' | 'colorFeature' | 'attributedFeature'>;

/** The parameters for `state`'s choices among `which` (null removes one the state does not set). */
export function promptChoiceParams(state: Choices, which: readonly PromptChoice[] = PROMPT_CHOICES): QueryChanges {
  const all: Record<PromptChoice, string | number | null> = {
    sae: state.saeId,
    token: state.selectedToken,
    color: state.colorFeature,
    attr: state.attributedFeature,
  };
  return Object.fromEntries(which.map((k) => [k, all[k]]));
}

/**
 * The choices an address makes, among `which`: a parameter it leaves out, or one that is not a
 * valid value, chooses nothing (the SAE stays, no token is selected, each token's strongest feature colours).
 */
export function readPromptChoices(query: URLSearchParams, which: readonly PromptChoice[] = PROMPT_CHOICES): Partial<Choices> {
  const out: Partial<Choices> = {};
  const sae = query.get('sae');
  if (which.includes('sae') && sae) out.saeId = sae;
  if (which.includes('token')) out.selectedToken = intParam(query.get('token'), null);
  if (which.includes('color')) out.colorFeature = intParam(query.get('color'), null);
  if (which.includes('attr')) out.attributedFeature = intParam(query.get('attr'), null);
  return out;
}

/** Whether `a` and `b` make the same choices among `which`. */
export function sameChoices(a: Choices, b: Choices, which: readonly PromptChoice[] = PROMPT_CHOICES): boolean {
  const pa = promptChoiceParams(a, which);
  const pb = promptChoiceParams(b, which);
  return which.every((k) => pa[k] === pb[k]);
}
