ALTER TABLE enrolment_events
    DROP CONSTRAINT enrolment_events_from_state_check,
    DROP CONSTRAINT enrolment_events_to_state_check;
