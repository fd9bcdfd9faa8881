/** The calls of the question bank, quizzes, attempts and final grades. */
import { download, query, request, seg } from '../api';
import type { Page } from '../types';
import type { BankFilters } from './bank';
import type {
  Attempt,
  PersonFinalGrade,
  Question,
  QuestionInput,
  Quiz,
  QuizExtension,
  QuizExtensionInput,
  QuizInput,
  StaffAttempt,
} from './types';

export const quizApi = {
  // The question bank of a course (its staff)
  questions: (code: string, filters: BankFilters, perPage: number) =>
    request<Page<Question>>(
      'GET',
      `/courses/${seg(code)}/questions${query({ tag: filters.tag, archived: filters.archived, page: filters.page, per_page: perPage })}`,
      { auth: true },
    ),
  question: (id: number) => request<Question>('GET', `/questions/${seg(id)}`, { auth: true }),
  createQuestion: (code: string, body: QuestionInput) =>
    request<Question>('POST', `/courses/${seg(code)}/questions`, { body, auth: true }),
  updateQuestion: (id: number, body: QuestionInput) => request<Question>('PATCH', `/questions/${seg(id)}`, { body, auth: true }),
  archiveQuestion: (id: number, archived: boolean) =>
    request<Question>('PUT', `/questions/${seg(id)}/archived`, { body: { archived }, auth: true }),

  // Quizzes of an offering
  list: (offeringId: number) => request<Quiz[]>('GET', `/offerings/${seg(offeringId)}/quizzes`, { auth: true }),
  get: (id: number) => request<Quiz>('GET', `/quizzes/${seg(id)}`, { auth: true }),
  create: (offeringId: number, body: QuizInput) =>
    request<Quiz>('POST', `/offerings/${seg(offeringId)}/quizzes`, { body, auth: true }),
  update: (id: number, body: QuizInput) => request<Quiz>('PATCH', `/quizzes/${seg(id)}`, { body, auth: true }),
  remove: (id: number) => request<null>('DELETE', `/quizzes/${seg(id)}`, { auth: true }),
  extensions: (id: number) => request<QuizExtension[]>('GET', `/quizzes/${seg(id)}/extensions`, { auth: true }),
  grantExtension: (id: number, enrolmentId: number, body: QuizExtensionInput) =>
    request<QuizExtension>('PUT', `/quizzes/${seg(id)}/extensions/${seg(enrolmentId)}`, { body, auth: true }),
  revokeExtension: (id: number, enrolmentId: number) =>
    request<null>('DELETE', `/quizzes/${seg(id)}/extensions/${seg(enrolmentId)}`, { auth: true }),

  // Attempts
  attempts: (id: number, page: number, perPage: number) =>
    request<Page<StaffAttempt>>('GET', `/quizzes/${seg(id)}/attempts${query({ page, per_page: perPage })}`, { auth: true }),
  /** Starts an attempt, or resumes the one still open. */
  start: (id: number) => request<Attempt>('POST', `/quizzes/${seg(id)}/attempts`, { auth: true }),
  attempt: (id: number) => request<Attempt>('GET', `/quiz-attempts/${seg(id)}`, { auth: true }),
  answer: (id: number, position: number, response: string | null) =>
    request<Attempt>('PUT', `/quiz-attempts/${seg(id)}/answers/${seg(position)}`, { body: { response }, auth: true }),
  submit: (id: number) => request<Attempt>('POST', `/quiz-attempts/${seg(id)}/submit`, { auth: true }),
  overridePoints: (id: number, position: number, points: number, reason: string) =>
    request<Attempt>('PUT', `/quiz-attempts/${seg(id)}/answers/${seg(position)}/points`, {
      body: { points, reason: reason.trim() },
      auth: true,
    }),

  // Final grades (staff: everyone; a coordinator: their institution's people)
  finalGrades: (offeringId: number) =>
    request<PersonFinalGrade[]>('GET', `/offerings/${seg(offeringId)}/final-grades`, { auth: true }),
  finalGradesCsv: (offeringId: number) => download(`/offerings/${seg(offeringId)}/final-grades.csv`),
};
