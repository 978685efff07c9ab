import { describe, expect, it } from 'vitest';
import { splitHash } from './matchRoute';
import { intParam, withPath, withQuery } from './viewQuery';

describe('a view’s state in its address', () => {
  it('sets and removes parameters, keeping the others (an embed’s) where they were', () => {
    expect(withQuery('#/features/L2-resid-topk?embed=true&q=old', { q: 'king & queen', sort: 'density-desc' })).toBe(
      '#/features/L2-resid-topk?embed=true&q=king+%26+queen&sort=density-desc',
    );
    expect(withQuery('#/features/x?q=a&sort=index', { q: null, sort: null, show: undefined })).toBe('#/features/x');
    expect(withQuery('#/feature/x/1', { strength: '' })).toBe('#/feature/x/1?strength=');
    expect(withQuery('', { token: 0 })).toBe('#/?token=0');
  });

  it('reads back what it wrote', () => {
    const hash = withQuery('#/', { text: 'a=b&c?#d', token: 3 });
    const { query } = splitHash(hash);
    expect(query.get('text')).toBe('a=b&c?#d');
    expect(intParam(query.get('token'), null)).toBe(3);
  });

  it('carries the query to another path', () => {
    expect(withPath('#/map/A?color=head&text=hi', '/map/B')).toBe('#/map/B?color=head&text=hi');
    expect(withPath('#/map/A', '/map/B')).toBe('#/map/B');
  });

  it('takes only whole numbers from 0 up', () => {
    expect(intParam('12', 0)).toBe(12);
    expect(['-1', '1.5', '', 'x', ' 2', null].map((v) => intParam(v, null))).toEqual([null, null, null, null, null, null]);
  });
});
