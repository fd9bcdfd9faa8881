import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCall,
  apiGet,
  apiPost,
  assertNoHorizontalScroll,
  BASE_URL,
  createAccount,
  expectHeading,
  htmlLang,
  languageSwitcher,
  msg,
  openBrowser,
  screenshot,
  signIn,
  tokenFor,
  uniqueEmail,
} from './support.mjs';

const PASSWORD = 'contrasena-de-prueba-2026';

/** A new learner with a seat in `offering` (enrolled by the instructor); returns their token. */
async function seatedLearner(label, offering, instructor, locale = 'es') {
  const email = uniqueEmail(label);
  await createAccount({ email, password: PASSWORD, fullName: `Ana ${label}` });
  const signedIn = await apiPost('/auth/login', { email, password: PASSWORD });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  const token = signedIn.body.access_token;
  if (locale !== 'es') {
    const changed = await apiCall('PATCH', '/me', { token, body: { locale } });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
  }
  const enrolled = await apiCall('POST', `/offerings/${offering}/enrolments`, {
    token: instructor,
    body: { user_id: signedIn.body.user.id },
  });
  assert.equal(enrolled.status, 201, `enrol: ${JSON.stringify(enrolled.body)}`);
  assert.equal(enrolled.body.state, 'enrolled');
  return { email, token };
}

/** An edition of `code` that has not ended, whose enrolment is open. */
async function openEdition(code) {
  const today = new Date().toISOString().slice(0, 10);
  const { body } = await apiGet(`/courses/${code}/offerings`);
  const found = body.find((o) => o.enrolment_open && o.end_date >= today);
  assert.ok(found, `${code} has an edition open for enrolment`);
  return found;
}

test(
  'a learner joins the next session from My learning; the public calendar has no link, the private one has',
  { timeout: 180_000 },
  async (t) => {
    const instructor = await tokenFor('instructor@demo.test');
    const offering = await openEdition('PEN-201');
    const room = `https://aula.ciess.org/sala/e2e-${Date.now()}`;
    // The clock is the server's: a session that starts in half an hour can be joined now.
    const starts = new Date(Date.now() + 30 * 60_000);
    const created = await apiCall('POST', `/offerings/${offering.id}/sessions`, {
      token: instructor,
      body: {
        title: 'Clase en vivo',
        starts_at: starts.toISOString(),
        ends_at: new Date(starts.getTime() + 90 * 60_000).toISOString(),
        link: room,
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { email } = await seatedLearner('join', offering.id, instructor);

    // Visitors and the public calendar never see the rooms.
    const { body: seen } = await apiGet(`/offerings/${offering.id}`);
    assert.equal(seen.online_link ?? null, null);
    assert.ok(seen.sessions.every((s) => (s.link ?? null) === null));
    const ics = await (await fetch(`${BASE_URL}/api/v1/offerings/${offering.id}/calendar.ics`)).text();
    assert.ok(ics.includes('Clase en vivo'));
    assert.ok(!ics.includes(room) && !ics.includes('sala/virtual'), 'the public calendar carries no link');

    const browser = await openBrowser({ viewport: { width: 390, height: 844 } });
    t.after(() => browser.close());
    const { page } = browser;
    await page.goto('/sign-in?next=/learning');
    await signIn(page, 'es', email, PASSWORD);
    await expectHeading(page, msg('es', 'learning.title'));
    const card = page.locator(`[data-code="PEN-201"]`).first();
    const join = card.getByRole('link', { name: new RegExp(`^${msg('es', 'learning.join')}`) });
    await join.waitFor();
    assert.equal(await join.getAttribute('href'), room);
    assert.ok(await join.isVisible());
    await card.getByText('Clase en vivo').waitFor();
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'j-learning-join-390');

    // A private calendar address, shown once, then turned off.
    await page.getByRole('button', { name: msg('es', 'calendarFeed.create'), exact: true }).click();
    const address = page.getByLabel(msg('es', 'calendarFeed.address'), { exact: true });
    await address.waitFor();
    const url = await address.inputValue();
    assert.match(url, /\/api\/v1\/calendar\/[A-Za-z0-9_-]+\.ics$/);
    const own = await fetch(url);
    assert.equal(own.status, 200);
    assert.ok((await own.text()).includes(room), 'the private calendar carries the room');
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'j-learning-calendar-390');
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: msg('es', 'calendarFeed.revoke'), exact: true }).click();
    await page.getByRole('button', { name: msg('es', 'calendarFeed.create'), exact: true }).waitFor();
    assert.equal((await fetch(url)).status, 404, 'a revoked address answers 404');

    // The enrolment page shows the way in too.
    await card.getByRole('link', { name: new RegExp(`^${msg('es', 'learning.details')}`) }).click();
    await page.getByRole('link', { name: new RegExp(`^${msg('es', 'learning.join')}`) }).waitFor();
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'j-enrolment-join-390');
    browser.assertClean();
  },
);

test('a course is read in Portuguese: modules and lessons translated, the rest marked as Spanish', { timeout: 180_000 }, async (t) => {
  const instructor = await tokenFor('instructor@demo.test');
  const offering = await openEdition('PEN-201');
  const { email } = await seatedLearner('pt', offering.id, instructor, 'pt');
  const { body: outline } = await apiGet('/courses/PEN-201/modules?lang=pt');
  const first = outline[0];
  assert.equal(first.locale, 'pt', 'the demo course has a Portuguese outline');
  const lesson = first.lessons.find((l) => l.kind === 'text' && l.locale === 'pt');
  assert.ok(lesson, 'a translated text lesson');

  const browser = await openBrowser({ locale: 'pt-BR', viewport: { width: 390, height: 844 } });
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto('/sign-in');
  if ((await htmlLang(page)) !== 'pt') await languageSwitcher(page, await htmlLang(page)).selectOption('pt');
  await expectHeading(page, msg('pt', 'signIn.title'));
  await signIn(page, 'pt', email, PASSWORD);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

  await page.goto('/courses/PEN-201');
  const moduleHeading = page.getByRole('heading', { level: 3, name: first.title, exact: true });
  await moduleHeading.waitFor();
  assert.equal(await moduleHeading.getAttribute('lang'), 'pt');
  await page.getByRole('link', { name: lesson.title, exact: true }).waitFor();
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'j-course-pt-390');

  await page.getByRole('link', { name: lesson.title, exact: true }).click();
  await expectHeading(page, lesson.title);
  const prose = page.locator('.prose[lang="pt"]');
  await prose.getByText('Leia o material', { exact: false }).waitFor();
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'j-lesson-pt-390');

  // A course with no Portuguese text says in which language it is shown.
  await page.goto('/courses/ACT-210');
  const { body: spanish } = await apiGet('/courses/ACT-210/modules?lang=pt');
  const heading = page.getByRole('heading', { level: 3, name: spanish[0].title, exact: true });
  await heading.waitFor();
  assert.equal(await heading.getAttribute('lang'), 'es');
  const tag = msg('pt', 'catalog.shownIn', { language: new Intl.DisplayNames(['pt'], { type: 'language' }).of('es') });
  assert.ok((await page.getByText(tag, { exact: true }).count()) > 0, `the outline says "${tag}"`);
  await screenshot(page, 'j-course-es-in-pt-390');
  browser.assertClean();
});
