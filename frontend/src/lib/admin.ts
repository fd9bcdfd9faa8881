/**
 * What administrators keep: member institutions and the topic areas of the catalog.
 * (User accounts are in `api.ts`, which sign-in also uses.)
 */
import { query, request, seg } from './api';
import type { Topic } from './catalog';
import { everyOf, type Institution, type Page, type QueryOf, type Schemas } from './types';

/** The CISS membership categories, and institutions outside the CISS. */
export type MembershipCategory = Schemas['MembershipCategory'];
export const MEMBERSHIP_CATEGORIES = everyOf<MembershipCategory>()([
  'titular',
  'asociado',
  'adherente',
  'vinculado',
  'non_member',
]);

export type InstitutionInput = Schemas['InstitutionInput'];
export type TopicInput = Schemas['TopicInput'];

/** A topic's slug: lower-case letters, digits and `_` (as the server checks). */
export const TOPIC_SLUG = /^[a-z0-9_]{1,60}$/;

export const adminApi = {
  institutions: (params: QueryOf<'list_institutions'>) =>
    request<Page<Institution>>('GET', `/institutions${query(params)}`),
  createInstitution: (body: InstitutionInput) =>
    request<Institution>('POST', '/institutions', { body, auth: true }),
  updateInstitution: (id: number, body: InstitutionInput) =>
    request<Institution>('PATCH', `/institutions/${seg(id)}`, { body, auth: true }),
  createTopic: (body: TopicInput) => request<Topic>('POST', '/topics', { body, auth: true }),
};
