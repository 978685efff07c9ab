/**
 * Hash routes (`#/feature/L2-resid-topk/123?embed=true`), so every view has an address that works
 * on any static host. Patterns are paths with `:name` segments.
 */

/** What a route's view is given. */
export interface RouteViewProps {
  /** decoded `:name` segments of the path */
  params: Record<string, string>;
  /** the hash's query, e.g. `embed=true` */
  query: URLSearchParams;
}

export interface RouteMatch<R> extends RouteViewProps {
  route: R;
}

/** The path and query of a location hash: "#/a/b?x=1" → { path: "/a/b", query: x=1 }. */
export function splitHash(hash: string): { path: string; query: URLSearchParams } {
  const raw = hash.replace(/^#/, '');
  const q = raw.indexOf('?');
  const path = (q < 0 ? raw : raw.slice(0, q)) || '/';
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)) };
}

/** The first route whose pattern matches the hash, with its decoded `:params`. */
export function matchRoute<R extends { path: string }>(routes: readonly R[], hash: string): RouteMatch<R> | null {
  const { path, query } = splitHash(hash);
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    const ok = pattern.every((seg, i) => {
      const part = parts[i]!;
      if (seg.startsWith(':')) {
        try {
          params[seg.slice(1)] = decodeURIComponent(part);
        } catch {
          return false;
        }
        return true;
      }
      return seg === part;
    });
    if (ok) return { route, params, query };
  }
  return null;
}

/** The hash for a feature's page. */
export function featureHref(saeId: string, index: number): string {
  return `#/feature/${encodeURIComponent(saeId)}/${index}`;
}

/** The hash for an attention head's page; `saeId` names an attention SAE other than the bundle's for that layer. */
export function headHref(layer: number, head: number, saeId?: string): string {
  return `#/head/${layer}/${head}${saeId !== undefined ? `?sae=${encodeURIComponent(saeId)}` : ''}`;
}

/** The hash for the attention viewer, opened on one head. */
export function attentionHref(layer: number, head: number): string {
  return `#/attention?layer=${layer}&head=${head}`;
}
