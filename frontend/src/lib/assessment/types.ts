/**
 * The shapes and closed vocabularies of the assessment API (assignments, work handed
 * in, grades, the gradebook, quizzes), named from the generated schema.
 */
import { everyOf, type Schemas } from '../types';

export type LatePolicy = Schemas['LatePolicy'];
export const LATE_POLICIES = everyOf<LatePolicy>()(['accept', 'penalty', 'refuse']);

export type MissingWork = Schemas['MissingWork'];
export const MISSING_WORK = everyOf<MissingWork>()(['zero', 'excluded']);

export type FileKind = Schemas['FileKind'];
export const FILE_KINDS = everyOf<FileKind>()(['pdf', 'png', 'jpeg', 'webp', 'docx', 'xlsx', 'pptx', 'odt', 'ods', 'zip']);

export type CellStatus = Schemas['CellStatus'];
export const CELL_STATUSES = everyOf<CellStatus>()(['graded', 'pending', 'open', 'missing', 'excluded']);

/** What a gradebook column is: an assignment or a quiz. */
export type ItemKind = Schemas['ItemKind'];
export const ITEM_KINDS = everyOf<ItemKind>()(['assignment', 'quiz']);

export type GradeImportOutcome = Schemas['GradeImportOutcome'];
export const GRADE_IMPORT_OUTCOMES = everyOf<GradeImportOutcome>()(['graded', 'changed', 'unchanged', 'error']);

export type QuestionKind = Schemas['QuestionKind'];
export const QUESTION_KINDS = everyOf<QuestionKind>()(['single_choice', 'multiple_choice', 'true_false', 'short_answer', 'numeric']);

/** How a partly right multiple-choice answer scores. */
export type PartialCredit = Schemas['PartialCredit'];
export const PARTIAL_CREDITS = everyOf<PartialCredit>()(['all_or_nothing', 'proportional', 'right_minus_wrong']);

/** Which attempts make a quiz's score. */
export type Scoring = Schemas['Scoring'];
export const SCORINGS = everyOf<Scoring>()(['highest', 'last', 'average']);

export type Assignment = Schemas['Assignment'];
export type AssignmentInput = Schemas['AssignmentInput'];
export type GradingProgress = Schemas['GradingProgress'];
export type MySubmissions = Schemas['MySubmissions'];
export type Submission = Schemas['Submission'];
export type SubmittedFile = Schemas['SubmittedFile'];
export type RubricCriterion = Schemas['RubricCriterion'];
export type RubricLevel = Schemas['RubricLevel'];
export type RubricInput = Schemas['RubricInput'];
export type Extension = Schemas['Extension'];
export type Grade = Schemas['Grade'];
/** A file attached to a grade's feedback. */
export type FeedbackFile = Schemas['FeedbackFile'];
export type GradeInput = Schemas['GradeInput'];
export type GradeRecord = Schemas['GradeRecord'];
export type GradeEvent = Schemas['GradeEvent'];
export type GradeImportReport = Schemas['GradeImportReport'];
export type QueueItem = Schemas['QueueItem'];
export type Gradebook = Schemas['Gradebook'];
export type GradebookItem = Schemas['GradebookItem'];
export type GradebookRow = Schemas['GradebookRow'];
export type GradebookCell = Schemas['GradebookCell'];
export type FinalGradeRecord = Schemas['FinalGradeRecord'];
export type OverrideEvent = Schemas['OverrideEvent'];
export type MyGrades = Schemas['MyGrades'];

/** A person of an offering who holds a seat, as lists of people show them. */
export interface Person {
  enrolment_id: number;
  full_name: string;
  email: string;
}

// Quizzes and the question bank
export type Question = Schemas['Question'];
export type QuestionInput = Schemas['QuestionInput'];
export type QuestionText = Schemas['QuestionText'];
export type Quiz = Schemas['Quiz'];
export type QuizInput = Schemas['QuizInput'];
export type PartInput = Schemas['PartInput'];
export type MyQuiz = Schemas['MyQuiz'];
export type AttemptSummary = Schemas['AttemptSummary'];
export type Attempt = Schemas['Attempt'];
export type AttemptQuestion = Schemas['AttemptQuestion'];
export type StaffAttempt = Schemas['StaffAttempt'];
export type QuizExtension = Schemas['QuizExtension'];
export type QuizExtensionInput = Schemas['QuizExtensionInput'];
/** A final grade as a coordinator reads it. */
export type PersonFinalGrade = Schemas['PersonFinalGrade'];
