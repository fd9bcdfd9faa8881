/** The calls of assignments, work handed in, grading and the gradebook. */
import { download, query, request, seg, upload, type UploadProgress } from '../api';
import type { Page, Schemas } from '../types';
import { feedbackFileForm, submissionForm } from './files';
import type { GradebookFilters } from './gradebook';
import type { QueueFilters } from './grading';
import type {
  Assignment,
  AssignmentInput,
  Extension,
  FeedbackFile,
  FinalGradeRecord,
  Grade,
  GradeImportReport,
  GradeInput,
  GradeRecord,
  Gradebook,
  MyGrades,
  QueueItem,
  RubricInput,
  Submission,
} from './types';

/** `POST /assignments/{id}/grades/import` with the dry-run switch always stated. */
export function gradeImportPath(assignmentId: number, options: { dryRun: boolean; reason: string }): string {
  const params = new URLSearchParams({ dry_run: String(options.dryRun) });
  const reason = options.reason.trim();
  if (reason) params.set('reason', reason);
  return `/assignments/${seg(assignmentId)}/grades/import?${params}`;
}

export const assessmentApi = {
  // Assignments
  list: (offeringId: number) => request<Assignment[]>('GET', `/offerings/${seg(offeringId)}/assignments`, { auth: true }),
  get: (id: number) => request<Assignment>('GET', `/assignments/${seg(id)}`, { auth: true }),
  create: (offeringId: number, body: AssignmentInput) =>
    request<Assignment>('POST', `/offerings/${seg(offeringId)}/assignments`, { body, auth: true }),
  update: (id: number, body: AssignmentInput) => request<Assignment>('PATCH', `/assignments/${seg(id)}`, { body, auth: true }),
  remove: (id: number) => request<null>('DELETE', `/assignments/${seg(id)}`, { auth: true }),
  putRubric: (id: number, body: RubricInput) => request<Assignment>('PUT', `/assignments/${seg(id)}/rubric`, { body, auth: true }),
  release: (id: number) => request<Assignment>('POST', `/assignments/${seg(id)}/release`, { auth: true }),

  // Extensions
  extensions: (id: number) => request<Extension[]>('GET', `/assignments/${seg(id)}/extensions`, { auth: true }),
  grantExtension: (id: number, enrolmentId: number, body: Schemas['ExtensionInput']) =>
    request<Extension>('PUT', `/assignments/${seg(id)}/extensions/${seg(enrolmentId)}`, { body, auth: true }),
  revokeExtension: (id: number, enrolmentId: number) =>
    request<null>('DELETE', `/assignments/${seg(id)}/extensions/${seg(enrolmentId)}`, { auth: true }),

  // Work handed in
  submit: (id: number, body: string, files: readonly File[], onProgress?: UploadProgress) =>
    upload<Submission>(`/assignments/${seg(id)}/submissions`, submissionForm(body, files), { onProgress }),
  submissions: (id: number, enrolmentId?: number) =>
    request<Submission[]>('GET', `/assignments/${seg(id)}/submissions${query({ enrolment_id: enrolmentId })}`, { auth: true }),
  file: (submissionId: number, fileId: number) => download(`/submissions/${seg(submissionId)}/files/${seg(fileId)}`),

  // Grading
  queue: (offeringId: number, filters: QueueFilters, perPage: number) =>
    request<Page<QueueItem>>(
      'GET',
      `/offerings/${seg(offeringId)}/grading-queue${query({ assignment_id: filters.assignment, page: filters.page, per_page: perPage })}`,
      { auth: true },
    ),
  grade: (id: number, enrolmentId: number) =>
    request<GradeRecord>('GET', `/assignments/${seg(id)}/grades/${seg(enrolmentId)}`, { auth: true }),
  putGrade: (id: number, enrolmentId: number, body: GradeInput) =>
    request<Grade>('PUT', `/assignments/${seg(id)}/grades/${seg(enrolmentId)}`, { body, auth: true }),
  /** Attaches one file to a grade's feedback; answers with every file the grade now has. */
  attachFeedbackFile: (id: number, enrolmentId: number, file: File, onProgress?: UploadProgress) =>
    upload<FeedbackFile[]>(`/assignments/${seg(id)}/grades/${seg(enrolmentId)}/files`, feedbackFileForm(file), { onProgress }),
  feedbackFile: (fileId: number) => download(`/grade-files/${seg(fileId)}`),
  removeFeedbackFile: (fileId: number) => request<null>('DELETE', `/grade-files/${seg(fileId)}`, { auth: true }),
  importGrades: (id: number, file: File, options: { dryRun: boolean; reason: string }, onProgress?: UploadProgress) =>
    upload<GradeImportReport>(gradeImportPath(id, options), file, { headers: { 'Content-Type': 'text/csv' }, onProgress }),

  // Gradebook and final grades
  gradebook: (offeringId: number, filters: GradebookFilters, perPage: number) =>
    request<Gradebook>(
      'GET',
      `/offerings/${seg(offeringId)}/gradebook${query({ q: filters.q.trim(), page: filters.page, per_page: perPage })}`,
      { auth: true },
    ),
  gradebookCsv: (offeringId: number) => download(`/offerings/${seg(offeringId)}/gradebook.csv`),
  finalGrade: (enrolmentId: number) =>
    request<FinalGradeRecord>('GET', `/enrolments/${seg(enrolmentId)}/final-grade`, { auth: true }),
  overrideFinalGrade: (enrolmentId: number, grade: number | null, reason: string) =>
    request<FinalGradeRecord>('PUT', `/enrolments/${seg(enrolmentId)}/final-grade`, {
      body: { grade, reason: reason.trim() },
      auth: true,
    }),
  myGrades: () => request<MyGrades[]>('GET', '/me/grades', { auth: true }),
};
