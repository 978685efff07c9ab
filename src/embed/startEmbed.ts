/**
 * An embed's start (main.tsx, before the stores and the session): it keeps its text to itself, so
 * a blog's embed never overwrites the prompt a reader kept in the full app on the same origin;
 * starts from its `text=`; listens to its host; and says whether the engine may wait for a view
 * that needs it (a feature page's panels are precomputed until one computes live).
 */
import { FORGETFUL_STORAGE } from '../state/forgetfulStorage';
import { usePromptStore } from '../state/promptStore';
import { splitHash } from '../views/matchRoute';
import { parseEmbedOptions } from './embedOptions';
import { announceReady, startHostApi } from './hostApi';
import { useHostText } from './hostText';

/** Returns whether the engine should start lazily (null: not an embed). */
export function startEmbed(hash: string): { lazyEngine: boolean } | null {
  const { path, query } = splitHash(hash);
  const options = parseEmbedOptions(query);
  if (!options.embed) return null;
  usePromptStore.persist.setOptions({ storage: FORGETFUL_STORAGE });
  if (options.text !== null) {
    usePromptStore.setState({ text: options.text });
    useHostText.setState({ text: options.text });
  }
  startHostApi(options.origins);
  announceReady();
  return { lazyEngine: path.startsWith('/feature/') };
}
