/**
 * What an embed's address says (docs/EMBEDDING.md): the view's own hash plus `embed=true` and the
 * embed parameters. They live in the hash's query, beside the view's own (`panels=`, `sae=` …),
 * so an embed is a view's address with a few words added, and works on any static host.
 */
import { splitHash } from '../views/matchRoute';

export type EmbedTheme = 'light' | 'dark';
export type EmbedDensity = 'comfortable' | 'compact';

export interface EmbedOptions {
  /** `embed=true`: no app chrome, a link back to the app, height reported to the host page */
  embed: boolean;
  /** `theme=light|dark`; null follows the app's (light) default */
  theme: EmbedTheme | null;
  /** `density=compact` tightens spacing and type for small frames */
  density: EmbedDensity;
  /** `text=`: the text the view starts from (the prompt, the feature page's test text) */
  text: string | null;
  /**
   * `origins=`: the host pages allowed to drive the view by postMessage, as origins
   * (`https://blog.example`, comma-separated), or `*` for any; empty: no host may.
   */
  origins: readonly string[];
}

/** The parameters this module owns: what the app link drops and the embed dialog writes. */
export const EMBED_PARAMS = ['embed', 'theme', 'density', 'text', 'origins'] as const;

export function parseEmbedOptions(query: URLSearchParams): EmbedOptions {
  const theme = query.get('theme');
  return {
    embed: query.get('embed') === 'true',
    theme: theme === 'light' || theme === 'dark' ? theme : null,
    density: query.get('density') === 'compact' ? 'compact' : 'comfortable',
    text: query.get('text'),
    origins: parseOrigins(query.get('origins')),
  };
}

/** Each listed origin normalised (`https://Blog.example/` → `https://blog.example`); what is not an http(s) origin is dropped. */
export function parseOrigins(raw: string | null): string[] {
  if (!raw) return [];
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const s = part.trim();
    if (s === '*') out.push('*');
    else if (s !== '') {
      try {
        const url = new URL(s);
        if (url.protocol === 'http:' || url.protocol === 'https:') out.push(url.origin);
      } catch {
        // not a URL: ignored, like an unknown origin
      }
    }
  }
  return out;
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(origin);
}

/**
 * The hash of the same view without the embed parameters: where "Open in SAE Explorer" goes. The
 * text stays: in the app it is the view's own state (the prompt's, the feature page's test text).
 */
export function withoutEmbed(hash: string): string {
  return withEmbedParams(hash, { text: splitHash(hash).query.get('text') ?? '' });
}

/** The hash of the same view with the embed parameters replaced by `params` (empty values left out). */
export function withEmbedParams(hash: string, params: Partial<Record<(typeof EMBED_PARAMS)[number], string>>): string {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)) || '/';
  const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  for (const name of EMBED_PARAMS) query.delete(name);
  for (const name of EMBED_PARAMS) {
    const value = params[name];
    if (value !== undefined && value !== '') query.set(name, value);
  }
  const rest = query.toString();
  return `#${path}${rest ? `?${rest}` : ''}`;
}
