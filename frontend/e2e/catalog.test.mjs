import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCall,
  apiGet,
  assertNoHorizontalScroll,
  BASE_URL,
  expectHeading,
  languageSwitcher,
  msg,
  openBrowser,
  screenshot,
  tokenFor,
} from './support.mjs';

const DEMO_COURSE = 'PEN-201';

function card(page, code) {
  return page.locator(`article.course-card[data-code="${code}"]`);
}

function languageName(code, locale) {
  return new Intl.DisplayNames([locale], { type: 'language' }).of(code);
}

test('a visitor browses the catalog, searches without accents and opens a course', { timeout: 90_000 }, async (t) => {
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  // Signed out, the start page is the catalog, reachable from the header too.
  await page.goto('/');
  await expectHeading(page, msg('es', 'catalog.title'));
  assert.equal(new URL(page.url()).pathname, '/courses');
  const navLink = page.getByRole('navigation').getByRole('link', { name: msg('es', 'nav.catalog'), exact: true });
  assert.equal(await navLink.getAttribute('aria-current'), 'page');
  await page.locator('article.course-card').first().waitFor();
  // The number of courses is announced (other tests may be adding courses meanwhile).
  const total = page.getByRole('status').getByText(/^\d+ cursos?$/);
  await total.waitFor();
  const count = Number((await total.textContent()).match(/\d+/)[0]);
  assert.ok(count >= 1);
  assert.equal(await total.textContent(), msg('es', count === 1 ? 'catalog.total.one' : 'catalog.total.other', { count }));
  // Past the last page, the last page is shown.
  await page.goto('/courses?page=99');
  await page.waitForURL((url) => url.searchParams.get('page') !== '99');
  await page.locator('article.course-card').first().waitFor();
  await page.goto('/courses');
  await expectHeading(page, msg('es', 'catalog.title'));
  await screenshot(page, 'f1-catalog');

  // "pension" finds "Diseño de sistemas de pensiones"; the search is in the URL.
  const search = page.getByRole('searchbox', { name: msg('es', 'catalog.search') });
  await search.fill('pension');
  await page.getByRole('button', { name: msg('es', 'catalog.searchSubmit'), exact: true }).click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'pension');
  await card(page, DEMO_COURSE).waitFor();
  const title = await card(page, DEMO_COURSE).getByRole('heading').textContent();
  assert.match(title ?? '', /pensi[oó]n/i);
  // The list is replaced once the answer arrives: wait for exactly the server's results.
  const expected = (await apiGet('/courses?q=pension&per_page=50')).body.items.map((c) => c.code).sort();
  await page.waitForFunction(
    (wanted) =>
      [...document.querySelectorAll('article.course-card')].map((c) => c.dataset.code).sort().join() === wanted.join(),
    expected,
  );
  await screenshot(page, 'f2-catalog-search');

  // The shared link shows the same search.
  await page.reload();
  await expectHeading(page, msg('es', 'catalog.title'));
  assert.equal(await search.inputValue(), 'pension');
  await card(page, DEMO_COURSE).waitFor();

  // A filter joins the search in the URL; the checkbox and selects are labelled controls.
  await page.getByLabel(msg('es', 'course.modality'), { exact: true }).selectOption('in_person');
  await page.waitForURL((url) => url.searchParams.get('modality') === 'in_person');
  await page.getByRole('status').getByText(/\d/).waitFor();
  await page.getByRole('button', { name: msg('es', 'catalog.clear'), exact: true }).first().click();
  await page.waitForURL((url) => url.search === '');
  assert.equal(await search.inputValue(), '');

  // Ordered by code, as the server sorts them; the order is part of the link too.
  await page.getByLabel(msg('es', 'catalog.sort'), { exact: true }).selectOption('code');
  await page.waitForURL((url) => url.searchParams.get('sort') === 'code');
  const byCode = (await apiGet('/courses?sort=code&per_page=12')).body.items.map((c) => c.code);
  await page.waitForFunction(
    (first) => document.querySelector('article.course-card')?.getAttribute('data-code') === first,
    byCode[0],
  );
  assert.deepEqual(await page.locator('article.course-card').evaluateAll((cards) => cards.map((c) => c.dataset.code)), byCode);
  await page.getByLabel(msg('es', 'catalog.sort'), { exact: true }).selectOption('title');

  // Nothing matches: the page says so.
  await search.fill('zzxqj inexistente');
  await search.press('Enter');
  await page.getByText(msg('es', 'catalog.empty'), { exact: true }).waitFor();
  await screenshot(page, 'f3-catalog-empty');

  // Open the course from its card.
  await search.fill('pension');
  await search.press('Enter');
  await card(page, DEMO_COURSE).getByRole('link').click();
  await page.waitForURL((url) => url.pathname === `/courses/${DEMO_COURSE}`);
  const course = (await apiGet(`/courses/${DEMO_COURSE}?lang=es`)).body;
  await expectHeading(page, course.title);
  await page.getByRole('heading', { level: 2, name: msg('es', 'course.offerings'), exact: true }).waitFor();
  await page.getByRole('heading', { level: 2, name: msg('es', 'course.outline'), exact: true }).waitFor();
  await screenshot(page, 'f4-course-page');

  // Upcoming offerings: a signed-out visitor is sent to sign in to enrol, and back here afterwards.
  const offerings = (await apiGet(`/courses/${DEMO_COURSE}/offerings`)).body;
  const today = new Date().toISOString().slice(0, 10);
  const open = offerings.find((o) => o.end_date >= today && o.enrolment_open && o.seats_left > 0);
  if (open) {
    const action = open.admission_policy === 'open' ? 'offering.enrol' : 'offering.apply';
    const enrol = page.locator(`[data-offering="${open.id}"]`).getByRole('link', { name: msg('es', action), exact: true });
    assert.equal(
      new URL(await enrol.getAttribute('href'), 'http://x').searchParams.get('next'),
      `/courses/${DEMO_COURSE}`,
    );
    const ics = page.locator(`[data-offering="${open.id}"]`).getByRole('link', { name: msg('es', 'offering.calendar'), exact: true });
    const href = (await ics.getAttribute('href')) ?? '';
    assert.match(href, /^\/api\/v1\/offerings\/\d+\/calendar\.ics$/);
    const calendar = await fetch(`${BASE_URL}${href}`);
    assert.equal(calendar.status, 200);
    assert.match(await calendar.text(), /BEGIN:VCALENDAR/);
  }

  // In English, a course written only in Spanish says so.
  await languageSwitcher(page, 'es').selectOption('en');
  const inEnglish = (await apiGet(`/courses/${DEMO_COURSE}?lang=en`)).body;
  await expectHeading(page, inEnglish.title);
  if (inEnglish.locale !== 'en') {
    const note =
      inEnglish.available_locales.length <= 1
        ? msg('en', 'course.onlyIn', { language: languageName(inEnglish.locale, 'en') })
        : msg('en', 'course.shownIn', { wanted: languageName('en', 'en'), language: languageName(inEnglish.locale, 'en') });
    await page.getByText(note, { exact: true }).waitFor();
  }
  await screenshot(page, 'f5-course-page-en');

  // On a phone, nothing needs sideways scrolling.
  await page.setViewportSize({ width: 360, height: 760 });
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'f6-course-page-phone');
  await page.goto('/courses?q=pension');
  await card(page, DEMO_COURSE).waitFor();
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'f7-catalog-phone');

  browser.assertClean();
});

