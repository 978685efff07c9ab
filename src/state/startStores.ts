/**
 * What the stores do besides holding state, started once when the app starts (main.tsx), before
 * the engine session: read back what this browser kept (the prompt, imported explanations, the
 * reader's own SAEs), give the labels their source, and let the stores that mirror the engine follow
 * its bundle. Importing a store starts none of it, so tests import stores without side effects.
 */
import { startComputedDashboards } from './computedDashboards';
import { startCorpus } from './corpusStore';
import { dashboardLabels } from './dashboardLabels';
import { useImportedExplanations } from './explanationStore';
import { saeUrlsFromPage } from './appOptions';
import { startLabels } from './labelStore';
import { usePromptStore } from './promptStore';
import { startUserSaes } from './userSaes';

let started = false;

export function startStores(): void {
  if (started) return;
  started = true;
  // localStorage answers synchronously: the state is back before the first render.
  void usePromptStore.persist.rehydrate();
  void useImportedExplanations.persist.rehydrate();
  startLabels(dashboardLabels);
  startUserSaes(saeUrlsFromPage());
  startComputedDashboards();
  startCorpus();
}
