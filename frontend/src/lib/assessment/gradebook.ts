/** The gradebook: its columns and cells, and its filters in the page URL. */
import { query } from '../api';
import { quizHref } from './quiz';
import type { GradebookCell, GradebookItem, GradebookRow } from './types';

/** A gradebook column's key, unique across kinds (an assignment and a quiz may share an id). */
export function itemKey(item: Pick<GradebookItem, 'kind' | 'id'>): string {
  return `${item.kind}-${item.id}`;
}

/** One learner's cell in a column. */
export function cellOf(row: Pick<GradebookRow, 'cells'>, item: Pick<GradebookItem, 'kind' | 'id'>): GradebookCell | undefined {
  return row.cells.find((cell) => cell.kind === item.kind && cell.id === item.id);
}

/** Where an item is read: an assignment's or a quiz's own page. */
export function itemHref(item: Pick<GradebookItem, 'kind' | 'id'>): string {
  return item.kind === 'assignment' ? `/assignments/${encodeURIComponent(String(item.id))}` : quizHref(item.id);
}

/** The gradebook's search and page, as the page URL holds them. */
export interface GradebookFilters {
  q: string;
  page: number;
}

export function gradebookFiltersFromQuery(search: URLSearchParams): GradebookFilters {
  const page = Number(search.get('page'));
  return { q: (search.get('q') ?? '').trim(), page: Number.isInteger(page) && page > 1 ? page : 1 };
}

export function queryFromGradebookFilters(filters: GradebookFilters): string {
  return query({ q: filters.q.trim(), page: filters.page > 1 ? filters.page : undefined });
}
