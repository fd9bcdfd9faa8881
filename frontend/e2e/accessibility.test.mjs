import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expectHeading, msg, openBrowser } from './support.mjs';

test('the skip link is the first stop for the keyboard and leads to the main content', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await expectHeading(page, msg('es', 'signIn.title'));
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  assert.equal(await focused.textContent(), msg('es', 'app.skipToContent'));
  assert.ok(await focused.isVisible(), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');

  browser.assertClean();
});

test('every form control has a label', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  for (const [path, heading] of [
    ['/sign-in', 'signIn.title'],
    ['/register', 'register.title'],
    ['/forgot-password', 'forgot.title'],
    ['/reset-password?token=x', 'reset.title'],
    ['/courses', 'catalog.title'],
    ['/verify', 'verify.title'],
  ]) {
    await page.goto(path);
    await expectHeading(page, msg('es', heading));
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((control) => control.type !== 'hidden' && (control.labels?.length ?? 0) === 0)
        .map((control) => control.id || control.outerHTML),
    );
    assert.deepEqual(unlabelled, [], `${path} has controls without a label`);
  }

  browser.assertClean();
});
