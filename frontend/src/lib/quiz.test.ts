import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, configureApi } from './api';
import {
  addChoice,
  AnswerSaver,
  answerOutcome,
  bankFiltersFromQuery,
  changeKind,
  choiceCount,
  choiceResponse,
  choicesOf,
  countdownMark,
  drawCount,
  formatCountdown,
  isAttemptOpen,
  languagesWritten,
  localDeadline,
  looksNumeric,
  markRight,
  moveChoice,
  offeringWeights,
  parseSignedDecimal,
  parseTags,
  quizApi,
  queryFromBankFilters,
  questionDraft,
  questionInput,
  quizDraft,
  quizInput,
  quizStatus,
  removeChoice,
  secondsUntil,
  textResponse,
  toggleChoice,
  trueFalseOf,
  trueFalseResponse,
  unansweredCount,
  type AttemptSummary,
  type Question,
  type Quiz,
} from './assessment';
import { i18n } from './i18n/index.svelte';
import { questionFieldLabel, quizProblem, responseText } from './quiz-text';

describe('answers as the API writes them', () => {
  it('read choice positions in order, each once, with spaces or commas', () => {
    expect(choicesOf('2, 0 2')).toEqual([0, 2]);
    expect(choicesOf(' 1 ')).toEqual([1]);
    expect(choicesOf('')).toEqual([]);
    expect(choicesOf(null)).toEqual([]);
  });

  it('write marked choices as positions, and no answer when none is marked', () => {
    expect(choiceResponse([2, 0])).toBe('0 2');
    expect(choiceResponse([])).toBeNull();
    expect(toggleChoice('0 2', 1, true)).toBe('0 1 2');
    expect(toggleChoice('0 2', 0, false)).toBe('2');
    expect(toggleChoice('2', 2, false)).toBeNull();
  });

  it('write true as 1 and false as 0, and read them back', () => {
    expect(trueFalseResponse(true)).toBe('1');
    expect(trueFalseResponse(false)).toBe('0');
    expect(trueFalseResponse(null)).toBeNull();
    expect(trueFalseOf('1')).toBe(true);
    expect(trueFalseOf('0')).toBe(false);
    expect(trueFalseOf(null)).toBeNull();
  });

  it('send typed text trimmed, and an empty field as no answer', () => {
    expect(textResponse('  valuación actuarial ')).toBe('valuación actuarial');
    expect(textResponse('   ')).toBeNull();
  });

  it('take numbers with a comma or a point, as the server does', () => {
    for (const text of ['25', '12,5', '12.5', '-3', '0,25', ',5']) expect(looksNumeric(text), text).toBe(true);
    for (const text of ['', 'doce', '1.2.3', '12 %', '1,2,3']) expect(looksNumeric(text), text).toBe(false);
    expect(parseSignedDecimal('-12,5')).toBe(-12.5);
    expect(parseSignedDecimal('x')).toBeNull();
  });

  it('count the questions left without an answer', () => {
    expect(unansweredCount([{ response: '1' }, { response: null }, { response: ' ' }, {}])).toBe(3);
  });

  it('tell a right, partly right and wrong answer by its points', () => {
    expect(answerOutcome({ points: 2, max_points: 2 })).toBe('right');
    expect(answerOutcome({ points: 0.5, max_points: 2 })).toBe('partial');
    expect(answerOutcome({ points: 0, max_points: 2 })).toBe('wrong');
    expect(answerOutcome({ points: null, max_points: 2 })).toBeNull();
  });
});

