/**
 * Shapes of the course catalog API (`/api/v1/courses`, `/offerings`, `/topics`)
 * and the catalog search as it appears in the page's URL.
 */
import type { Locale } from './types';
import { LOCALES } from './i18n/negotiate';

export const PROGRAMME_TYPES = ['course', 'workshop', 'diploma', 'seminar'] as const;
export type ProgrammeType = (typeof PROGRAMME_TYPES)[number];

export const MODALITIES = ['online', 'in_person', 'blended'] as const;
export type Modality = (typeof MODALITIES)[number];

export const LEVELS = ['introductory', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export const ADMISSION_POLICIES = ['open', 'approval', 'institution_endorsed'] as const;
export type AdmissionPolicy = (typeof ADMISSION_POLICIES)[number];

export const LESSON_KINDS = ['text', 'video', 'file', 'link'] as const;
export type LessonKind = (typeof LESSON_KINDS)[number];

export interface Topic {
  id: number;
  slug: string;
  /** In the reader's language. */
  name: string;
}

/** The soonest offering of a course that has not ended, as the catalog lists it. */
export interface NextOffering {
  id: number;
  start_date: string;
  end_date: string;
  seats_left: number;
  enrolment_open: boolean;
  admission_policy: AdmissionPolicy;
}

/** One card of the catalog. */
export interface CourseSummary {
  id: number;
  code: string;
  title: string;
  summary: string;
  /** The language `title` and `summary` are in. */
  locale: Locale;
  /** Languages the course text exists in. */
  available_locales: Locale[];
  topic: Topic;
  programme_type: ProgrammeType;
  modality: Modality;
  level: Level;
  hours: number;
  languages: Locale[];
  status: CourseStatus;
  next_offering: NextOffering | null;
}

export interface PersonRef {
  id: number;
  full_name: string;
}

export interface LessonOutline {
  id: number;
  position: number;
  title: string;
  kind: LessonKind;
  required: boolean;
}

export interface CourseModule {
  id: number;
  position: number;
  title: string;
  lessons: LessonOutline[];
}

/** A course page: the card's facts and the full text, in the served `locale`. */
export interface Course extends Omit<CourseSummary, 'next_offering'> {
  primary_language: Locale;
  description_html: string;
  /** The Markdown source; sent to the course's editors only. */
  description_md?: string;
  learning_outcomes: string[];
  /** Codes of the courses to take first. */
  prerequisites: string[];
  instructors: PersonRef[];
  created_at: string;
  updated_at: string;
}

/** A course's text in one language, as its editors write it. */
export interface Translation {
  title: string;
  summary: string;
  description_md: string;
  learning_outcomes: string[];
}

/** A saved translation, with the server's rendering of its description. */
export interface SavedTranslation extends Translation {
  description_html: string;
}

export interface CourseInput {
  code?: string;
  topic?: string;
  programme_type?: ProgrammeType;
  modality?: Modality;
  level?: Level;
  hours?: number;
  primary_language?: Locale;
  languages?: Locale[];
  prerequisites?: string[];
  instructor_ids?: number[];
  translation?: Translation;
}

export interface OfferingSession {
  id: number;
  offering_id: number;
  title: string;
  starts_at: string;
  ends_at: string;
  place: string | null;
  link: string | null;
}

export interface Offering {
  id: number;
  course_code: string;
  start_date: string;
  end_date: string;
  enrolment_opens_at: string;
  enrolment_closes_at: string;
  time_zone: string;
  /** Whether now is inside the enrolment window. */
  enrolment_open: boolean;
  capacity: number;
  seats_taken: number;
  seats_left: number;
  admission_policy: AdmissionPolicy;
  institution_quota: number | null;
  /** In minor units of `currency`; 0 is free. */
  fee_member: number;
  fee_non_member: number;
  currency: string;
  /** Staff must record the fee as settled before admitting (when it is above zero). */
  payment_required?: boolean;
  venue: string | null;
  online_link: string | null;
  attendance_threshold: number;
  pass_mark: number;
  /** Only in the single-offering view. */
  sessions?: OfferingSession[];
}

export interface LessonFile {
  name: string;
  content_type: string;
  size: number;
}

/** A lesson with its content (enrolled learners, the course's instructors, admins). */
/** An offering as an editor sends it; an edit sends only what changes. */
export interface OfferingInput {
  start_date?: string;
  end_date?: string;
  /** RFC 3339 instants. */
  enrolment_opens_at?: string;
  enrolment_closes_at?: string;
  time_zone?: string;
  capacity?: number;
  admission_policy?: AdmissionPolicy;
  /** 0 removes the quota. */
  institution_quota?: number;
  fee_member?: number;
  fee_non_member?: number;
  currency?: string;
  payment_required?: boolean;
  /** An empty string removes it. */
  venue?: string;
  online_link?: string;
  attendance_threshold?: number;
  pass_mark?: number;
}

export interface SessionInput {
  title: string;
  starts_at: string;
  ends_at: string;
  place?: string | null;
  link?: string | null;
}

/** Currencies the server accepts for fees (ISO 4217). */
export const CURRENCIES = [
  'USD', 'EUR', 'CAD', 'MXN', 'GTQ', 'HNL', 'NIO', 'CRC', 'PAB', 'BZD', 'DOP', 'HTG', 'CUP', 'JMD', 'TTD', 'BBD',
  'BSD', 'XCD', 'COP', 'VES', 'PEN', 'BOB', 'CLP', 'ARS', 'UYU', 'PYG', 'BRL', 'GYD', 'SRD', 'CHF', 'GBP',
] as const;

export interface Lesson extends LessonOutline {
  module_id: number;
  /** `text` lessons: the body rendered from Markdown and sanitised. */
  body_html: string | null;
  /** `text` lessons: the Markdown source, when the server sends it to editors. */
  body_md?: string | null;
  url: string | null;
  /** The uploaded document of a `file` lesson. */
  file: LessonFile | null;
}

export interface ModuleInput {
  title: string;
}

export interface LessonInput {
  title?: string;
  kind?: LessonKind;
  body_md?: string | null;
  url?: string | null;
  required?: boolean;
}

// ---------------------------------------------------------------------------
// The catalog search, as it appears in `/courses?…`

export const CATALOG_PER_PAGE = 12;

/** Orders the catalog offers; the server's default is by title. */
export const SORTS = ['title', 'start', 'newest', 'code'] as const;
export type Sort = (typeof SORTS)[number];

export interface CatalogFilters {
  q: string;
  topic: string;
  modality: Modality | '';
  language: Locale | '';
  type: ProgrammeType | '';
  open_now: boolean;
  sort: Sort;
  page: number;
}

export const EMPTY_FILTERS: CatalogFilters = {
  q: '',
  topic: '',
  modality: '',
  language: '',
  type: '',
  open_now: false,
  sort: 'title',
  page: 1,
};

function oneOf<T extends string>(choices: readonly T[], value: string | null): T | '' {
  return value !== null && (choices as readonly string[]).includes(value) ? (value as T) : '';
}

/** The search in a catalog URL's query; unknown values are ignored. */
export function filtersFromQuery(query: URLSearchParams): CatalogFilters {
  const page = Number(query.get('page'));
  return {
    q: (query.get('q') ?? '').trim(),
    topic: (query.get('topic') ?? '').trim(),
    modality: oneOf(MODALITIES, query.get('modality')),
    language: oneOf(LOCALES, query.get('language')),
    type: oneOf(PROGRAMME_TYPES, query.get('type')),
    open_now: query.get('open_now') === 'true',
    sort: oneOf(SORTS, query.get('sort')) || 'title',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string (with `?`, or empty) that shares `filters`; defaults are left out. */
export function queryFromFilters(filters: CatalogFilters): string {
  const search = new URLSearchParams();
  if (filters.q.trim()) search.set('q', filters.q.trim());
  if (filters.topic) search.set('topic', filters.topic);
  if (filters.modality) search.set('modality', filters.modality);
  if (filters.language) search.set('language', filters.language);
  if (filters.type) search.set('type', filters.type);
  if (filters.open_now) search.set('open_now', 'true');
  if (filters.sort !== 'title') search.set('sort', filters.sort);
  if (filters.page > 1) search.set('page', String(filters.page));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Whether anything narrows the search (the order does not). */
export function hasFilters(filters: CatalogFilters): boolean {
  return queryFromFilters({ ...filters, sort: 'title', page: 1 }) !== '';
}
