import { describe, expect, it } from 'vitest';
import { featureHref, matchRoute, splitHash } from './matchRoute';

const routes = [{ path: '/' }, { path: '/feature/:saeId/:index' }] as const;

describe('matchRoute', () => {
  it('treats an empty hash as the home route', () => {
    expect(matchRoute(routes, '')?.route.path).toBe('/');
    expect(matchRoute(routes, '#/')?.route.path).toBe('/');
  });

  it('decodes :params and keeps the query', () => {
    const m = matchRoute(routes, '#/feature/L2%2Fresid/17?embed=true');
    expect(m?.route.path).toBe('/feature/:saeId/:index');
    expect(m?.params).toEqual({ saeId: 'L2/resid', index: '17' });
    expect(m?.query.get('embed')).toBe('true');
  });

  it('returns null for an address no route knows', () => {
    expect(matchRoute(routes, '#/nowhere')).toBeNull();
    expect(matchRoute(routes, '#/feature/only-one')).toBeNull();
  });
});

describe('splitHash', () => {
  it('adds the leading slash a hand-typed hash may lack', () => {
    expect(splitHash('#feature/x/1').path).toBe('/feature/x/1');
  });
});

describe('featureHref', () => {
  it('round-trips through matchRoute', () => {
    const m = matchRoute(routes, featureHref('L1 attn/z', 42));
    expect(m?.params).toEqual({ saeId: 'L1 attn/z', index: '42' });
  });
});
