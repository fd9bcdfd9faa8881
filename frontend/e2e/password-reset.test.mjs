import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createAccount,
  expectHeading,
  inApp,
  msg,
  openBrowser,
  screenshot,
  signIn,
  uniqueEmail,
  waitForMail,
} from './support.mjs';

test('a forgotten password is reset from the mailed link, and the new one signs in', { timeout: 90_000 }, async (t) => {
  const email = uniqueEmail('reset');
  const fullName = 'Jean-François Lévêque';
  const oldPassword = 'ancien-mot-de-passe';
  const newPassword = 'nouveau-mot-de-passe-2026';
  await createAccount({ email, password: oldPassword, fullName });

  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await page.getByRole('main').getByRole('link', { name: msg('es', 'signIn.forgot'), exact: true }).click();
  await expectHeading(page, msg('es', 'forgot.title'));
  await page.getByLabel(msg('es', 'forgot.email'), { exact: true }).fill(email);
  await page.getByRole('button', { name: msg('es', 'forgot.submit'), exact: true }).click();
  await expectHeading(page, msg('es', 'forgot.sentTitle'));
  await page.getByText(msg('es', 'forgot.sentBody', { email }), { exact: true }).waitFor();
  await screenshot(page, 'd1-forgot-password-sent');

  const mail = await waitForMail({ to: email, linkPath: '/reset-password' });
  await page.goto(inApp(mail.link));
  await expectHeading(page, msg('es', 'reset.title'));

  // Mismatched confirmation is caught beside the field.
  await page.getByLabel(msg('es', 'reset.password'), { exact: true }).fill(newPassword);
  await page.getByLabel(msg('es', 'reset.confirm'), { exact: true }).fill(`${newPassword}-typo`);
  await page.getByRole('button', { name: msg('es', 'reset.submit'), exact: true }).click();
  const confirm = page.getByLabel(msg('es', 'reset.confirm'), { exact: true });
  await page.getByText(msg('es', 'validation.passwordMatch'), { exact: true }).waitFor();
  assert.equal(await confirm.getAttribute('aria-invalid'), 'true');

  await confirm.fill(newPassword);
  await page.getByRole('button', { name: msg('es', 'reset.submit'), exact: true }).click();
  await expectHeading(page, msg('es', 'reset.successTitle'));
  await screenshot(page, 'd2-password-changed');

  await page.getByRole('main').getByRole('link', { name: msg('es', 'reset.signIn'), exact: true }).click();
  await expectHeading(page, msg('es', 'signIn.title'));

  await signIn(page, 'es', email, oldPassword);
  await page.getByRole('alert').getByText(msg('es', 'error.invalidCredentials'), { exact: true }).waitFor();

  await page.getByLabel(msg('es', 'signIn.password'), { exact: true }).fill(newPassword);
  await page.getByRole('button', { name: msg('es', 'signIn.submit'), exact: true }).click();
  await expectHeading(page, msg('es', 'home.greeting', { name: fullName }));
  await screenshot(page, 'd3-signed-in-with-new-password');

  browser.assertClean();
});
