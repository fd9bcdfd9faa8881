/**
 * State shared by every form: client-side checks, the last failed submission,
 * and what to show for each. Messages are looked up when shown, so switching
 * the language also translates errors already on screen.
 */
import { tick } from 'svelte';
import { describeError, fieldErrors, type AlertContent, type ProblemMessages } from './errors';
import { t, type MessageKey } from './i18n/index.svelte';
import { focusFirstInvalid } from './validation';

export class FormState<F extends string> {
  readonly fields: readonly F[];
  /** Problems found before sending, by field. */
  invalid = $state<Partial<Record<F, MessageKey>>>({});
  /** The error of the last submission, if it failed. */
  failure = $state<unknown>(null);
  busy = $state(false);
  readonly #problems: ProblemMessages;

  /** `problems`: codes this form words itself (see {@link describeError}). */
  constructor(fields: readonly F[], problems: ProblemMessages = {}) {
    this.fields = fields;
    this.#problems = problems;
  }

  /** The form-level alert to show, if any. */
  get alert(): AlertContent | null {
    if (this.failure !== null) return describeError(this.failure, this.fields, this.#problems);
    if (Object.keys(this.invalid).length > 0) return { title: t('form.fixErrors') };
    return null;
  }

  /** The message to show beside one field, if any. */
  error(field: F): string | undefined {
    const key = this.invalid[field];
    if (key) return t(key);
    return fieldErrors(this.failure, this.fields)[field];
  }

  /**
   * Records client-side problems (a message key per failing field) and moves
   * focus to the first one. Returns true when the form may be sent.
   */
  async check(element: HTMLElement | undefined, problems: Partial<Record<F, MessageKey | null>>): Promise<boolean> {
    const invalid: Partial<Record<F, MessageKey>> = {};
    for (const field of this.fields) {
      const key = problems[field];
      if (key) invalid[field] = key;
    }
    this.invalid = invalid;
    this.failure = null;
    if (Object.keys(invalid).length === 0) return true;
    await tick();
    focusFirstInvalid(element);
    return false;
  }

  /** Runs `task`; on failure keeps the error for display. Returns whether it succeeded. */
  async submit(element: HTMLElement | undefined, task: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.failure = null;
    try {
      await task();
      return true;
    } catch (error) {
      this.failure = error;
      await tick();
      focusFirstInvalid(element);
      return false;
    } finally {
      this.busy = false;
    }
  }

  reset(): void {
    this.invalid = {};
    this.failure = null;
  }
}
