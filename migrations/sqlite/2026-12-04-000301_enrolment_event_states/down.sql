-- Back to the table without the CHECK constraints on states.
CREATE TABLE enrolment_events_rebuilt (
    id INTEGER PRIMARY KEY,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    reason TEXT,
    at TIMESTAMP NOT NULL
);
INSERT INTO enrolment_events_rebuilt (id, enrolment_id, actor_id, from_state, to_state, reason, at)
    SELECT id, enrolment_id, actor_id, from_state, to_state, reason, at FROM enrolment_events;
-- Dropping the table takes its index and triggers with it; nothing references it.
DROP TABLE enrolment_events;
ALTER TABLE enrolment_events_rebuilt RENAME TO enrolment_events;
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
