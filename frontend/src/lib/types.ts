/** Shapes of the Aula API (`/api/v1`). */

export type Locale = 'es' | 'en' | 'pt' | 'fr';

export const ROLES = ['admin', 'coordinator', 'instructor', 'student'] as const;
export type Role = (typeof ROLES)[number];

export type UserStatus = 'active' | 'disabled';

export interface Institution {
  id: number;
  name: string;
  acronym: string;
  country: string;
  membership_category: string;
}

export interface User {
  id: number;
  email: string;
  full_name: string;
  locale: Locale;
  institution: Institution | null;
  roles: Role[];
  status: UserStatus;
  email_verified: boolean;
  created_at: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  user: User;
}

export interface RegisterRequest {
  email: string;
  password: string;
  full_name: string;
  locale: Locale;
  institution_id: number | null;
}

export interface ProfileUpdate {
  full_name?: string;
  locale?: Locale;
}

export interface UserUpdate {
  roles?: Role[];
  status?: UserStatus;
}
