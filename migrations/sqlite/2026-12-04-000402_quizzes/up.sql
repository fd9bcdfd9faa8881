-- The question bank of a course. Text lives in `question_texts` and
-- `question_choices`, one row per language.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    course_id BIGINT NOT NULL REFERENCES courses (id) ON DELETE RESTRICT,
    kind TEXT NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'true_false',
        'short_answer', 'numeric')),
    points DOUBLE PRECISION NOT NULL CHECK (points > 0),
    -- Space-separated lower-case tags that random draws pick from.
    tags TEXT NOT NULL DEFAULT '',
    -- Choice kinds: space-separated positions of the right choices; true_false: `true`
    -- or `false`.
    correct TEXT NOT NULL DEFAULT '',
    -- Multiple choice: how a partly right answer scores.
    partial_credit TEXT NOT NULL DEFAULT 'all_or_nothing'
        CHECK (partial_credit IN ('all_or_nothing', 'proportional', 'right_minus_wrong')),
    -- Short answer: whether accents are ignored when comparing (case always is).
    accent_insensitive BOOLEAN NOT NULL DEFAULT 1,
    numeric_answer DOUBLE PRECISION,
    numeric_tolerance DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (numeric_tolerance >= 0),
    -- A retired question stays in the attempts that drew it; new quizzes cannot.
    archived_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX questions_course_idx ON questions (course_id, id);

CREATE TABLE question_texts (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    prompt TEXT NOT NULL,
    -- Shown with the right answer once the quiz is closed for the learner.
    explanation TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (question_id, locale)
);

CREATE TABLE question_choices (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (question_id, locale, position)
);

-- Short answer: every accepted answer, as written by the author.
CREATE TABLE question_answers (
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    PRIMARY KEY (question_id, answer)
);

CREATE TABLE quizzes (
    id INTEGER PRIMARY KEY,
    offering_id BIGINT NOT NULL REFERENCES offerings (id) ON DELETE RESTRICT,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    opens_at TIMESTAMP,
    closes_at TIMESTAMP NOT NULL,
    -- Minutes from the start of an attempt; none: until the quiz closes.
    time_limit_minutes INTEGER CHECK (time_limit_minutes BETWEEN 1 AND 1440),
    max_attempts INTEGER NOT NULL CHECK (max_attempts BETWEEN 1 AND 20),
    scoring TEXT NOT NULL CHECK (scoring IN ('highest', 'last', 'average')),
    shuffle_choices BOOLEAN NOT NULL,
    max_score INTEGER NOT NULL CHECK (max_score BETWEEN 1 AND 1000),
    weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),
    missing_work TEXT NOT NULL CHECK (missing_work IN ('zero', 'excluded')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX quizzes_offering_idx ON quizzes (offering_id, closes_at);

-- What a quiz draws: fixed questions (question_id) or `count` random ones of a tag.
CREATE TABLE quiz_parts (
    id INTEGER PRIMARY KEY,
    quiz_id BIGINT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id BIGINT REFERENCES questions (id) ON DELETE RESTRICT,
    tag TEXT,
    count INTEGER NOT NULL DEFAULT 1 CHECK (count BETWEEN 1 AND 100),
    CHECK ((question_id IS NULL) <> (tag IS NULL))
);
CREATE INDEX quiz_parts_quiz_idx ON quiz_parts (quiz_id, position);

CREATE TABLE quiz_attempts (
    id INTEGER PRIMARY KEY,
    quiz_id BIGINT NOT NULL REFERENCES quizzes (id) ON DELETE RESTRICT,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    number INTEGER NOT NULL CHECK (number >= 1),
    started_at TIMESTAMP NOT NULL,
    -- No answer is taken after it (the time limit, or the quiz's close).
    deadline_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    -- Points scored out of `max_points`, once submitted (or its deadline passed).
    points DOUBLE PRECISION,
    max_points DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX quiz_attempts_number_key ON quiz_attempts (quiz_id, enrolment_id, number);
CREATE INDEX quiz_attempts_enrolment_idx ON quiz_attempts (enrolment_id);

-- The questions an attempt drew, in order, with its own order of the choices.
CREATE TABLE attempt_questions (
    attempt_id BIGINT NOT NULL REFERENCES quiz_attempts (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions (id) ON DELETE RESTRICT,
    -- Space-separated choice positions as shown to the learner.
    choice_order TEXT NOT NULL DEFAULT '',
    -- The answer as given: choice positions, `true`/`false`, text or a number.
    response TEXT,
    answered_at TIMESTAMP,
    -- Scored at submission.
    points DOUBLE PRECISION,
    -- An instructor's points for a short answer, with who and why.
    override_points DOUBLE PRECISION,
    override_by BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    override_reason TEXT,
    PRIMARY KEY (attempt_id, position)
);

-- One more attempt, or a later close, for one person, with the reason.
CREATE TABLE quiz_extensions (
    quiz_id BIGINT NOT NULL REFERENCES quizzes (id) ON DELETE CASCADE,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    extra_attempts INTEGER NOT NULL DEFAULT 0 CHECK (extra_attempts BETWEEN 0 AND 20),
    closes_at TIMESTAMP,
    reason TEXT NOT NULL,
    granted_by BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (quiz_id, enrolment_id)
);
