import type { MessageKey } from '../i18n/catalogues';

/** The interface's own words for the problem codes of this part of the API. */
export const ASSESSMENT_PROBLEMS: Record<string, MessageKey> = {
  assignment_not_found: 'problem.assignment_not_found',
  submission_not_found: 'problem.submission_not_found',
  submission_closed: 'problem.submission_closed',
  duplicate_submission: 'problem.duplicate_submission',
  rubric_in_use: 'problem.rubric_in_use',
  assignment_in_use: 'problem.assignment_in_use',
  offering_not_found: 'problem.offering_not_found',
  enrolment_not_found: 'problem.enrolment_not_found',
  service_unavailable: 'problem.service_unavailable',
  forbidden: 'problem.forbidden',
  invalid_csv: 'problem.invalid_grades_csv',
};

/** Quizzes and the question bank add their own codes to those of assessment. */
export const QUIZ_PROBLEMS: Record<string, MessageKey> = {
  ...ASSESSMENT_PROBLEMS,
  quiz_not_found: 'problem.quiz_not_found',
  question_not_found: 'problem.question_not_found',
  attempt_not_found: 'problem.attempt_not_found',
  quiz_closed: 'problem.quiz_closed',
  no_attempts_left: 'problem.no_attempts_left',
  attempt_closed: 'problem.attempt_closed',
};
