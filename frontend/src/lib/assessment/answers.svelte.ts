/**
 * Answers saved as they change: a choice at once, typing after a pause. One request per
 * question at a time, the latest answer last, so the server ends with what is on screen.
 */

/** Where one question's answer stands: `pending` (waiting for a pause in typing), `saving`, `saved`, `failed`. */
export type SaveState = 'pending' | 'saving' | 'saved' | 'failed';

export class AnswerSaver {
  /** The save state of each question that was answered here, by position. */
  states = $state<Record<number, SaveState>>({});
  /** The error of the last save that failed, until one succeeds. */
  failure = $state<unknown>(null);
  readonly #send: (position: number, response: string | null) => Promise<void>;
  readonly #delayMs: number;
  /** The latest answer of each question not sent yet. */
  readonly #waiting = new Map<number, string | null>();
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();
  readonly #sending = new Map<number, Promise<void>>();

  constructor(send: (position: number, response: string | null) => Promise<void>, delayMs = 800) {
    this.#send = send;
    this.#delayMs = delayMs;
  }

  /** Whether some answer is not on the server yet. */
  get busy(): boolean {
    return Object.values(this.states).some((state) => state === 'pending' || state === 'saving');
  }

  /** A new answer to the question at `position`: sent at once when `immediate`, else after a pause. */
  change(position: number, response: string | null, immediate: boolean): void {
    this.#waiting.set(position, response);
    this.states[position] = 'pending';
    clearTimeout(this.#timers.get(position));
    this.#timers.delete(position);
    if (immediate) void this.#flush(position);
    else this.#timers.set(position, setTimeout(() => void this.#flush(position), this.#delayMs));
  }

  /** Sends the waiting answer of one question now (leaving its field, say). */
  flush(position: number): Promise<void> {
    return this.#flush(position);
  }

  /** Sends every waiting answer now and resolves once each is saved or has failed. */
  async flushAll(): Promise<void> {
    for (;;) {
      for (const position of [...this.#waiting.keys()]) {
        if (this.states[position] !== 'failed') void this.#flush(position);
      }
      const running = [...this.#sending.values()];
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /** Tries the failed answers again. */
  retry(): Promise<void> {
    for (const position of this.#waiting.keys()) if (this.states[position] === 'failed') this.states[position] = 'pending';
    return this.flushAll();
  }

  /** Stops the timers (the page is left); nothing more is sent. */
  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #flush(position: number): Promise<void> {
    clearTimeout(this.#timers.get(position));
    this.#timers.delete(position);
    const running = this.#sending.get(position);
    // One request per question at a time: the newer answer goes once this one is back.
    if (running) return running.then(() => this.#flush(position));
    if (!this.#waiting.has(position)) return Promise.resolve();
    const response = this.#waiting.get(position) ?? null;
    this.#waiting.delete(position);
    this.states[position] = 'saving';
    const sending = this.#send(position, response)
      .then(
        () => {
          this.failure = null;
          this.states[position] = this.#waiting.has(position) ? 'pending' : 'saved';
        },
        (error: unknown) => {
          this.failure = error;
          // Keep it to try again, unless a newer answer is already waiting.
          if (!this.#waiting.has(position)) this.#waiting.set(position, response);
          this.states[position] = 'failed';
        },
      )
      .finally(() => this.#sending.delete(position));
    this.#sending.set(position, sending);
    return sending.then(() => {
      if (this.#waiting.has(position) && this.states[position] === 'pending') return this.#flush(position);
    });
  }
}
