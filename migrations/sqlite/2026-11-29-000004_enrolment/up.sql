-- Whether a fee must be settled before a seat is confirmed.
ALTER TABLE offerings ADD COLUMN payment_required BOOLEAN NOT NULL DEFAULT 0;

-- One person's application to, and place in, one offering.
CREATE TABLE enrolments (
    id INTEGER PRIMARY KEY,
    -- RESTRICT: an offering with applications is never silently deleted.
    offering_id BIGINT NOT NULL REFERENCES offerings (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    -- The applicant's institution when they applied; coordinators and quotas use it.
    institution_id BIGINT REFERENCES institutions (id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('pending_endorsement', 'pending_approval', 'waitlisted',
        'enrolled', 'rejected', 'withdrawn', 'completed', 'failed')),
    -- First come, first served: the moment the person joined the waitlist.
    waitlisted_at TIMESTAMP,
    fee BIGINT NOT NULL CHECK (fee >= 0),
    currency TEXT NOT NULL,
    payment_status TEXT NOT NULL DEFAULT 'unpaid'
        CHECK (payment_status IN ('unpaid', 'paid', 'scholarship', 'waived')),
    payment_reference TEXT,
    nominated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    last_activity_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX enrolments_offering_user_key ON enrolments (offering_id, user_id);
CREATE INDEX enrolments_offering_state_idx ON enrolments (offering_id, state, waitlisted_at);
CREATE INDEX enrolments_user_idx ON enrolments (user_id, created_at);
CREATE INDEX enrolments_institution_idx ON enrolments (institution_id, state);

-- Append-only history of every state change.
CREATE TABLE enrolment_events (
    id INTEGER PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX enrolment_events_enrolment_idx ON enrolment_events (enrolment_id, id);

CREATE TRIGGER enrolment_events_no_update BEFORE UPDATE ON enrolment_events
    -- Only the actor link may be cleared, when that account is deleted.
    WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
        AND NEW.enrolment_id = OLD.enrolment_id AND NEW.to_state = OLD.to_state
        AND NEW.from_state IS OLD.from_state AND NEW.reason IS OLD.reason AND NEW.at = OLD.at)
BEGIN
    SELECT RAISE(ABORT, 'enrolment history is append-only');
END;
CREATE TRIGGER enrolment_events_no_delete BEFORE DELETE ON enrolment_events
BEGIN
    SELECT RAISE(ABORT, 'enrolment history is append-only');
END;

-- Every payment status staff record, kept: the enrolment holds the latest.
CREATE TABLE enrolment_payments (
    id INTEGER PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    status TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'scholarship', 'waived')),
    reference TEXT,
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX enrolment_payments_enrolment_idx ON enrolment_payments (enrolment_id, id);
CREATE TRIGGER enrolment_payments_no_update BEFORE UPDATE ON enrolment_payments
    -- Only the recorder link may be cleared, when that account is deleted.
    WHEN NOT (NEW.recorded_by IS NULL AND OLD.recorded_by IS NOT NULL
        AND NEW.enrolment_id = OLD.enrolment_id AND NEW.status = OLD.status
        AND NEW.reference IS OLD.reference AND NEW.recorded_at = OLD.recorded_at)
BEGIN
    SELECT RAISE(ABORT, 'payment records are append-only');
END;
CREATE TRIGGER enrolment_payments_no_delete BEFORE DELETE ON enrolment_payments
BEGIN
    SELECT RAISE(ABORT, 'payment records are append-only');
END;

CREATE TABLE enrolment_documents (
    id INTEGER PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('application_letter', 'cv', 'transcript')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX enrolment_documents_kind_key ON enrolment_documents (enrolment_id, kind);

CREATE TABLE lesson_completions (
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    lesson_id BIGINT NOT NULL REFERENCES lessons (id) ON DELETE CASCADE,
    completed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (enrolment_id, lesson_id)
);

CREATE TABLE attendance (
    session_id BIGINT NOT NULL REFERENCES offering_sessions (id) ON DELETE CASCADE,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'absent', 'excused')),
    recorded_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (session_id, enrolment_id)
);
CREATE INDEX attendance_enrolment_idx ON attendance (enrolment_id);
