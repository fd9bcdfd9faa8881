/**
 * One page of a list, loaded from the server: what a list page shows while it
 * loads, when it fails and after the answer came. Only the answer to the last
 * request counts, so quickly turning pages or changing a filter never shows an
 * older list over a newer one.
 */
import { describeError, type AlertContent, type ProblemMessages } from './errors';
import type { Page } from './types';

export interface PagedListOptions {
  /** Codes this list words itself (see {@link describeError}). */
  problems?: ProblemMessages;
  /**
   * Called instead of showing an empty page past the last one (the list shrank
   * since the link was made), with the number of the last page.
   */
  pastEnd?: (last: number) => void;
}

export class PagedList<T extends { readonly id: number }> {
  /** The last page shown; kept while the next one loads or fails. */
  result = $state<Page<T> | null>(null);
  loading = $state(true);
  /** The error of the last load, or of an action on the list the page records here. */
  failure = $state<unknown>(null);
  readonly #options: PagedListOptions;
  #latest = 0;

  constructor(options: PagedListOptions = {}) {
    this.#options = options;
  }

  /** How many pages the list has; at least one, so an empty list is page 1 of 1. */
  get pages(): number {
    return this.result ? lastPage(this.result) : 1;
  }

  /** The alert to show for the failure, if any. */
  get problem(): AlertContent | null {
    return this.failure === null ? null : describeError(this.failure, [], this.#options.problems);
  }

  /** Asks for a page; an answer that comes after a newer request is dropped. */
  async load(fetch: () => Promise<Page<T>>): Promise<void> {
    const request = ++this.#latest;
    this.loading = true;
    try {
      const found = await fetch();
      if (request !== this.#latest) return;
      const last = lastPage(found);
      if (this.#options.pastEnd && found.items.length === 0 && found.page > last) {
        this.#options.pastEnd(last);
        return;
      }
      this.result = found;
      this.failure = null;
    } catch (error) {
      if (request === this.#latest) this.failure = error;
    } finally {
      if (request === this.#latest) this.loading = false;
    }
  }

  /** Shows `updated` in place of the item with its id. */
  replace(updated: T): void {
    if (!this.result) return;
    this.result.items = this.result.items.map((item) => (item.id === updated.id ? updated : item));
  }

  /** Takes the item with `id` off the page, and one off the total. */
  remove(id: number): void {
    if (!this.result) return;
    const kept = this.result.items.filter((item) => item.id !== id);
    if (kept.length === this.result.items.length) return;
    this.result.items = kept;
    this.result.total = Math.max(0, this.result.total - 1);
  }
}

function lastPage(page: Page<unknown>): number {
  return Math.max(1, Math.ceil(page.total / page.per_page));
}
