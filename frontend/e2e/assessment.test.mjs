import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  apiCall,
  assertNoHorizontalScroll,
  BASE_URL,
  DEMO_PASSWORD,
  expectHeading,
  msg,
  openBrowser,
  screenshot,
  signIn,
  tokenFor,
  unlabelledControls,
} from './support.mjs';

const es = (key, params) => msg('es', key, params);
// The demo student's account is in Portuguese: once signed in, the interface is too.
const pt = (key, params) => msg('pt', key, params);

/** A tiny but real PDF: the server recognises files by their content. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n' +
    `% informe ${Date.now()}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
);
const SHA256 = createHash('sha256').update(PDF).digest('hex');

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Watches a browser for requests that leave the server under test and for script
 * errors, like `assertClean`, but lets the browser's own PDF viewer (its `chrome:`
 * pages and the page's `blob:` object URLs) load what it needs.
 */
function watch({ context, page }) {
  const outside = [];
  const errors = [];
  context.on('request', (request) => {
    const url = request.url();
    if (/^(https?|wss?):/.test(url) && !url.startsWith(BASE_URL)) outside.push(url);
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  return () => {
    assert.deepEqual(outside, [], 'requests left the server under test');
    assert.deepEqual(errors, [], 'the page raised script errors');
  };
}

/**
 * The demo student's running PEN-201 offering and, in it, the case report: the
 * assignment that takes files and that the student may hand in now.
 */
async function caseReport() {
  const token = await tokenFor('student@demo.test');
  const { body: me } = await apiCall('GET', '/me', { token });
  const { body: enrolments } = await apiCall('GET', '/me/enrolments?course=PEN-201&per_page=100', { token });
  const enrolment = enrolments.items.find((e) => e.state === 'enrolled');
  assert.ok(enrolment, 'the demo student holds a seat in a running PEN-201 offering');
  const { status, body: assignments } = await apiCall('GET', `/offerings/${enrolment.offering_id}/assignments`, { token });
  assert.equal(status, 200);
  const open = assignments.filter((a) => a.mine?.can_submit && a.accepts_files && a.allowed_types.includes('pdf'));
  const assignment = open.find((a) => /Informe de caso/.test(a.title)) ?? open[0];
  assert.ok(assignment, 'the demo data has an assignment the student may hand a PDF in to');
  return { learner: me.full_name, enrolment, assignment };
}

test(
  'a learner hands in a report, the instructor grades it with the rubric and releases it, the learner reads the grade',
  { timeout: 240_000 },
  async (t) => {
    const { learner, enrolment, assignment } = await caseReport();
    const offeringId = enrolment.offering_id;
    const instructorToken = await tokenFor('instructor@demo.test');
    const { body: staffView } = await apiCall('GET', `/assignments/${assignment.id}`, { token: instructorToken });
    const rubric = staffView.rubric;
    const feedback = 'Buen análisis de la reforma. **Cite** la valuación actuarial en la sección 2.';

    // --- The learner opens the assignment: due date, late policy, what it takes.
    const student = await openBrowser({ locale: 'es-ES' });
    t.after(() => student.close());
    // The feedback's PDF opens from a `blob:` object URL: watched like the grader's viewer.
    const studentClean = watch(student);
    let page = student.page;
    await page.goto(`/sign-in?next=${encodeURIComponent(`/assignments/${assignment.id}`)}`);
    await signIn(page, 'es', 'student@demo.test', DEMO_PASSWORD);
    await expectHeading(page, assignment.title);
    await page.getByRole('heading', { name: pt('assignment.facts'), exact: true }).waitFor();
    const before = assignment.mine.grade ? 'graded' : assignment.mine.attempts.length > 0 ? (assignment.mine.attempts[0].late ? 'late' : 'submitted') : 'todo';
    await page.locator(`[data-status="${before}"]`).getByText(pt(`assignmentStatus.${before}`), { exact: true }).waitFor();
    const picker = page.getByLabel(pt('submit.chooseFiles'), { exact: true });
    await picker.waitFor({ state: 'attached' });
    assert.deepEqual(await unlabelledControls(page), [], 'the assignment page has controls without a label');

    // On a phone the page fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'k1-assignment-phone');

    // A file of the wrong kind is refused before sending, and can be taken out again.
    await picker.setInputFiles({ name: 'notas.txt', mimeType: 'text/plain', buffer: Buffer.from('hola') });
    await page.getByText(pt('submit.wrongKind', { name: 'notas.txt', kinds: 'PDF' }), { exact: true }).waitFor();
    assert.equal(await picker.getAttribute('aria-invalid'), 'true');
    await page.getByRole('button', { name: `${pt('submit.removeFile')} notas.txt`, exact: true }).click();

    // The PDF goes up with a progress bar; the receipt names it with its SHA-256.
    await picker.setInputFiles({ name: 'informe-de-caso.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page
      .getByRole('list', { name: pt('submit.chosenFiles') })
      .getByRole('button', { name: `${pt('submit.removeFile')} informe-de-caso.pdf`, exact: true })
      .waitFor();
    const sent = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/assignments/${assignment.id}/submissions`));
    const send = new RegExp(`^(${escape(pt('submit.send'))}|${escape(pt('submit.sendAgain'))})$`);
    await page.getByRole('button', { name: send }).click();
    assert.equal((await sent).status(), 201);
    const receipt = page.locator('section.receipt');
    await receipt.getByRole('heading', { name: pt('receipt.title'), exact: true }).waitFor();
    await receipt.getByText(SHA256, { exact: true }).waitFor();
    await receipt.getByText(pt('receipt.mailed'), { exact: true }).waitFor();
    const attempt = Number(await receipt.locator('[data-attempt]').getAttribute('data-attempt'));
    await receipt.getByText(pt('receipt.attempt', { attempt }), { exact: true }).waitFor();
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'k2-receipt-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, 'k3-receipt');
    studentClean();

    // --- The instructor finds the work in the grading queue, oldest first.
    const instructor = await openBrowser({ locale: 'es-ES' });
    t.after(() => instructor.close());
    const instructorClean = watch(instructor);
    page = instructor.page;
    const grading = `/teach/offerings/${offeringId}/grading?assignment=${assignment.id}`;
    await page.goto(`/sign-in?next=${encodeURIComponent(grading)}`);
    await signIn(page, 'es', 'instructor@demo.test', DEMO_PASSWORD);
    await expectHeading(page, es('grading.title', { code: 'PEN-201' }));
    const queue = page.getByRole('navigation', { name: es('grading.queue') });
    const entries = queue.locator('button.entry');
    await entries.first().waitFor();
    const names = await entries.locator('.who').allTextContents();
    const mine = names.indexOf(learner);
    assert.ok(mine >= 0, `the queue lists ${learner}: ${names.join(', ')}`);
    const current = page.locator('#grading-current');
    // The keyboard moves through the queue: j forwards, k back.
    await page.locator('h1').click();
    for (let i = 0; i < mine; i += 1) await page.keyboard.press('j');
    await current.getByRole('heading', { level: 2, name: learner, exact: true }).waitFor();
    if (mine > 0) {
      await page.keyboard.press('k');
      await current.getByRole('heading', { level: 2, name: names[mine - 1], exact: true }).waitFor();
      await page.keyboard.press('j');
      await current.getByRole('heading', { level: 2, name: learner, exact: true }).waitFor();
    }
    assert.equal(await entries.nth(mine).getAttribute('aria-current'), 'true');
    await current.getByText(es('receipt.attempt', { attempt }), { exact: true }).waitFor();
    // The PDF is shown in the page.
    await current.locator('iframe.pdf').waitFor();
    assert.equal(await current.locator('iframe.pdf').getAttribute('title'), es('grading.pdfTitle', { name: 'informe-de-caso.pdf' }));

    // The rubric's best levels add up live to the maximum. The grade form renders after
    // the work it grades: wait for exactly the rubric's criteria before counting them.
    const criteria = current.locator('fieldset.criterion');
    await page.waitForFunction(
      (expected) => document.querySelectorAll('#grading-current fieldset.criterion').length === expected,
      rubric.length,
    );
    assert.equal(await criteria.count(), rubric.length);
    let total = 0;
    for (const [index, criterion] of rubric.entries()) {
      const best = criterion.levels.reduce((a, b) => (b.points > a.points ? b : a));
      total += best.points;
      await criteria.nth(index).getByRole('radio', { name: new RegExp(`^${escape(best.title)}`) }).check();
    }
    const max = staffView.max_score;
    const number = (n) => new Intl.NumberFormat('es', { maximumFractionDigits: 2 }).format(n);
    if (rubric.length > 0) {
      await current.getByText(es('gradeForm.sum', { score: number(total), max: number(max) }), { exact: true }).waitFor();
    } else {
      await current.getByLabel(es('gradeForm.score', { max: number(max) })).fill(String(max));
      total = max;
    }
    const feedbackField = current.getByLabel(es('gradeForm.feedback'), { exact: true });
    await feedbackField.fill(feedback);
    const reason = current.getByLabel(es('gradeForm.reason'), { exact: true });
    if ((await reason.count()) > 0) await reason.fill('Nueva entrega del informe.');
    // A PDF of annotated comments goes with the grade (at once when a grade is there, else on saving).
    const attachedFile = page.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith(`/assignments/${assignment.id}/grades/${enrolment.id}/files`),
    );
    await current
      .getByLabel(es('feedbackFiles.attach'), { exact: true })
      .setInputFiles({ name: 'comentarios.pdf', mimeType: 'application/pdf', buffer: PDF });
    await screenshot(page, 'k4-grading');

    // Ctrl+Enter saves from the feedback field; the work leaves the queue.
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/assignments/${assignment.id}/grades/${enrolment.id}`));
    await feedbackField.focus();
    await page.keyboard.press('Control+Enter');
    assert.equal((await saved).status(), 200);
    assert.equal((await attachedFile).status(), 201);
    const points = es('grade.points', { score: number(total), max: number(max) });
    await page.getByRole('status').getByText(es('grading.saved', { name: learner, score: points }), { exact: true }).waitFor();
    await page.locator('.who', { hasText: learner }).waitFor({ state: 'detached' });

    // Releasing the assignment's grades asks first.
    if (!staffView.grades_released_at) {
      await page.getByRole('button', { name: new RegExp(`^${escape(es('release.button'))}`) }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText(es('release.explain'), { exact: true }).waitFor();
      await dialog.getByRole('button', { name: es('release.confirm'), exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText(es('release.announced', { title: assignment.title }), { exact: true }).waitFor();
    }

    // The gradebook shows the grade; on a phone the grid scrolls inside its own frame.
    await page.getByRole('link', { name: es('offeringTabs.gradebook'), exact: true }).click();
    await expectHeading(page, es('gradebook.title', { code: 'PEN-201' }));
    const row = page.locator(`#gradebook-table tr[data-enrolment="${enrolment.id}"]`);
    await row.locator(`td[data-item="assignment-${assignment.id}"]`).getByText(points, { exact: true }).waitFor();
    await screenshot(page, 'k5-gradebook');
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    const frame = page.locator('.grid-frame');
    assert.ok(await frame.evaluate((el) => el.scrollWidth > el.clientWidth), 'the grid scrolls sideways in its frame');
    await screenshot(page, 'k6-gradebook-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // The final grade can be adjusted with a reason; the dialog shows the computed one.
    await row.getByRole('button', { name: new RegExp(`^${escape(es('gradebook.override'))}`) }).click();
    const override = page.getByRole('dialog', { name: es('override.title', { name: learner }) });
    await override.getByText(es('override.computed'), { exact: true }).waitFor();
    await override.getByRole('button', { name: es('override.save'), exact: true }).click();
    await override.getByText(es('validation.required'), { exact: true }).first().waitFor();
    await screenshot(page, 'k7-override');
    await override.getByRole('button', { name: es('common.cancel'), exact: true }).click();
    await override.waitFor({ state: 'hidden' });
    // The grader's page shows the PDF with the browser's own viewer.
    instructorClean();

    // --- The learner reads the grade, the rubric levels and the feedback.
    page = student.page;
    await page.reload();
    await expectHeading(page, assignment.title);
    const grade = page.locator('[data-grade]');
    await grade.getByText(points, { exact: true }).waitFor();
    await grade.getByText('Cite', { exact: true }).waitFor();
    for (const criterion of rubric) await grade.getByText(criterion.title, { exact: true }).waitFor();
    // The feedback's PDF is listed; it opens in a new tab from the downloaded copy.
    await grade.getByRole('heading', { name: pt('grade.files'), exact: true }).waitFor();
    const feedbackPdf = grade.getByRole('button', { name: `comentarios.pdf — ${pt('feedbackFiles.open')}`, exact: true });
    await feedbackPdf.waitFor();
    const fetched = page.waitForResponse((r) => r.request().method() === 'GET' && /\/grade-files\/\d+$/.test(r.url()));
    const tab = page.context().waitForEvent('page');
    await feedbackPdf.click();
    assert.equal((await fetched).status(), 200);
    await (await tab).close();
    await page.getByText(pt('assignmentStatus.graded'), { exact: true }).first().waitFor();
    await screenshot(page, 'k8-graded');

    // …and in "Grades", with the final grade.
    await page.getByRole('navigation', { name: pt('nav.label') }).getByRole('link', { name: pt('nav.grades'), exact: true }).click();
    await expectHeading(page, pt('grades.title'));
    const item = page.locator(`section[data-offering="${offeringId}"] tr[data-item="assignment-${assignment.id}"]`);
    await item.getByText(points, { exact: true }).waitFor();
    await page.locator(`section[data-offering="${offeringId}"] [data-final]`).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'k9-grades-phone');
    studentClean();
  },
);