describe('the countdown', () => {
  it('counts on the server’s seconds, whatever this device’s clock says', () => {
    const received = 1_000_000;
    const deadline = localDeadline({ seconds_left: 1200 }, received);
    expect(secondsUntil(deadline, received)).toBe(1200);
    expect(secondsUntil(deadline, received + 1500)).toBe(1199);
    expect(secondsUntil(deadline, received + 1_300_000)).toBe(0);
  });

  it('reads as a clock', () => {
    expect(formatCountdown(1199)).toBe('19:59');
    expect(formatCountdown(245)).toBe('4:05');
    expect(formatCountdown(59)).toBe('0:59');
    expect(formatCountdown(3723)).toBe('1:02:03');
    expect(formatCountdown(-5)).toBe('0:00');
  });

  it('is announced at 5 and 1 minutes left and at the end, once each', () => {
    expect(countdownMark(301, 300)).toBe(5);
    expect(countdownMark(300, 299)).toBeNull();
    expect(countdownMark(61, 60)).toBe(1);
    expect(countdownMark(1, 0)).toBe(0);
    expect(countdownMark(0, 0)).toBeNull();
    // A tab asleep for a while still hears the mark it skipped past.
    expect(countdownMark(400, 200)).toBe(5);
  });

  it('knows an attempt is over once handed in or out of time', () => {
    expect(isAttemptOpen({ submitted_at: null, seconds_left: 10 })).toBe(true);
    expect(isAttemptOpen({ submitted_at: '2027-01-01T00:00:00Z', seconds_left: 10 })).toBe(false);
    expect(isAttemptOpen({ submitted_at: null, seconds_left: 0 })).toBe(false);
  });
});

describe('where a learner stands on a quiz', () => {
  const now = Date.parse('2027-03-10T12:00:00Z');
  const attempt = (over: Partial<AttemptSummary>): AttemptSummary => ({
    id: 1,
    number: 1,
    started_at: '2027-03-10T11:50:00Z',
    deadline_at: '2027-03-10T12:10:00Z',
    submitted_at: null,
    score: null,
    ...over,
  });
  const quiz = (mine: Partial<NonNullable<Quiz['mine']>>, opens_at: string | null = null) => ({
    opens_at,
    mine: { closes_at: '2027-03-20T00:00:00Z', attempts_allowed: 2, attempts: [], can_start: true, ...mine },
  });

  it('is in progress while an attempt is open', () => {
    expect(quizStatus(quiz({ attempts: [attempt({})] }), now)).toBe('in_progress');
  });

  it('is scored once an attempt is handed in or ran out of time', () => {
    expect(quizStatus(quiz({ attempts: [attempt({ submitted_at: '2027-03-10T11:59:00Z', score: 8 })] }), now)).toBe('scored');
    expect(quizStatus(quiz({ attempts: [attempt({ deadline_at: '2027-03-10T11:55:00Z' })] }), now)).toBe('scored');
  });

  it('is to do, not open yet, or missed when nothing was taken', () => {
    expect(quizStatus(quiz({}), now)).toBe('todo');
    expect(quizStatus(quiz({ can_start: false }, '2027-03-11T00:00:00Z'), now)).toBe('not_open');
    expect(quizStatus(quiz({ can_start: false }), now)).toBe('missed');
  });
});

