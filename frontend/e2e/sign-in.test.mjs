import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createAccount,
  DEMO_PASSWORD,
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

test('a wrong password shows the error in the chosen language', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await expectHeading(page, msg('es', 'signIn.title'));
  await signIn(page, 'es', 'student@demo.test', 'not-the-right-password');

  const alert = page.getByRole('alert');
  await alert.getByText(msg('es', 'error.invalidCredentials'), { exact: true }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await screenshot(page, 'c1-wrong-password-es');

  // The message already on screen follows a language switch...
  await languageSwitcher(page, 'es').selectOption('en');
  await alert.getByText(msg('en', 'error.invalidCredentials'), { exact: true }).waitFor();

  // ...and a new attempt is answered in the new language too.
  await page.getByLabel(msg('en', 'signIn.password'), { exact: true }).fill('still-not-the-password');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
  await page.getByRole('button', { name: msg('en', 'signIn.submit'), exact: true }).click();
  const response = await answered;
  assert.equal(response.status(), 401);
  assert.equal(response.request().headers()['accept-language'], 'en');
  const problem = await response.json();
  assert.equal(problem.code, 'invalid_credentials');
  await alert.getByText(msg('en', 'error.invalidCredentials'), { exact: true }).waitFor();
  await screenshot(page, 'c2-wrong-password-en');

  browser.assertClean();
});

test('empty fields are flagged beside the inputs before anything is sent', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  let loginCalls = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/v1/auth/login')) loginCalls += 1;
  });

  await page.goto('/sign-in');
  await expectHeading(page, msg('es', 'signIn.title'));
  await page.getByRole('button', { name: msg('es', 'signIn.submit'), exact: true }).click();

  const email = page.getByLabel(msg('es', 'signIn.email'), { exact: true });
  await page.getByRole('alert').getByText(msg('es', 'form.fixErrors')).waitFor();
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  const describedBy = await email.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the email field points at its error');
  assert.equal(await page.locator(`#${describedBy}`).textContent(), msg('es', 'validation.required'));
  assert.ok(await email.evaluate((node) => node === document.activeElement), 'focus moves to the first invalid field');
  assert.equal(loginCalls, 0);

  browser.assertClean();
});

test('signed-out visitors are sent to sign in, and back where they were going afterwards', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/profile');
  await expectHeading(page, msg('es', 'signIn.title'));
  assert.equal(new URL(page.url()).pathname, '/sign-in');

  // The demo student's account is in Portuguese: signing in switches the interface.
  await signIn(page, 'es', 'student@demo.test', DEMO_PASSWORD);
  await expectHeading(page, msg('pt', 'profile.title'));
  assert.equal(new URL(page.url()).pathname, '/profile');
  assert.equal(await htmlLang(page), 'pt');
  await page.getByText('student@demo.test', { exact: true }).waitFor();
  await screenshot(page, 'c3-profile');

  // A student is not an administrator.
  await page.goto('/admin/users');
  await expectHeading(page, msg('pt', 'forbidden.title'));

  // A reload keeps the session; signing out ends it.
  await page.reload();
  await expectHeading(page, msg('pt', 'forbidden.title'));
  await page.getByRole('button', { name: msg('pt', 'nav.signOut'), exact: true }).click();
  // The student's language leaves with them: the next person sees the browser's.
  await expectHeading(page, msg('es', 'signIn.title'));
  assert.equal(await htmlLang(page), 'es');
  // Signed out, the start page is the public catalog.
  await page.goto('/');
  await expectHeading(page, msg('es', 'catalog.title'));
  assert.equal(new URL(page.url()).pathname, '/courses');

  browser.assertClean();
});

test('an unverified account is told so at sign-in and can have the link sent again', { timeout: 90_000 }, async (t) => {
  const email = uniqueEmail('unverified');
  const password = 'senha-ainda-nao-verificada';
  const fullName = 'Conceição Araújo';
  await createAccount({ email, password, fullName, verify: false });
  const seen = new Set();
  await waitForMail({ to: email, linkPath: '/verify-email', seen });

  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/sign-in');
  await signIn(page, 'es', email, password);
  const warning = page.getByRole('alert').filter({ hasText: msg('es', 'signIn.notVerifiedTitle') });
  await warning.waitFor();
  await warning.getByText(msg('es', 'signIn.notVerifiedBody', { email }), { exact: true }).waitFor();
  assert.equal(await page.getByText(msg('es', 'error.invalidCredentials')).count(), 0);

  await warning.getByRole('button', { name: msg('es', 'resend.button'), exact: true }).click();
  await page.getByRole('status').getByText(msg('es', 'resend.sent', { email }), { exact: true }).waitFor();
  await screenshot(page, 'c4-email-not-verified');

  const resent = await waitForMail({ to: email, linkPath: '/verify-email', seen });
  await page.goto(inApp(resent.link));
  await page.getByText(msg('es', 'verify.successTitle'), { exact: true }).waitFor();
  await page.getByRole('main').getByRole('link', { name: msg('es', 'verify.signIn'), exact: true }).click();
  await signIn(page, 'es', email, password);
  await expectHeading(page, msg('es', 'home.greeting', { name: fullName }));

  browser.assertClean();
});

test('a verification link that does not work says so clearly', { timeout: 60_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto('/verify-email?token=not-a-real-token');
  await expectHeading(page, msg('es', 'verify.title'));
  await page.getByRole('alert').getByText(msg('es', 'verify.errorTitle'), { exact: true }).waitFor();
  await page.getByRole('button', { name: msg('es', 'resend.button'), exact: true }).waitFor();
  await screenshot(page, 'c5-verification-link-invalid');

  browser.assertClean();
});
