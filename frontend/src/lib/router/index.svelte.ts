/**
 * A small history-based router: the current location as reactive state,
 * `navigate()` for code, and same-origin link clicks handled without reloads.
 */

class CurrentRoute {
  path = $state('/');
  search = $state('');
  /** Increments on every navigation, so views can react to a new visit. */
  visit = $state(0);

  get query(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  /** Reads the browser location; `quiet` keeps the visit (no focus move) when only the query changed. */
  sync(quiet = false): void {
    this.path = window.location.pathname || '/';
    this.search = window.location.search;
    if (!quiet) this.visit += 1;
  }
}

export const route = new CurrentRoute();

export interface NavigateOptions {
  replace?: boolean;
  /**
   * For a change of the query on the same page (filters, paging): the URL and
   * `route` follow, but focus and scroll position stay where they are.
   */
  quiet?: boolean;
}

/** Goes to an in-app URL such as `/profile` or `/sign-in?next=%2F`. */
export function navigate(to: string, options: NavigateOptions = {}): void {
  const url = new URL(to, window.location.origin);
  const target = url.pathname + url.search + url.hash;
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (options.replace) {
    window.history.replaceState(null, '', target);
  } else if (target !== current) {
    window.history.pushState(null, '', target);
  }
  route.sync(options.quiet === true);
  if (!options.quiet) window.scrollTo(0, 0);
}

/** Only local absolute paths are accepted as places to return to after sign-in. */
export function safeNext(value: string | null | undefined): string | null {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return null;
  return value;
}

function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || !anchor.href || anchor.target || anchor.hasAttribute('download')) return;
  if (anchor.dataset.reload !== undefined) return;
  const url = new URL(anchor.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
  // In-page anchors such as the skip link keep their native behaviour.
  if (url.hash && url.pathname === window.location.pathname && url.search === window.location.search) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** Starts following the browser location; returns a function that stops it. */
export function startRouter(): () => void {
  const onPop = () => route.sync();
  route.sync();
  window.addEventListener('popstate', onPop);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', onPop);
    document.removeEventListener('click', onClick);
  };
}

/** Moves focus to the page's main heading, so assistive technology announces it. */
export function focusMainHeading(): void {
  document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
}
