/**
 * Shapes of the Aula API (`/api/v1`), generated from its OpenAPI document.
 *
 * `src/lib/api/openapi.json` is the server's document (`aula openapi`); `npm run check`
 * turns it into `src/lib/api/schema.d.ts`, so a field the server drops or renames is a
 * type error wherever the interface still reads it. The modules of `src/lib` name the
 * schemas they use from here.
 */
import type { components, paths } from './api/schema';

export type Schemas = components['schemas'];

/**
 * The query parameters of `GET` on one path of the API, e.g. `QueryOf<'/api/v1/me/enrolments'>`.
 * Only for operations whose `operationId` is unique in the document: the generated
 * `operations` merge those that share one.
 */
export type QueryOf<P extends keyof paths> = paths[P] extends { get: { parameters: { query?: infer Q } } }
  ? NonNullable<Q>
  : never;

/**
 * A closed vocabulary of the API as a list the interface can walk, checked against its
 * generated union: a value the server does not know, or one it added and the list
 * lacks, is a type error (`missing` names it).
 */
export function everyOf<T extends string>() {
  return <const L extends readonly T[]>(
    list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => list;
}

export type Locale = Schemas['Locale'];

export type Role = Schemas['Role'];
export const ROLES = everyOf<Role>()(['admin', 'coordinator', 'instructor', 'student']);

export type UserStatus = Schemas['UserStatus'];
export type Institution = Schemas['Institution'];
export type User = Schemas['User'];

/** One page of a list; every paged answer (`Page_User`, `Page_Enrolment`, …) has this shape. */
export type Page<T> = Omit<Schemas['Page_User'], 'items'> & { items: T[] };

export type TokenResponse = Schemas['SignIn'];
export type RegisterRequest = Schemas['Registration'];
export type ProfileUpdate = Schemas['ProfileUpdate'];
export type UserUpdate = Schemas['AdminUserUpdate'];
export type PasswordChange = Schemas['PasswordChange'];
export type AccountInput = Schemas['AccountInput'];
export type MailPreferences = Schemas['MailPreferences'];
