/** Client-side checks that mirror the server's rules, for faster feedback. */

export const MIN_PASSWORD_LENGTH = 10;

export function isEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim());
}

/** Length in characters as a person counts them, not UTF-16 units. */
export function passwordLongEnough(value: string): boolean {
  return [...value].length >= MIN_PASSWORD_LENGTH;
}

/** Moves focus to the first field marked invalid inside `form`. */
export function focusFirstInvalid(form: HTMLElement | undefined | null): void {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}
