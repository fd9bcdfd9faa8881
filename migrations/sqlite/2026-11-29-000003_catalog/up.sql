-- Topic areas of the catalog; administrators add more.
CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL,
    name_es TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_pt TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX topics_slug_key ON topics (slug);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    topic_id BIGINT NOT NULL REFERENCES topics (id),
    programme_type TEXT NOT NULL CHECK (programme_type IN ('course', 'workshop', 'diploma', 'seminar')),
    modality TEXT NOT NULL CHECK (modality IN ('online', 'in_person', 'blended')),
    level TEXT NOT NULL CHECK (level IN ('introductory', 'intermediate', 'advanced')),
    hours INTEGER NOT NULL CHECK (hours > 0),
    primary_language TEXT NOT NULL CHECK (primary_language IN ('es', 'en', 'pt', 'fr')),
    status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
    -- Code, titles and summaries of every translation, lower-cased without diacritics.
    search_text TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX courses_code_key ON courses (code);
CREATE INDEX courses_topic_idx ON courses (topic_id);
CREATE INDEX courses_status_idx ON courses (status);

CREATE TABLE course_translations (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description_md TEXT NOT NULL,
    -- One learning outcome per line.
    learning_outcomes TEXT NOT NULL,
    PRIMARY KEY (course_id, locale)
);

CREATE TABLE course_languages (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    PRIMARY KEY (course_id, locale)
);
CREATE INDEX course_languages_locale_idx ON course_languages (locale);

CREATE TABLE course_prerequisites (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    prerequisite_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, prerequisite_id),
    CHECK (course_id <> prerequisite_id)
);

CREATE TABLE course_instructors (
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_instructors_user_idx ON course_instructors (user_id);

-- A cohort of a course. Dates are ISO 8601 (YYYY-MM-DD); timestamps are UTC.
CREATE TABLE offerings (
    id INTEGER PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    enrolment_opens_at TIMESTAMP NOT NULL,
    enrolment_closes_at TIMESTAMP NOT NULL,
    time_zone TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    seats_taken INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    admission_policy TEXT NOT NULL CHECK (admission_policy IN ('open', 'approval', 'institution_endorsed')),
    institution_quota INTEGER CHECK (institution_quota > 0),
    fee_member BIGINT NOT NULL DEFAULT 0 CHECK (fee_member >= 0),
    fee_non_member BIGINT NOT NULL DEFAULT 0 CHECK (fee_non_member >= 0),
    currency TEXT NOT NULL,
    venue TEXT,
    online_link TEXT,
    attendance_threshold INTEGER NOT NULL DEFAULT 70 CHECK (attendance_threshold BETWEEN 0 AND 100),
    pass_mark INTEGER NOT NULL DEFAULT 70 CHECK (pass_mark BETWEEN 0 AND 100),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (end_date >= start_date),
    CHECK (enrolment_closes_at > enrolment_opens_at)
);
CREATE INDEX offerings_course_idx ON offerings (course_id, start_date);

CREATE TABLE offering_sessions (
    id INTEGER PRIMARY KEY,
    offering_id BIGINT NOT NULL REFERENCES offerings (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    place TEXT,
    link TEXT,
    CHECK (ends_at > starts_at)
);
CREATE INDEX offering_sessions_offering_idx ON offering_sessions (offering_id, starts_at);

CREATE TABLE course_modules (
    id INTEGER PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX course_modules_course_idx ON course_modules (course_id, position);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY,
    module_id BIGINT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'video', 'file', 'link')),
    body_md TEXT,
    url TEXT,
    -- An uploaded document: its key in the file store, name, sniffed type and size.
    file_key TEXT,
    file_name TEXT,
    file_type TEXT,
    file_size BIGINT,
    required BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX lessons_module_idx ON lessons (module_id, position);

INSERT INTO topics (slug, name_es, name_en, name_pt, name_fr, created_at) VALUES
    ('pensions', 'Pensiones', 'Pensions', 'Previdência', 'Retraites', CURRENT_TIMESTAMP),
    ('health_insurance', 'Seguro de salud', 'Health insurance', 'Seguro de saúde', 'Assurance maladie', CURRENT_TIMESTAMP),
    ('occupational_risks', 'Riesgos del trabajo', 'Occupational risks', 'Riscos ocupacionais', 'Risques professionnels', CURRENT_TIMESTAMP),
    ('actuarial_studies', 'Estudios actuariales', 'Actuarial studies', 'Estudos atuariais', 'Études actuarielles', CURRENT_TIMESTAMP),
    ('social_protection', 'Protección social', 'Social protection', 'Proteção social', 'Protection sociale', CURRENT_TIMESTAMP),
    ('administration', 'Administración de la seguridad social', 'Social security administration', 'Administração da seguridade social', 'Administration de la sécurité sociale', CURRENT_TIMESTAMP);
