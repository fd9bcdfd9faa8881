import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEMO_PASSWORD, expectHeading, htmlLang, languageSwitcher, msg, openBrowser, screenshot, signIn } from './support.mjs';

test('the language switcher changes the interface at once, and the choice survives a reload', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await expectHeading(page, msg('es', 'signIn.title'));
  assert.equal(await htmlLang(page), 'es');

  let current = 'es';
  for (const locale of ['en', 'pt', 'fr']) {
    const switcher = languageSwitcher(page, current);
    await switcher.selectOption(locale);
    await expectHeading(page, msg(locale, 'signIn.title'));
    assert.equal(await htmlLang(page), locale);
    await page.getByLabel(msg(locale, 'signIn.password'), { exact: true }).waitFor();
    await page.getByRole('main').getByRole('link', { name: msg(locale, 'signIn.forgot'), exact: true }).waitFor();
    await page.getByText(msg(locale, 'app.footer'), { exact: true }).waitFor();
    assert.equal(await languageSwitcher(page, locale).inputValue(), locale);
    await screenshot(page, `b-sign-in-${locale}`);
    current = locale;
  }

  await page.reload();
  await expectHeading(page, msg('fr', 'signIn.title'));
  assert.equal(await htmlLang(page), 'fr');

  await page.getByRole('main').getByRole('link', { name: msg('fr', 'signIn.register'), exact: true }).click();
  await expectHeading(page, msg('fr', 'register.title'));
  assert.equal(new URL(page.url()).pathname, '/register');

  browser.assertClean();
});

test("a visitor's choice is kept through sign-in and forgotten at sign-out", { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await languageSwitcher(page, 'es').selectOption('en');
  await expectHeading(page, msg('en', 'signIn.title'));
  // The demo student's account is in Portuguese; the choice made here wins.
  await signIn(page, 'en', 'student@demo.test', DEMO_PASSWORD);
  await page.getByRole('button', { name: msg('en', 'nav.signOut'), exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'en');
  await page.reload();
  await page.getByRole('button', { name: msg('en', 'nav.signOut'), exact: true }).waitFor();
  assert.equal(await htmlLang(page), 'en');

  await page.getByRole('button', { name: msg('en', 'nav.signOut'), exact: true }).click();
  await expectHeading(page, msg('es', 'signIn.title'));
  assert.equal(await htmlLang(page), 'es');
  assert.equal(await page.evaluate(() => localStorage.getItem('aula.locale')), null);
  browser.assertClean();
});

test("a first visit follows the browser's language", { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'pt-BR' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await expectHeading(page, msg('pt', 'signIn.title'));
  assert.equal(await htmlLang(page), 'pt');
  browser.assertClean();
});

test('pages fit a phone screen without sideways scrolling', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES', viewport: { width: 360, height: 760 } });
  t.after(() => browser.close());
  const { page } = browser;

  for (const [path, heading] of [
    ['/sign-in', 'signIn.title'],
    ['/register', 'register.title'],
    ['/forgot-password', 'forgot.title'],
    ['/no-such-page', 'notFound.title'],
  ]) {
    await page.goto(path);
    await expectHeading(page, msg('es', heading));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`);
    await screenshot(page, `b-phone${path.replaceAll('/', '-')}`);
  }
  browser.assertClean();
});
