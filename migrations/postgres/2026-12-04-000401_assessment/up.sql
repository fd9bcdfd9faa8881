-- Assignments of an offering: what learners hand in and how it is graded.
CREATE TABLE assignments (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- RESTRICT: an offering with coursework is never silently deleted.
    offering_id BIGINT NOT NULL REFERENCES offerings (id) ON DELETE RESTRICT,
    title TEXT NOT NULL,
    -- Markdown, rendered sanitised.
    instructions TEXT NOT NULL DEFAULT '',
    opens_at TIMESTAMP,
    due_at TIMESTAMP NOT NULL,
    late_policy TEXT NOT NULL CHECK (late_policy IN ('accept', 'penalty', 'refuse')),
    late_penalty_percent INTEGER NOT NULL DEFAULT 0 CHECK (late_penalty_percent BETWEEN 0 AND 100),
    -- No submission is taken after it (for `refuse`, the due date when unset).
    cutoff_at TIMESTAMP,
    max_score INTEGER NOT NULL CHECK (max_score BETWEEN 1 AND 1000),
    -- Share of the final grade; an offering's weights add up to at most 100.
    weight INTEGER NOT NULL CHECK (weight BETWEEN 0 AND 100),
    missing_work TEXT NOT NULL CHECK (missing_work IN ('zero', 'excluded')),
    accepts_text BOOLEAN NOT NULL,
    accepts_files BOOLEAN NOT NULL,
    max_files INTEGER NOT NULL CHECK (max_files BETWEEN 0 AND 10),
    max_file_bytes BIGINT NOT NULL CHECK (max_file_bytes > 0),
    -- Space-separated file kinds (pdf, png, jpeg, webp, docx, xlsx, pptx, odt, ods, zip).
    allowed_types TEXT NOT NULL,
    grades_released_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX assignments_offering_idx ON assignments (offering_id, due_at);

CREATE TABLE rubric_criteria (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rubric_criteria_assignment_idx ON rubric_criteria (assignment_id, position);

CREATE TABLE rubric_levels (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    criterion_id BIGINT NOT NULL REFERENCES rubric_criteria (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    points DOUBLE PRECISION NOT NULL CHECK (points >= 0)
);
CREATE INDEX rubric_levels_criterion_idx ON rubric_levels (criterion_id, position);

-- A later due date for one person, with the reason.
CREATE TABLE assignment_extensions (
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE CASCADE,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    due_at TIMESTAMP NOT NULL,
    reason TEXT NOT NULL,
    granted_by BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    granted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (assignment_id, enrolment_id)
);

-- Every attempt is kept: resubmitting adds one.
CREATE TABLE submissions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE RESTRICT,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    attempt INTEGER NOT NULL CHECK (attempt >= 1),
    body TEXT,
    submitted_at TIMESTAMP NOT NULL,
    late BOOLEAN NOT NULL,
    penalty_percent INTEGER NOT NULL CHECK (penalty_percent BETWEEN 0 AND 100)
);
CREATE UNIQUE INDEX submissions_attempt_key ON submissions (assignment_id, enrolment_id, attempt);
CREATE INDEX submissions_enrolment_idx ON submissions (enrolment_id);
CREATE FUNCTION submissions_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'submissions are kept as handed in';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER submissions_no_change BEFORE UPDATE OR DELETE ON submissions
    FOR EACH ROW EXECUTE FUNCTION submissions_append_only();

CREATE TABLE submission_files (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE RESTRICT,
    position INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL
);
CREATE INDEX submission_files_submission_idx ON submission_files (submission_id, position);

-- The current grade of one person for one assignment; `grade_events` keeps them all.
CREATE TABLE grades (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE RESTRICT,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    -- The attempt graded; none for work marked without a submission.
    submission_id BIGINT REFERENCES submissions (id) ON DELETE RESTRICT,
    -- Points before the late penalty.
    score DOUBLE PRECISION NOT NULL CHECK (score >= 0),
    penalty_percent INTEGER NOT NULL CHECK (penalty_percent BETWEEN 0 AND 100),
    feedback TEXT NOT NULL DEFAULT '',
    graded_by BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    graded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX grades_assignment_enrolment_key ON grades (assignment_id, enrolment_id);
CREATE INDEX grades_enrolment_idx ON grades (enrolment_id);

-- The rubric level chosen per criterion for the current grade.
CREATE TABLE grade_levels (
    grade_id BIGINT NOT NULL REFERENCES grades (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES rubric_criteria (id) ON DELETE RESTRICT,
    level_id BIGINT NOT NULL REFERENCES rubric_levels (id) ON DELETE RESTRICT,
    PRIMARY KEY (grade_id, criterion_id)
);

-- Every grade given or changed: who, when, why. Append-only.
CREATE TABLE grade_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE RESTRICT,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    submission_id BIGINT REFERENCES submissions (id) ON DELETE RESTRICT,
    score DOUBLE PRECISION NOT NULL,
    penalty_percent INTEGER NOT NULL,
    feedback TEXT NOT NULL,
    -- The rubric levels chosen, as space-separated level ids.
    levels TEXT NOT NULL DEFAULT '',
    reason TEXT,
    actor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX grade_events_item_idx ON grade_events (assignment_id, enrolment_id, id);
CREATE FUNCTION grade_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'grade history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER grade_events_no_change BEFORE UPDATE OR DELETE ON grade_events
    FOR EACH ROW EXECUTE FUNCTION grade_events_append_only();

-- Manual overrides of a final grade; the latest row is in force (a null grade lifts
-- the override). Append-only.
CREATE TABLE final_grade_overrides (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    grade DOUBLE PRECISION CHECK (grade BETWEEN 0 AND 100),
    reason TEXT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX final_grade_overrides_enrolment_idx ON final_grade_overrides (enrolment_id, id);
CREATE FUNCTION final_grade_overrides_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'final grade overrides are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER final_grade_overrides_no_change BEFORE UPDATE OR DELETE ON final_grade_overrides
    FOR EACH ROW EXECUTE FUNCTION final_grade_overrides_append_only();
