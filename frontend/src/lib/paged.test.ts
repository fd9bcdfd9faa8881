import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseProblem } from './api';
import { i18n, t } from './i18n/index.svelte';
import { PagedList } from './paged.svelte';
import type { Page } from './types';

interface Item {
  id: number;
  name: string;
}

function page(items: Item[], total = items.length, n = 1, perPage = 20): Page<Item> {
  return { items, total, page: n, per_page: perPage };
}

/** A promise the test settles when it chooses, to answer requests out of order. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

const ana = { id: 1, name: 'Ana' };
const bea = { id: 2, name: 'Bea' };
const caio = { id: 3, name: 'Caio' };

describe('PagedList', () => {
  afterEach(() => {
    i18n.locale = 'es';
  });

  it('is loading and empty before the first answer', () => {
    const list = new PagedList<Item>();
    expect(list.loading).toBe(true);
    expect(list.result).toBeNull();
    expect(list.problem).toBeNull();
    expect(list.pages).toBe(1);
  });

  it('drops an answer that comes after a newer request was made', async () => {
    const list = new PagedList<Item>();
    const first = deferred<Page<Item>>();
    const second = deferred<Page<Item>>();
    const loadingFirst = list.load(() => first.promise);
    const loadingSecond = list.load(() => second.promise);

    second.resolve(page([bea]));
    await loadingSecond;
    expect(list.result?.items).toEqual([bea]);
    expect(list.loading).toBe(false);

    first.resolve(page([ana]));
    await loadingFirst;
    expect(list.result?.items).toEqual([bea]);
  });

  it('keeps loading while the newest request is still out', async () => {
    const list = new PagedList<Item>();
    const first = deferred<Page<Item>>();
    const second = deferred<Page<Item>>();
    const loadingFirst = list.load(() => first.promise);
    void list.load(() => second.promise);

    first.reject(new Error('offline'));
    await loadingFirst;
    expect(list.loading).toBe(true);
    expect(list.failure).toBeNull();
    expect(list.result).toBeNull();
  });

  it('shows a failure, keeps the last page, and clears the failure once a load succeeds', async () => {
    const list = new PagedList<Item>();
    await list.load(async () => page([ana]));
    await list.load(() => Promise.reject(new Error('offline')));
    expect(list.failure).toBeInstanceOf(Error);
    expect(list.problem).toEqual({ title: t('error.generic') });
    expect(list.result?.items).toEqual([ana]);
    expect(list.loading).toBe(false);

    await list.load(async () => page([bea]));
    expect(list.failure).toBeNull();
    expect(list.problem).toBeNull();
    expect(list.result?.items).toEqual([bea]);
  });

  it('words the problems it was given itself', async () => {
    i18n.locale = 'en';
    const list = new PagedList<Item>({ problems: { enrolment_closed: 'problem.enrolment_closed' } });
    await list.load(() => Promise.reject(parseProblem(409, { code: 'enrolment_closed', title: 'Closed' })));
    expect(list.problem?.title).toBe(t('problem.enrolment_closed'));
    expect(list.problem?.detail).toBe('Closed');
  });

  it('counts the pages from the total and the page size, at least one', async () => {
    const list = new PagedList<Item>();
    await list.load(async () => page([ana], 41, 1, 20));
    expect(list.pages).toBe(3);
    await list.load(async () => page([ana], 40, 1, 20));
    expect(list.pages).toBe(2);
    await list.load(async () => page([], 0, 1, 20));
    expect(list.pages).toBe(1);
  });

  it('replaces an item in place by its id', async () => {
    const list = new PagedList<Item>();
    await list.load(async () => page([ana, bea, caio], 3));
    list.replace({ id: 2, name: 'Beatriz' });
    expect(list.result?.items.map((item) => item.name)).toEqual(['Ana', 'Beatriz', 'Caio']);
    expect(list.result?.total).toBe(3);
  });

  it('removes an item and takes one off the total, and only once', async () => {
    const list = new PagedList<Item>();
    await list.load(async () => page([ana, bea], 21, 1, 20));
    expect(list.pages).toBe(2);
    list.remove(ana.id);
    expect(list.result?.items).toEqual([bea]);
    expect(list.result?.total).toBe(20);
    expect(list.pages).toBe(1);
    list.remove(ana.id);
    expect(list.result?.total).toBe(20);
  });

  it('leaves the list alone when asked to change it before anything loaded', () => {
    const list = new PagedList<Item>();
    list.replace(ana);
    list.remove(ana.id);
    expect(list.result).toBeNull();
  });

  it('asks for the last page instead of showing an empty page past it', async () => {
    const pastEnd = vi.fn<(last: number) => void>();
    const list = new PagedList<Item>({ pastEnd });
    await list.load(async () => page([ana], 21, 2, 20));
    await list.load(async () => page([], 21, 99, 20));
    expect(pastEnd).toHaveBeenCalledWith(2);
    expect(list.result?.page).toBe(2);

    await list.load(async () => page([], 0, 1, 20));
    expect(pastEnd).toHaveBeenCalledTimes(1);
    expect(list.result?.items).toEqual([]);
  });
});
