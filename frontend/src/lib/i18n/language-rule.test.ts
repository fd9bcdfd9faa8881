import { beforeEach, describe, expect, it } from 'vitest';
import { i18n, t } from './index.svelte';

/** A browser's storage, for the rule's memory of the switcher. */
function fakeStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe('the interface language', () => {
  beforeEach(async () => {
    globalThis.localStorage = fakeStorage();
    await i18n.forget();
  });

  it('follows the account when nothing was chosen in this browser', async () => {
    await i18n.adoptAccount('pt');
    expect(i18n.locale).toBe('pt');
    expect(t('profile.save')).toBe('Salvar alterações');
  });

  it("keeps a visitor's choice when they sign in", async () => {
    await i18n.choose('fr');
    await i18n.adoptAccount('es');
    expect(i18n.locale).toBe('fr');
  });

  it("leaves neither the account's language nor the choice behind at sign-out", async () => {
    await i18n.adoptAccount('pt');
    await i18n.choose('en');
    await i18n.forget();
    expect(i18n.locale).not.toBe('en');
    expect(i18n.locale).not.toBe('pt');
    await i18n.adoptAccount('fr');
    expect(i18n.locale).toBe('fr');
  });

  it('ignores languages Aula does not speak', async () => {
    await i18n.choose('de');
    await i18n.adoptAccount('es');
    expect(i18n.locale).toBe('es');
  });
});
