-- Texts of modules, lessons and sessions in languages other than the course's primary
-- one (whose text stays in the row itself), like course_translations.
CREATE TABLE module_translations (
    module_id BIGINT NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    title TEXT NOT NULL,
    PRIMARY KEY (module_id, locale)
);

CREATE TABLE lesson_translations (
    lesson_id BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    title TEXT NOT NULL,
    -- Markdown of a text lesson; NULL falls back to the primary body.
    body_md TEXT,
    PRIMARY KEY (lesson_id, locale)
);

CREATE TABLE session_translations (
    session_id BIGINT NOT NULL REFERENCES offering_sessions (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    title TEXT NOT NULL,
    PRIMARY KEY (session_id, locale)
);