describe('the question form', () => {
  const saved: Question = {
    id: 4,
    kind: 'multiple_choice',
    points: 2.5,
    tags: ['fundamentos', 'ivm'],
    texts: [
      { locale: 'es', prompt: '¿Qué cubre?', choices: ['Vejez', 'Invalidez', 'Desempleo'], explanation: 'IVM' },
      { locale: 'en', prompt: 'What does it cover?', choices: ['Old age', 'Disability', 'Unemployment'] },
    ],
    correct: [0, 1],
    partial_credit: 'proportional',
    accepted_answers: [],
    accent_insensitive: true,
    numeric_answer: null,
    numeric_tolerance: 0,
    archived: false,
  };

  it('holds a saved question with numbers as its language writes them', () => {
    const draft = questionDraft(saved, 'single_choice', 'es');
    expect(draft.points).toBe('2,5');
    expect(draft.tags).toBe('fundamentos, ivm');
    expect(draft.texts.en.choices).toEqual(['Old age', 'Disability', 'Unemployment']);
    expect(draft.texts.pt).toEqual({ prompt: '', explanation: '', choices: ['', '', ''] });
    expect(languagesWritten(draft)).toEqual(['es', 'en']);
  });

  it('sends every language written, choices in one order, and an edit without its kind', () => {
    const { input, problems } = questionInput(questionDraft(saved, 'single_choice', 'es'), false);
    expect(problems.fields).toEqual({});
    expect(input).toEqual({
      points: 2.5,
      tags: ['fundamentos', 'ivm'],
      texts: [
        { locale: 'es', prompt: '¿Qué cubre?', choices: ['Vejez', 'Invalidez', 'Desempleo'], explanation: 'IVM' },
        { locale: 'en', prompt: 'What does it cover?', choices: ['Old age', 'Disability', 'Unemployment'] },
      ],
      correct: [0, 1],
      partial_credit: 'proportional',
    });
  });

  it('adds, moves and removes a choice in every language, the right ones with it', () => {
    let draft = questionDraft(saved, 'single_choice', 'es');
    draft = addChoice(draft);
    expect(choiceCount(draft)).toBe(4);
    expect(draft.texts.en.choices[3]).toBe('');
    draft = moveChoice(draft, 0, 1);
    expect(draft.texts.es.choices.slice(0, 2)).toEqual(['Invalidez', 'Vejez']);
    expect(draft.correct).toEqual([0, 1]);
    draft = moveChoice(draft, 1, 1);
    expect(draft.texts.en.choices.slice(0, 3)).toEqual(['Disability', 'Unemployment', 'Old age']);
    expect(draft.correct).toEqual([0, 2]);
    draft = removeChoice(draft, 1);
    expect(draft.texts.es.choices).toEqual(['Invalidez', 'Vejez', '']);
    expect(draft.correct).toEqual([0, 1]);
  });

  it('marks one right choice for single choice, any number for multiple', () => {
    let draft = changeKind(questionDraft(null, 'multiple_choice'), 'single_choice');
    draft = markRight(markRight(draft, 1, true), 2, true);
    expect(draft.correct).toEqual([2]);
    draft = changeKind(draft, 'multiple_choice');
    draft = markRight(draft, 0, true);
    expect(draft.correct).toEqual([0, 2]);
    expect(markRight(draft, 2, false).correct).toEqual([0]);
  });

  it('finds what is missing before sending', () => {
    const draft = questionDraft(null, 'single_choice');
    expect(questionInput(draft, true).problems.fields).toMatchObject({ texts: 'questionForm.textRequired', correct: 'questionForm.oneRight' });
    draft.texts.es.prompt = '¿Qué caracteriza a un sistema de reparto?';
    draft.texts.es.choices = ['Reparto', 'Cuentas', '', ''];
    draft.texts.fr.prompt = 'Qu’est-ce qui caractérise la répartition ?';
    draft.correct = [0];
    draft.points = '0';
    const { problems } = questionInput(draft, true);
    // French has a prompt but none of the two choices Spanish has.
    expect(problems.incomplete).toEqual(['fr']);
    expect(problems.fields).toEqual({ texts: 'questionForm.textIncomplete', points: 'questionForm.pointsRange' });
  });

  it('leaves out choices empty in every language, the right ones following', () => {
    const draft = questionDraft(null, 'single_choice');
    draft.texts.es.prompt = '¿Qué mide la tasa de reemplazo?';
    draft.texts.es.choices = ['', 'La pensión frente al salario', '', 'Las cotizaciones'];
    draft.correct = [3];
    const { input, problems } = questionInput(draft, true);
    expect(problems.fields).toEqual({});
    expect(input.texts?.[0].choices).toEqual(['La pensión frente al salario', 'Las cotizaciones']);
    expect(input.correct).toEqual([1]);
    draft.texts.es.choices = ['Solo una', '', '', ''];
    draft.correct = [0];
    expect(questionInput(draft, true).problems.fields).toEqual({ choices: 'questionForm.choicesMin' });
  });

  it('needs accepted answers for a short answer and a number for a numeric one', () => {
    const short = changeKind(questionDraft(null), 'short_answer');
    short.texts.es.prompt = '¿Cómo se llama el estudio?';
    short.accepted = ' valuación actuarial \n\nvaloración actuarial\nvaluación actuarial';
    const sent = questionInput(short, true);
    expect(sent.problems.fields).toEqual({});
    expect(sent.input).toMatchObject({ kind: 'short_answer', accepted_answers: ['valuación actuarial', 'valoración actuarial'], accent_insensitive: true });
    expect(sent.input.texts?.[0]).toEqual({ locale: 'es', prompt: '¿Cómo se llama el estudio?' });

    const numeric = changeKind(questionDraft(null), 'numeric');
    numeric.texts.en.prompt = 'Dependency ratio?';
    numeric.numeric_tolerance = '-1';
    expect(questionInput(numeric, true).problems.fields).toEqual({
      numeric_answer: 'questionForm.numberRequired',
      numeric_tolerance: 'questionForm.toleranceInvalid',
    });
    numeric.numeric_answer = '25';
    numeric.numeric_tolerance = '0,5';
    expect(questionInput(numeric, true).input).toMatchObject({ numeric_answer: 25, numeric_tolerance: 0.5 });
  });

  it('keeps true/false to one answer, true by default', () => {
    const draft = changeKind(questionDraft(null), 'true_false');
    expect(draft.correct).toEqual([1]);
    expect(markRight(draft, 0, true).correct).toEqual([0]);
  });

  it('writes tags as the server keeps them', () => {
    expect(parseTags('Pensiones, Actuaría  reforma-2027;pensiones')).toEqual(['pensiones', 'actuaria', 'reforma-2027']);
    expect(parseTags(' , ')).toEqual([]);
  });

  it('keeps the bank filters in the page URL', () => {
    const filters = bankFiltersFromQuery(new URLSearchParams('tag=Actuaría&archived=1&page=3'));
    expect(filters).toEqual({ tag: 'actuaria', archived: true, page: 3 });
    expect(queryFromBankFilters({ ...filters, page: 1 })).toBe('?tag=actuaria&archived=1');
    expect(queryFromBankFilters({ tag: '', archived: false, page: 1 })).toBe('');
  });

  it('names the place of a server problem by the languages sent', () => {
    i18n.locale = 'es';
    expect(questionFieldLabel('texts[1].choices', ['es', 'pt'])).toBe('Portugués · Opciones');
    expect(questionFieldLabel('accepted_answers', ['es'])).toBe('Respuestas aceptadas');
  });
});

