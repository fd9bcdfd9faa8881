import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filtersFromQuery, hasFilters, queryFromFilters } from './catalog';

describe('the catalog search in the URL', () => {
  it('reads every filter', () => {
    const filters = filtersFromQuery(
      new URLSearchParams('q=pensi%C3%B3n&topic=pensions&modality=online&language=pt&type=diploma&open_now=true&sort=start&page=3'),
    );
    expect(filters).toEqual({
      q: 'pensión',
      topic: 'pensions',
      modality: 'online',
      language: 'pt',
      type: 'diploma',
      open_now: true,
      sort: 'start',
      page: 3,
    });
  });

  it('ignores values it does not know', () => {
    const filters = filtersFromQuery(new URLSearchParams('modality=moon&language=de&type=x&open_now=yes&sort=price&page=-2'));
    expect(filters).toEqual(EMPTY_FILTERS);
  });

  it('writes only what narrows the search, and reads back the same', () => {
    expect(queryFromFilters(EMPTY_FILTERS)).toBe('');
    const filters = { ...EMPTY_FILTERS, q: ' seguro social ', open_now: true, page: 2 };
    const query = queryFromFilters(filters);
    expect(query).toBe('?q=seguro+social&open_now=true&page=2');
    expect(filtersFromQuery(new URLSearchParams(query))).toEqual({ ...filters, q: 'seguro social' });
  });

  it('tells whether anything filters the list', () => {
    expect(hasFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, page: 4, sort: 'newest' })).toBe(false);
    expect(hasFilters({ ...EMPTY_FILTERS, topic: 'pensions' })).toBe(true);
  });
});
