/**
 * Topic names in the interface language. Courses carry their topic named in the
 * course's own language; topics are part of the interface vocabulary, so pages
 * show them in the reader's language once the list has arrived.
 */
import { api } from './api';
import type { Topic } from './catalog';
import { i18n } from './i18n/index.svelte';
import type { Locale } from './types';

class Topics {
  /** The topics named in `locale`, once loaded. */
  list = $state<Topic[]>([]);
  locale = $state<Locale | null>(null);
  #loading: Promise<void> | null = null;
  #loadingFor: Locale | null = null;

  /** Loads the list for the current interface language (once per language). */
  load(): Promise<void> {
    const locale = i18n.locale;
    if (this.locale === locale) return Promise.resolve();
    if (this.#loading && this.#loadingFor === locale) return this.#loading;
    this.#loadingFor = locale;
    const loading = api
      .topics()
      .then((list) => {
        // A later switch of language wins over an answer still on its way.
        if (this.#loadingFor !== locale) return;
        this.list = list;
        this.locale = locale;
      })
      .catch(() => undefined)
      .finally(() => {
        if (this.#loading === loading) this.#loading = null;
      });
    this.#loading = loading;
    return loading;
  }

  /** The topic's name in the interface language when known, else as the course gave it. */
  name(topic: Topic): string {
    return this.list.find((t) => t.slug === topic.slug)?.name ?? topic.name;
  }
}

export const topics = new Topics();
