CREATE TABLE institutions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    acronym TEXT NOT NULL,
    country TEXT NOT NULL CHECK (length(country) = 2),
    membership_category TEXT NOT NULL
        CHECK (membership_category IN ('titular', 'asociado', 'adherente', 'vinculado', 'non_member')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX institutions_acronym_key ON institutions (lower(acronym));

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    full_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    institution_id BIGINT REFERENCES institutions (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    email_verified_at TIMESTAMP,
    token_version INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Emails are stored lower-cased; the index keeps them unique case-insensitively.
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_institution_idx ON users (institution_id);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'instructor', 'coordinator', 'student')),
    PRIMARY KEY (user_id, role)
);

CREATE TABLE refresh_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE one_time_tokens (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),
    token_hash TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX one_time_tokens_hash_key ON one_time_tokens (token_hash);
CREATE INDEX one_time_tokens_user_idx ON one_time_tokens (user_id);

-- Fixed-window counters shared by every instance, for sign-in and reset throttling.
CREATE TABLE rate_limits (
    bucket TEXT PRIMARY KEY,
    window_started_at TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);

-- Secrets generated on first start (e.g. the JWT signing key) when none is configured.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
