import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiCall,
  assertNoHorizontalScroll,
  DEMO_PASSWORD,
  expectHeading,
  htmlLang,
  languageSwitcher,
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

const QUIZ_TITLE = 'Cuestionario: fundamentos de pensiones';

/** The demo student's running PEN-201 offering and, in it, the demo quiz. */
async function demoQuiz() {
  const token = await tokenFor('student@demo.test');
  const { body: me } = await apiCall('GET', '/me', { token });
  const { body: enrolments } = await apiCall('GET', '/me/enrolments?course=PEN-201&per_page=100', { token });
  for (const enrolment of enrolments.items.filter((e) => e.state === 'enrolled')) {
    const { status, body: quizzes } = await apiCall('GET', `/offerings/${enrolment.offering_id}/quizzes`, { token });
    assert.equal(status, 200);
    const quiz = quizzes.find((q) => q.title === QUIZ_TITLE);
    if (quiz) return { learner: me.full_name, enrolment, quiz };
  }
  assert.fail(`the demo student holds a seat in a PEN-201 offering with the quiz "${QUIZ_TITLE}"`);
}

/** Answers one question of the player as its kind asks, with an answer the demo bank takes as right. */
async function answer(question) {
  const kind = await question.getAttribute('data-kind');
  switch (kind) {
    case 'single_choice':
      await question.getByRole('radio').first().check();
      break;
    case 'multiple_choice': {
      const boxes = question.getByRole('checkbox');
      await boxes.nth(0).check();
      await boxes.nth(1).check();
      break;
    }
    case 'true_false':
      await question.getByRole('radio', { name: pt('player.true'), exact: true }).check();
      break;
    case 'numeric':
      await question.getByLabel(pt('player.yourAnswer'), { exact: true }).fill('25');
      break;
    case 'short_answer':
      await question.getByLabel(pt('player.yourAnswer'), { exact: true }).fill('valuacion actuarial');
      break;
    default:
      assert.fail(`a question of an unknown kind: ${kind}`);
  }
  // Typed answers are saved after a pause, choices at once: either way the question says so.
  await question.locator('[data-save="saved"]').waitFor();
  return kind;
}

/** What a question shows as its answer, to compare before and after a reload. */
async function shownAnswer(question) {
  const kind = await question.getAttribute('data-kind');
  if (kind === 'numeric' || kind === 'short_answer') return question.getByLabel(pt('player.yourAnswer'), { exact: true }).inputValue();
  return question.locator('input').evaluateAll((inputs) => inputs.map((input) => input.checked));
}

const secondsLeft = async (page) => Number(await page.getByRole('timer').getAttribute('data-seconds'));

