/** The snippet "Copy embed code" gives: the view's address with the chosen embed parameters, in an iframe, and the host script. */
import { PACKED_TEXT_PARAM, TEXT_PARAM } from '../views/addressText';
import { splitHash } from '../views/matchRoute';
import { withQuery } from '../views/viewQuery';
import { withEmbedParams, type EmbedDensity, type EmbedTheme } from './embedOptions';

export interface EmbedChoices {
  theme: EmbedTheme | '';
  density: EmbedDensity;
  /** the text the view starts from; '' leaves the view's own */
  text: string;
  /** host origins allowed to drive the view, comma-separated */
  origins: string;
  /** the feature page's panels to draw; null draws them all */
  panels: readonly string[] | null;
  /** the frame's height before embed.js sizes it, px */
  height: number;
}

export const DEFAULT_CHOICES: EmbedChoices = { theme: '', density: 'comfortable', text: '', origins: '', panels: null, height: 480 };

/**
 * The embed's absolute URL: `appUrl` (the app page, without hash) plus the view's hash with
 * `choices`. Without a text chosen, the view's own (in its address, plain or compressed) is kept.
 */
export function embedUrl(appUrl: string, hash: string, choices: EmbedChoices): string {
  const own = splitHash(hash).query;
  let view = withEmbedParams(choices.text !== '' ? withQuery(hash, { [PACKED_TEXT_PARAM]: null }) : hash, {
    embed: 'true',
    theme: choices.theme,
    density: choices.density === 'compact' ? 'compact' : '',
    text: choices.text || (own.get(TEXT_PARAM) ?? ''),
    origins: choices.origins.trim(),
  });
  if (choices.panels !== null) {
    const q = view.indexOf('?');
    const query = new URLSearchParams(view.slice(q + 1));
    query.set('panels', choices.panels.join(','));
    view = `${view.slice(0, q)}?${query.toString()}`;
  }
  return `${appUrl.replace(/#.*$/, '')}${view}`;
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The HTML to paste: the frame, and once per page the script that sizes every SAE Explorer frame. */
export function embedSnippet(url: string, scriptUrl: string, title: string, height: number): string {
  return (
    `<iframe src="${escapeAttr(url)}" title="${escapeAttr(title)}" width="100%" height="${Math.round(height)}" ` +
    `style="border:0" loading="lazy" data-sae-explorer></iframe>\n` +
    `<script src="${escapeAttr(scriptUrl)}" async></script>`
  );
}
