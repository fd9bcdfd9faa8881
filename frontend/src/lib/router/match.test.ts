import { describe, expect, it } from 'vitest';
import { findRoute, matchPath } from './match';

describe('matchPath', () => {
  it('matches fixed paths exactly', () => {
    expect(matchPath('/courses', '/courses')).toEqual({});
    expect(matchPath('/courses', '/courses/x')).toBeNull();
    expect(matchPath('/', '/')).toEqual({});
  });

  it('hands parameters over decoded', () => {
    expect(matchPath('/courses/:code/lessons/:id', '/courses/PEN-201/lessons/7')).toEqual({ code: 'PEN-201', id: '7' });
    expect(matchPath('/courses/:code', '/courses/A%20B')).toEqual({ code: 'A B' });
  });

  it('refuses empty or malformed segments', () => {
    expect(matchPath('/courses/:code', '/courses/')).toBeNull();
    expect(matchPath('/courses/:code', '/courses/%E0%A4%A')).toBeNull();
  });
});

describe('findRoute', () => {
  it('prefers the first pattern that matches', () => {
    const routes = [
      ['/teach/courses/new', 'new'],
      ['/teach/courses/:code', 'edit'],
    ] as const;
    expect(findRoute(routes, '/teach/courses/new')?.value).toBe('new');
    expect(findRoute(routes, '/teach/courses/PEN-201')).toEqual({
      value: 'edit',
      params: { code: 'PEN-201' },
      pattern: '/teach/courses/:code',
    });
    expect(findRoute(routes, '/elsewhere')).toBeNull();
  });
});
