import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expectHeading,
  htmlLang,
  inApp,
  languageSwitcher,
  msg,
  openBrowser,
  screenshot,
  signIn,
  uniqueEmail,
  waitForMail,
} from './support.mjs';

test('a visitor registers, verifies the address from the mail, signs in and is greeted by name', { timeout: 90_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  const fullName = 'María José Ñúñez Gonçalves';
  const email = uniqueEmail('registro');
  const password = 'contraseña-segura-2026';

  await page.goto('/register');
  await expectHeading(page, msg('es', 'register.title'));
  assert.equal(await htmlLang(page), 'es');

  await page.getByLabel(msg('es', 'register.fullName'), { exact: true }).fill(fullName);
  await page.getByLabel(msg('es', 'register.email'), { exact: true }).fill(email);
  await page.getByLabel(msg('es', 'register.password'), { exact: true }).fill(password);
  await page.getByText(msg('es', 'register.passwordHint')).waitFor();

  // The institutions come from the API; pick the first real one.
  const picker = page.getByLabel(msg('es', 'register.institution'), { exact: true });
  await page.waitForFunction(
    () => [...document.querySelectorAll('#institution_id option')].some((o) => o.value !== '' && !o.disabled),
  );
  const options = await picker.locator('option').evaluateAll((nodes) =>
    nodes.map((o) => ({ value: o.value, label: o.textContent?.trim() ?? '', disabled: o.disabled })),
  );
  assert.equal(options[0].label, msg('es', 'register.noInstitution'));
  const institutions = options.filter((o) => o.value !== '' && !o.disabled);
  assert.ok(institutions.length > 0, 'the seeded institutions are offered');
  for (const option of institutions) assert.match(option.label, /^.+ \(.+\)$/, 'shown as "Name (ACRONYM, country)"');
  const chosen = institutions[0];
  await picker.selectOption(chosen.value);
  await screenshot(page, 'a1-register-form');

  await page.getByRole('button', { name: msg('es', 'register.submit'), exact: true }).click();
  await expectHeading(page, msg('es', 'register.doneTitle'));
  await page.getByText(msg('es', 'register.doneBody', { email })).waitFor();
  await screenshot(page, 'a2-register-check-mail');

  const mail = await waitForMail({ to: email, linkPath: '/verify-email' });
  await page.goto(inApp(mail.link));
  await page.getByText(msg('es', 'verify.successTitle'), { exact: true }).waitFor();
  await screenshot(page, 'a3-email-verified');

  await page.getByRole('main').getByRole('link', { name: msg('es', 'verify.signIn'), exact: true }).click();
  await expectHeading(page, msg('es', 'signIn.title'));
  await signIn(page, 'es', email, password);

  await expectHeading(page, msg('es', 'home.greeting', { name: fullName }));
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.locator('header .user-name').textContent(), fullName);
  const institutionName = chosen.label.slice(0, chosen.label.lastIndexOf(' ('));
  await page.getByText(institutionName, { exact: true }).waitFor();
  await page.getByText(msg('es', 'role.student'), { exact: true }).first().waitFor();
  await screenshot(page, 'a4-home-signed-in');

  // The switcher changes the interface at once; the account keeps its own language,
  // the language of its mail, which only the profile page changes.
  let accountChanged = false;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/me') && r.method() === 'PATCH') accountChanged = true;
  });
  await languageSwitcher(page, 'es').selectOption('fr');
  await expectHeading(page, msg('fr', 'home.greeting', { name: fullName }));
  assert.equal(await htmlLang(page), 'fr');
  assert.equal(accountChanged, false, 'the switcher does not change the account');

  // The choice survives a reload.
  await page.reload();
  await expectHeading(page, msg('fr', 'home.greeting', { name: fullName }));
  assert.equal(await page.locator('header .user-name').textContent(), fullName);
  await screenshot(page, 'a5-home-french-after-reload');

  // Without a choice in this browser, the account's language applies.
  await page.evaluate(() => localStorage.removeItem('aula.locale'));
  await page.reload();
  await expectHeading(page, msg('es', 'home.greeting', { name: fullName }));
  assert.equal(await htmlLang(page), 'es');

  browser.assertClean();
});
