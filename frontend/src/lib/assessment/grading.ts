/** The grading queue: its keyboard shortcuts and its filters in the page URL. */
import { query } from '../api';

export type QueueShortcut = 'next' | 'prev' | 'save';

/** Whether keys typed now go into a field (where letters and arrows are the field's own). */
export function isTypingTarget(target: { tagName?: string; type?: string; isContentEditable?: boolean } | null): boolean {
  if (!target?.tagName) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes((target.type ?? 'text').toLowerCase());
}

/**
 * The grading page's shortcuts: `j` / Alt+↓ next, `k` / Alt+↑ previous (never while
 * typing in a field), Ctrl/⌘+Enter save (also from a field).
 */
export function queueShortcut(
  event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  typing: boolean,
): QueueShortcut | null {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.altKey) return 'save';
  if (typing || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  if (event.altKey) {
    if (event.key === 'ArrowDown') return 'next';
    if (event.key === 'ArrowUp') return 'prev';
    return null;
  }
  if (event.key === 'j' || event.key === 'J') return 'next';
  if (event.key === 'k' || event.key === 'K') return 'prev';
  return null;
}

/** The grading queue's assignment filter (`?assignment=`) and page. */
export interface QueueFilters {
  assignment: number | null;
  page: number;
}

export function queueFiltersFromQuery(search: URLSearchParams): QueueFilters {
  const id = Number(search.get('assignment'));
  const page = Number(search.get('page'));
  return {
    assignment: Number.isInteger(id) && id > 0 ? id : null,
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

export function queryFromQueueFilters(filters: QueueFilters): string {
  return query({ assignment: filters.assignment, page: filters.page > 1 ? filters.page : undefined });
}