describe('the quiz form', () => {
  const zone = 'America/Mexico_City';

  it('sends moments in UTC, an empty time limit as none, and the parts in order', () => {
    const draft = quizDraft(null, zone);
    Object.assign(draft, { title: ' Cuestionario 1 ', closes: '2027-03-20T23:59', max_attempts: '2', weight: '30' });
    draft.parts = [{ question_id: 4 }, { tag: 'Actuaría', count: '2' }];
    const { input, problems } = quizInput(draft, zone);
    expect(problems).toEqual({});
    expect(input).toMatchObject({
      title: 'Cuestionario 1',
      opens_at: null,
      closes_at: '2027-03-21T05:59:00Z',
      time_limit_minutes: null,
      max_attempts: 2,
      scoring: 'highest',
      shuffle_choices: true,
      weight: 30,
      parts: [{ question_id: 4 }, { tag: 'actuaria', count: 2 }],
    });
    expect(drawCount(draft.parts)).toBe(3);
  });

  it('finds what is wrong before sending', () => {
    const draft = quizDraft(null, zone);
    Object.assign(draft, { opens: '2027-03-20T10:00', closes: '2027-03-19T10:00', time_limit: '0', max_attempts: '21' });
    draft.parts = [{ tag: '', count: '1' }];
    expect(quizInput(draft, zone).problems).toEqual({
      title: 'validation.required',
      closes_at: 'quizForm.closesBeforeOpens',
      time_limit_minutes: 'quizForm.timeLimitRange',
      max_attempts: 'quizForm.attemptsRange',
      parts: 'quizForm.partInvalid',
    });
    draft.parts = [];
    expect(quizInput(draft, zone).problems.parts).toBe('quizForm.partsRequired');
  });

  it('reads a saved quiz back as its form', () => {
    const draft = quizDraft(
      {
        id: 3,
        offering_id: 2,
        title: 'Q',
        description: '',
        opens_at: null,
        closes_at: '2027-03-21T05:59:00Z',
        time_zone: zone,
        time_limit_minutes: 20,
        max_attempts: 2,
        scoring: 'average',
        shuffle_choices: false,
        max_score: 10,
        weight: 30,
        missing_work: 'excluded',
        question_count: 3,
        parts: [{ question_id: 4 }, { tag: 'actuaria', count: 2 }, {}],
      },
      zone,
    );
    expect(draft).toMatchObject({ closes: '2027-03-20T23:59', time_limit: '20', scoring: 'average', shuffle_choices: false });
    expect(draft.parts).toEqual([{ question_id: 4 }, { tag: 'actuaria', count: '2' }]);
  });

  it('adds up the weights of assignments and quizzes, with the one edited as typed', () => {
    const items = { assignments: [{ id: 1, weight: 40 }, { id: 2, weight: 15 }], quizzes: [{ id: 1, weight: 30 }] };
    expect(offeringWeights(items, null, 0)).toBe(85);
    expect(offeringWeights(items, { kind: 'quiz', id: 1 }, 45)).toBe(100);
    expect(offeringWeights(items, { kind: 'quiz', id: null }, 10)).toBe(95);
  });
});

