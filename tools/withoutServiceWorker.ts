/**
 * The app's Vite config without its offline service worker (vite-plugin-pwa, src/offline/): for the
 * builds that are not dist/ — the tool pages, and the in-memory checks, which must write nothing.
 */
import type { UserConfig } from 'vite';

export function withoutServiceWorker(config: UserConfig): UserConfig {
  const plugins = (config.plugins ?? []).flat().filter((p) => !(p && typeof p === 'object' && 'name' in p && p.name.startsWith('vite-plugin-pwa')));
  return { ...config, plugins };
}