test(
  'a learner takes the quiz, reloads without losing answers or time, hands it in and sees the points; the instructor reads the attempt',
  { timeout: 240_000 },
  async (t) => {
    const { learner, quiz } = await demoQuiz();
    assert.ok(quiz.mine?.can_start, 'the demo student may start the quiz');
    const used = quiz.mine.attempts.length;

    // --- The quiz page: what it asks, when it closes, how it is scored.
    const student = await openBrowser({ locale: 'es-ES' });
    t.after(() => student.close());
    const page = student.page;
    await page.goto(`/sign-in?next=${encodeURIComponent(`/quizzes/${quiz.id}`)}`);
    await signIn(page, 'es', 'student@demo.test', DEMO_PASSWORD);
    await expectHeading(page, QUIZ_TITLE);
    await page.locator('[data-time-limit]').getByText(pt('quiz.minutesPerAttempt.other', { count: 20 }), { exact: true }).waitFor();
    await page.locator('[data-attempts]').getByText(pt('quiz.attemptsUsed', { used, allowed: quiz.mine.attempts_allowed }), { exact: true }).waitFor();

    // --- Starting it opens the player, with the countdown from the server's clock.
    await page.getByRole('button', { name: pt('quiz.start', { n: used + 1 }), exact: true }).click();
    await page.waitForURL(/\/quiz-attempts\/\d+$/);
    const attemptId = Number(new URL(page.url()).pathname.split('/').pop());
    await expectHeading(page, QUIZ_TITLE);
    const timer = page.getByRole('timer');
    await timer.waitFor();
    const questions = page.locator('section.question');
    await questions.first().waitFor();
    const total = await questions.count();
    assert.equal(total, quiz.question_count, 'the attempt draws as many questions as the quiz says');
    assert.ok((await secondsLeft(page)) > 19 * 60, 'a fresh attempt has about 20 minutes');
    assert.deepEqual(await unlabelledControls(page), [], 'the player has controls without a label');

    // Half of the questions are answered, each saved as it changes.
    const half = Math.ceil(total / 2);
    const kinds = [];
    for (let i = 0; i < half; i += 1) kinds.push(await answer(questions.nth(i)));
    await page.getByText(pt('player.answeredOf', { answered: half, total }), { exact: true }).waitFor();
    const before = [];
    for (let i = 0; i < half; i += 1) before.push(await shownAnswer(questions.nth(i)));

    // --- A reload resumes the attempt: the answers are there, the time still runs.
    const leftBefore = await secondsLeft(page);
    await page.reload();
    await expectHeading(page, QUIZ_TITLE);
    await questions.first().waitFor();
    for (let i = 0; i < half; i += 1) assert.deepEqual(await shownAnswer(questions.nth(i)), before[i], `question ${i + 1} kept its answer`);
    await page.getByText(pt('player.answeredOf', { answered: half, total }), { exact: true }).waitFor();
    const leftAfter = await secondsLeft(page);
    assert.ok(leftAfter > 0 && leftAfter <= leftBefore, `the time left goes on from ${leftBefore} s (now ${leftAfter} s)`);
    await page.waitForFunction(
      (start) => Number(document.querySelector('[role="timer"]')?.getAttribute('data-seconds')) < start,
      leftAfter,
      { timeout: 5_000 },
    );

    // On a phone the player fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'q1-quiz-player-phone');

    // --- The rest, then handing in: the confirmation counts what is unanswered.
    for (let i = half; i < total; i += 1) kinds.push(await answer(questions.nth(i)));
    await page.getByText(pt('player.allAnswered'), { exact: true }).waitFor();
    await page.getByRole('button', { name: pt('player.submit'), exact: true }).click();
    const confirm = page.getByRole('dialog', { name: pt('player.confirmTitle') });
    await confirm.getByText(pt('player.confirmAll', { total }), { exact: true }).waitFor();
    const submitted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/quiz-attempts/${attemptId}/submit`));
    await confirm.getByRole('button', { name: pt('player.submit'), exact: true }).click();
    assert.equal((await submitted).status(), 200);

    // The points of the attempt, and per question; the right answers wait for the close.
    const result = page.locator('[data-result]');
    await result.getByRole('heading', { name: pt('player.resultTitle'), exact: true }).waitFor();
    const points = Number(await result.locator('[data-points]').getAttribute('data-points'));
    assert.ok(points > 0, `the attempt scored points (${points})`);
    await result.getByText(pt('player.submitted'), { exact: true }).waitFor();
    assert.equal(await questions.locator('[data-points]').count(), total, 'each question shows its points');
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'q2-quiz-result-phone');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Back on the quiz page: the attempt is listed with its score.
    await page.getByRole('link', { name: pt('player.backToQuiz') }).first().click();
    await expectHeading(page, QUIZ_TITLE);
    await page.locator(`li[data-attempt="${attemptId}"]`).waitFor();
    await page.locator('[data-score]').waitFor();

    // Another language, without a reload: this page's words come with it.
    await languageSwitcher(page, 'pt').selectOption('en');
    await page.getByRole('heading', { name: msg('en', 'quiz.yourAttempts'), exact: true }).waitFor();
    await page.getByRole('heading', { name: msg('en', 'quiz.facts'), exact: true }).waitFor();
    assert.equal(await htmlLang(page), 'en');
    student.assertClean();

    // --- The instructor sees the attempt among the quiz's attempts and opens it.
    const instructor = await openBrowser({ locale: 'es-ES' });
    t.after(() => instructor.close());
    const staff = instructor.page;
    await staff.goto(`/sign-in?next=${encodeURIComponent(`/teach/quizzes/${quiz.id}/attempts`)}`);
    await signIn(staff, 'es', 'instructor@demo.test', DEMO_PASSWORD);
    await expectHeading(staff, es('quizAttempts.title', { title: QUIZ_TITLE }));
    const row = staff.locator(`#attempts-table tr[data-attempt="${attemptId}"]`);
    await row.getByText(learner, { exact: true }).waitFor();
    await row.getByText(es('quizAttempts.state.submitted'), { exact: true }).waitFor();
    await row.getByRole('link', { name: new RegExp(`^${es('quizAttempts.review')}`) }).click();
    await expectHeading(staff, es('quizReview.title', { name: learner, attempt: used + 1 }));
    // Staff see the right answers of every question.
    assert.ok((await staff.getByText(es('player.rightAnswer')).count()) > 0, 'the review shows right answers');

    // A short answer's points can be changed, with a reason.
    const override = staff.getByRole('button', { name: new RegExp(`^${es('quizReview.override')}`) });
    if ((await override.count()) > 0) {
      await override.first().click();
      const dialog = staff.getByRole('dialog', { name: es('quizReview.overrideTitle') });
      await dialog.getByLabel(es('quizReview.reason'), { exact: true }).fill('Respuesta equivalente aceptada.');
      await dialog.getByRole('button', { name: es('quizReview.save'), exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await staff.getByRole('status').getByText(/./).first().waitFor();
    }
    await screenshot(staff, 'q3-quiz-attempt-review');

    // --- The question bank of the course, and a new question's form, on a phone.
    await staff.goto('/teach/courses/PEN-201/questions');
    await expectHeading(staff, es('bank.title', { code: 'PEN-201' }));
    await staff.locator('li.question').first().waitFor();
    await staff.setViewportSize({ width: 390, height: 844 });
    await staff.getByRole('button', { name: es('bank.add'), exact: true }).click();
    const form = staff.getByRole('form', { name: es('questionForm.newTitle') });
    await form.getByLabel(es('questionForm.promptIn', { language: 'español' }), { exact: true }).fill('¿Qué mide la tasa de reemplazo?');
    await form.getByLabel(es('questionForm.choiceN', { n: 1 }), { exact: true }).fill('La pensión frente al último salario');
    await form.getByLabel(es('questionForm.choiceN', { n: 2 }), { exact: true }).fill('Las cotizaciones frente a los gastos');
    await form.getByRole('radio', { name: `${es('questionForm.rightShort')} — ${es('questionForm.choiceN', { n: 1 })}` }).check();
    // Choices keep one order in every language: the English tab has the same rows.
    await form.getByRole('tab', { name: /^Inglés/ }).click();
    await form.getByLabel(es('questionForm.choiceN', { n: 4 }), { exact: true }).waitFor();
    await form.getByRole('tab', { name: /^Español/ }).click();
    assert.deepEqual(await unlabelledControls(staff), [], 'the bank has controls without a label');
    await assertNoHorizontalScroll(staff);
    await screenshot(staff, 'q4-question-bank-editor-phone');
    instructor.assertClean();
  },
);

test("a coordinator reads the final grades of an offering for their institution's people", { timeout: 120_000 }, async (t) => {
  const { learner, enrolment } = await demoQuiz();
  const coordinator = await openBrowser({ locale: 'es-ES' });
  t.after(() => coordinator.close());
  const page = coordinator.page;
  await page.goto(`/sign-in?next=${encodeURIComponent(`/coordinator?offering_id=${enrolment.offering_id}`)}`);
  await signIn(page, 'es', 'coordinator@demo.test', DEMO_PASSWORD);
  await expectHeading(page, es('coordinator.title'));
  const row = page.locator(`#people-table tr[data-enrolment="${enrolment.id}"]`);
  await row.getByRole('link', { name: new RegExp(`^${es('finalGrades.link')}`) }).click();
  await expectHeading(page, es('finalGrades.title', { code: 'PEN-201' }));
  const grade = page.locator(`#final-grades-table tr[data-enrolment="${enrolment.id}"]`);
  await grade.getByText(learner, { exact: true }).waitFor();
  await grade.locator('[data-final]').waitFor();

  // The CSV is the same list, for a spreadsheet.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: es('finalGrades.export'), exact: true }).click();
  const file = await download;
  assert.match(file.suggestedFilename(), /^final-grades-PEN-201\.csv$/);
  await page.setViewportSize({ width: 390, height: 844 });
  await assertNoHorizontalScroll(page);
  await screenshot(page, 'q5-final-grades-phone');
  coordinator.assertClean();
});