describe('saving answers as they change', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function server() {
    const sent: [number, string | null][] = [];
    const pending: (() => void)[] = [];
    const send = vi.fn((position: number, response: string | null) => {
      sent.push([position, response]);
      return new Promise<void>((resolve) => pending.push(resolve));
    });
    /** The server answers every request, including those sent after an answer. */
    const answerAll = async () => {
      do {
        while (pending.length) pending.shift()?.();
        await vi.runAllTimersAsync();
      } while (pending.length);
    };
    return { sent, send, answerAll };
  }

  it('sends a choice at once and typing after a pause', async () => {
    const { sent, send, answerAll } = server();
    const saver = new AnswerSaver(send, 800);
    saver.change(0, '1', true);
    saver.change(1, 'val', false);
    saver.change(1, 'valuación', false);
    expect(sent).toEqual([[0, '1']]);
    expect(saver.states[1]).toBe('pending');
    await vi.advanceTimersByTimeAsync(800);
    expect(sent).toEqual([
      [0, '1'],
      [1, 'valuación'],
    ]);
    await answerAll();
    expect(saver.states).toEqual({ 0: 'saved', 1: 'saved' });
    expect(saver.busy).toBe(false);
  });

  it('sends one answer per question at a time, the latest last', async () => {
    const { sent, send, answerAll } = server();
    const saver = new AnswerSaver(send);
    saver.change(2, '0', true);
    saver.change(2, '0 1', true);
    saver.change(2, '0 1 3', true);
    expect(sent).toEqual([[2, '0']]);
    await answerAll();
    expect(sent).toEqual([
      [2, '0'],
      [2, '0 1 3'],
    ]);
    expect(saver.states[2]).toBe('saved');
  });

  it('keeps a failed answer to try again, and waits for everything before handing in', async () => {
    const send = vi.fn().mockRejectedValueOnce(new ApiError({ status: 0, code: 'network_error' })).mockResolvedValue(undefined);
    const saver = new AnswerSaver(send);
    saver.change(0, '12,5', false);
    await saver.flushAll();
    expect(saver.states[0]).toBe('failed');
    expect(saver.failure).toBeInstanceOf(ApiError);
    await saver.retry();
    expect(send).toHaveBeenLastCalledWith(0, '12,5');
    expect(saver.states[0]).toBe('saved');
    expect(saver.failure).toBeNull();
  });
});

