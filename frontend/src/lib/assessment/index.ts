/**
 * Assessment: assignments, the work learners hand in, grading, the gradebook and
 * quizzes. The shapes the API answers with, the calls, and the rules the interface needs
 * to show them (the server decides). One module per concern:
 *
 * - `types`: shapes and vocabularies of the API;
 * - `files`: accepted kinds of file and checks before sending;
 * - `dates`, `status`: due dates, cut-offs, and where a learner stands;
 * - `numbers`, `rubric`: points as typed and read, rubrics and their editor;
 * - `form`: the assignment form;
 * - `grading`, `gradebook`: the grading queue and the gradebook;
 * - `quiz`, `answers`, `quiz-form`, `bank`: taking a quiz (answers and their saving,
 *   the countdown, where a learner stands), the quiz form, and the question bank's form;
 * - `problems`, `api`, `quiz-api`: the interface's words for problem codes, and the calls.
 */
export * from './answers.svelte';
export * from './api';
export * from './bank';
export * from './dates';
export * from './files';
export * from './form';
export * from './gradebook';
export * from './grading';
export * from './numbers';
export * from './problems';
export * from './quiz';
export * from './quiz-api';
export * from './quiz-form';
export * from './rubric';
export * from './status';
export * from './types';