test('lesson content is only for enrolled learners: a visitor is told so', { timeout: 60_000 }, async (t) => {
  const outline = (await apiGet(`/courses/${DEMO_COURSE}/modules`)).body;
  const lesson = outline?.flatMap?.((m) => m.lessons)?.[0];
  if (!lesson) {
    t.skip('the demo course has no lessons');
    return;
  }
  const browser = await openBrowser({ locale: 'es-ES' });
  t.after(() => browser.close());
  const { page } = browser;

  await page.goto(`/courses/${DEMO_COURSE}/lessons/${lesson.id}`);
  await expectHeading(page, lesson.title);
  const warning = page.getByRole('alert').filter({ hasText: msg('es', 'lesson.notAllowedTitle') });
  await warning.waitFor();
  await warning.getByText(msg('es', 'lesson.signInBody'), { exact: true }).waitFor();
  await page.getByRole('main').getByRole('link', { name: msg('es', 'nav.signIn'), exact: true }).waitFor();
  await screenshot(page, 'f8-lesson-not-allowed');

  browser.assertClean();
});

test('the catalog pages through many courses with links that can be shared', { timeout: 60_000 }, async (t) => {
  // Enough published courses for a second page (12 a page).
  const admin = await tokenFor('admin@demo.test');
  const { body: first } = await apiGet('/courses?per_page=1');
  for (let n = first.total; n <= 12; n++) {
    const code = `PAG-${String(Math.floor(1000 + Math.random() * 9000))}`;
    const created = await apiCall('POST', '/courses', {
      token: admin,
      body: {
        code,
        topic: 'administration',
        programme_type: 'seminar',
        modality: 'online',
        level: 'introductory',
        hours: 4,
        primary_language: 'es',
        languages: ['es'],
        translation: {
          title: `Seminario de prueba ${code}`,
          summary: 'Seminario breve.',
          description_md: 'Para probar el paginado.',
          learning_outcomes: [],
        },
      },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Publishing needs an edition.
    const day = (n) => new Date(Date.now() + n * 86_400_000);
    const edition = await apiCall('POST', `/courses/${code}/offerings`, {
      token: admin,
      body: {
        start_date: day(40).toISOString().slice(0, 10),
        end_date: day(41).toISOString().slice(0, 10),
        enrolment_opens_at: day(-1).toISOString(),
        enrolment_closes_at: day(30).toISOString(),
        time_zone: 'America/Mexico_City',
        capacity: 30,
        admission_policy: 'open',
        fee_member: 0,
        fee_non_member: 0,
        currency: 'USD',
      },
    });
    assert.equal(edition.status, 201, JSON.stringify(edition.body));
    assert.equal((await apiCall('POST', `/courses/${code}/publish`, { token: admin })).status, 200);
  }

  const browser = await openBrowser({ locale: 'en-GB' });
  t.after(() => browser.close());
  const { page } = browser;
  await page.goto('/courses');
  await expectHeading(page, msg('en', 'catalog.title'));
  const pager = page.getByRole('navigation', { name: msg('en', 'catalog.pagination') });
  const firstPage = await page.locator('article.course-card').evaluateAll((cards) => cards.map((c) => c.dataset.code));
  assert.equal(firstPage.length, 12);
  await pager.getByRole('link', { name: new RegExp(msg('en', 'pager.next')) }).click();
  await page.waitForURL((url) => url.searchParams.get('page') === '2');
  await pager.getByText(/^Page 2 of \d+$/).waitFor();
  await page.waitForFunction((codes) => {
    const shown = [...document.querySelectorAll('article.course-card')].map((c) => c.getAttribute('data-code'));
    return shown.length > 0 && shown.every((code) => !codes.includes(code));
  }, firstPage);
  // After moving to another page, focus is on the heading, so the new page is announced.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  await screenshot(page, 'f9-catalog-page-2');
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has('page'));
  await page.locator(`article.course-card[data-code="${firstPage[0]}"]`).waitFor();

  browser.assertClean();
});