describe('quiz wording', () => {
  it('reads an answer back in words', () => {
    i18n.locale = 'es';
    const choices = [
      { position: 0, text: 'Vejez' },
      { position: 1, text: 'Invalidez' },
    ];
    expect(responseText({ kind: 'multiple_choice', response: '0 1', choices })).toBe('Vejez · Invalidez');
    expect(responseText({ kind: 'true_false', response: '0', choices: [] })).toBe('Falso');
    expect(responseText({ kind: 'numeric', response: null, choices: [] })).toBe('Sin respuesta');
  });

  it('has a message for each problem of taking a quiz', () => {
    i18n.locale = 'es';
    for (const code of ['quiz_closed', 'no_attempts_left', 'attempt_closed', 'attempt_not_found', 'quiz_not_found', 'question_not_found']) {
      const shown = quizProblem(new ApiError({ status: 409, code, title: 'server words' }));
      expect(shown.title, code).not.toBe('server words');
    }
    expect(quizProblem(new ApiError({ status: 409, code: 'attempt_closed' })).title).toMatch(/tiempo/);
    const invalid = new ApiError({
      status: 422,
      code: 'validation_failed',
      errors: [{ field: 'response', code: 'invalid', message: 'invalid' }],
    });
    expect(quizProblem(invalid).title).toMatch(/forma esperada/);
  });
});

describe('quiz calls', () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    configureApi({ locale: () => 'es', accessToken: () => 'access', refresh: async () => false });
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockImplementation(async () => new Response(JSON.stringify({ items: [], total: 0, page: 1, per_page: 20 }), { status: 200 }));
  });
  afterEach(() => {
    fetchMock.mockReset();
    vi.unstubAllGlobals();
  });

  function sent(n: number) {
    const [url, init] = fetchMock.mock.calls[n];
    return { url, method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined };
  }

  it('start or resume, answer, hand in and adjust points where the API says', async () => {
    await quizApi.start(3);
    await quizApi.answer(11, 2, '0 1');
    await quizApi.answer(11, 0, null);
    await quizApi.submit(11);
    await quizApi.overridePoints(11, 3, 0.5, ' Sinónimo válido ');
    expect([0, 1, 2, 3, 4].map(sent)).toEqual([
      { url: '/api/v1/quizzes/3/attempts', method: 'POST', body: undefined },
      { url: '/api/v1/quiz-attempts/11/answers/2', method: 'PUT', body: { response: '0 1' } },
      { url: '/api/v1/quiz-attempts/11/answers/0', method: 'PUT', body: { response: null } },
      { url: '/api/v1/quiz-attempts/11/submit', method: 'POST', body: undefined },
      { url: '/api/v1/quiz-attempts/11/answers/3/points', method: 'PUT', body: { points: 0.5, reason: 'Sinónimo válido' } },
    ]);
  });

  it('list, edit and retire questions of a course bank', async () => {
    await quizApi.questions('PEN-201', { tag: 'actuaria', archived: true, page: 2 }, 20);
    await quizApi.questions('PEN-201', { tag: '', archived: false, page: 1 }, 100);
    await quizApi.updateQuestion(4, { points: 2 });
    await quizApi.archiveQuestion(4, true);
    expect(sent(0).url).toBe('/api/v1/courses/PEN-201/questions?tag=actuaria&archived=true&page=2&per_page=20');
    expect(sent(1).url).toBe('/api/v1/courses/PEN-201/questions?page=1&per_page=100');
    expect(sent(2)).toEqual({ url: '/api/v1/questions/4', method: 'PATCH', body: { points: 2 } });
    expect(sent(3)).toEqual({ url: '/api/v1/questions/4/archived', method: 'PUT', body: { archived: true } });
  });

  it('grant an extension and read attempts and final grades', async () => {
    await quizApi.grantExtension(3, 8, { extra_attempts: 1, closes_at: null, reason: 'Corte de luz' });
    await quizApi.attempts(3, 2, 25);
    await quizApi.finalGrades(5);
    expect(sent(0)).toEqual({
      url: '/api/v1/quizzes/3/extensions/8',
      method: 'PUT',
      body: { extra_attempts: 1, closes_at: null, reason: 'Corte de luz' },
    });
    expect(sent(1).url).toBe('/api/v1/quizzes/3/attempts?page=2&per_page=25');
    expect(sent(2).url).toBe('/api/v1/offerings/5/final-grades');
  });
});
