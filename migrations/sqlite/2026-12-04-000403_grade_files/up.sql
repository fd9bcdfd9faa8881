-- Files staff attach to their feedback on one person's work (an annotated PDF, a
-- marked-up spreadsheet). The learner reads them once the grades are released.
CREATE TABLE grade_files (
    id INTEGER PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES assignments (id) ON DELETE RESTRICT,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX grade_files_item_idx ON grade_files (assignment_id, enrolment_id, id);
