/**
 * The session: who is signed in, and their tokens.
 *
 * The access token lives in memory only. The refresh token is kept in
 * localStorage so a reload keeps the session. Refresh tokens rotate on every
 * use and the server revokes the session if one is used twice, so refreshes
 * are serialized: within this tab through one shared promise, and across tabs
 * through a Web Lock, always reading the newest token from storage.
 */
import { api, ApiError, configureApi, NETWORK_ERROR } from './api';
import { i18n } from './i18n/index.svelte';
import type { Locale, TokenResponse, User } from './types';
import { setPreferredTimeZone } from './zoned';

const REFRESH_KEY = 'aula.refreshToken';
const LOCK_NAME = 'aula.refresh';

function storedRefreshToken(): string | null {
  try {
    return localStorage.getItem(REFRESH_KEY);
  } catch {
    return null;
  }
}

function storeRefreshToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(REFRESH_KEY, token);
    else localStorage.removeItem(REFRESH_KEY);
  } catch {
    // Without storage the session simply ends with the page.
  }
}

async function exclusively<T>(task: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    return navigator.locks.request(LOCK_NAME, task);
  }
  return task();
}

class Session {
  user = $state<User | null>(null);
  /** False until a stored session has been restored (or found missing). */
  ready = $state(false);
  /** Set when a session ended on its own, so sign-in can say why. */
  expired = $state(false);

  #accessToken: string | null = null;
  #refreshing: Promise<boolean> | null = null;

  get isAdmin(): boolean {
    return this.user?.roles.includes('admin') ?? false;
  }

  /** Instructors and administrators write courses. */
  get isAuthor(): boolean {
    return this.isAdmin || (this.user?.roles.includes('instructor') ?? false);
  }

  /** Coordinators act for their own institution: its people, endorsements, nominations. */
  get isCoordinator(): boolean {
    return this.user?.roles.includes('coordinator') ?? false;
  }

  get accessToken(): string | null {
    return this.#accessToken;
  }

  /** Resumes the session saved in this browser, if any. */
  async restore(): Promise<void> {
    if (storedRefreshToken()) await this.refresh();
    this.ready = true;
  }

  async signIn(email: string, password: string): Promise<void> {
    this.#accept(await api.login(email, password));
  }

  /** Ends the session here and on the server. */
  async signOut(): Promise<void> {
    const token = storedRefreshToken();
    this.#clear();
    // The next person at this browser starts from their own languages.
    void i18n.forget();
    if (token) await api.logout(token).catch(() => undefined);
  }

  /** Obtains a new access token; resolves `false` if the session is gone. */
  refresh(): Promise<boolean> {
    this.#refreshing ??= this.#refreshOnce().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * Changes the password: every other session ends, this one continues with the new
   * tokens (taken under the refresh lock, so no refresh in flight spends the old one).
   */
  async changePassword(current: string, next: string): Promise<void> {
    await exclusively(async () => {
      const tokens = await api.changePassword({
        current_password: current,
        new_password: next,
        refresh_token: storedRefreshToken(),
      });
      this.#accept(tokens);
    });
  }

  /** Replaces the signed-in user after a profile change. */
  update(user: User): void {
    this.user = user;
    setPreferredTimeZone(user.time_zone);
    void i18n.adoptAccount(user.locale);
  }

  /**
   * The language switcher: the interface changes now and stays so in this browser; the
   * account's own language (that of its mail) is changed on the profile page only.
   */
  async chooseLocale(locale: Locale): Promise<void> {
    await i18n.choose(locale);
  }

  async #refreshOnce(): Promise<boolean> {
    return exclusively(async () => {
      const token = storedRefreshToken();
      if (!token) {
        this.#end();
        return false;
      }
      try {
        this.#accept(await api.refresh(token));
        return true;
      } catch (error) {
        // Offline: keep the stored token so a later attempt can resume the session.
        if (error instanceof ApiError && error.code === NETWORK_ERROR) return false;
        this.#end();
        return false;
      }
    });
  }

  #accept(tokens: TokenResponse): void {
    this.#accessToken = tokens.access_token;
    storeRefreshToken(tokens.refresh_token);
    this.user = tokens.user;
    setPreferredTimeZone(tokens.user.time_zone);
    this.expired = false;
    void i18n.adoptAccount(tokens.user.locale);
  }

  /** The session ended without the user asking (expired, revoked, disabled). */
  #end(): void {
    if (this.user) this.expired = true;
    this.#clear();
  }

  #clear(): void {
    this.#accessToken = null;
    this.user = null;
    setPreferredTimeZone(null);
    storeRefreshToken(null);
  }

  /** Follows sign-outs made in another tab of the same browser. */
  watchOtherTabs(): () => void {
    const onStorage = (event: StorageEvent) => {
      if (event.key === REFRESH_KEY && event.newValue === null && this.user) {
        this.#accessToken = null;
        this.user = null;
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }
}

export const session = new Session();

configureApi({
  locale: () => i18n.locale,
  accessToken: () => session.accessToken,
  refresh: () => session.refresh(),
});
