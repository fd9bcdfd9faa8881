-- The offerings table as it was before the seats-within-capacity check.
-- SQLite cannot add a constraint to a table: it is rebuilt the documented way
-- (https://sqlite.org/lang_altertable.html#otheralter), with foreign keys off so that
-- dropping the old table neither cascades to sessions nor trips enrolments' RESTRICT;
-- every row keeps its id, so every reference still holds. Foreign keys can only be
-- switched outside a transaction, hence no surrounding one (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE offerings_rebuilt (
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
    payment_required BOOLEAN NOT NULL DEFAULT 0,
    CHECK (end_date >= start_date),
    CHECK (enrolment_closes_at > enrolment_opens_at)
);
INSERT INTO offerings_rebuilt (id, course_id, start_date, end_date, enrolment_opens_at, enrolment_closes_at, time_zone, capacity, seats_taken, admission_policy, institution_quota, fee_member, fee_non_member, currency, venue, online_link, attendance_threshold, pass_mark, created_at, updated_at, payment_required)
    SELECT id, course_id, start_date, end_date, enrolment_opens_at, enrolment_closes_at, time_zone, capacity, seats_taken, admission_policy, institution_quota, fee_member, fee_non_member, currency, venue, online_link, attendance_threshold, pass_mark, created_at, updated_at, payment_required FROM offerings;
DROP TABLE offerings;
ALTER TABLE offerings_rebuilt RENAME TO offerings;
CREATE INDEX offerings_course_idx ON offerings (course_id, start_date);
COMMIT;
PRAGMA foreign_keys = ON;
