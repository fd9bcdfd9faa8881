-- The history's states come from the same vocabulary as an enrolment's state.
ALTER TABLE enrolment_events
    ADD CONSTRAINT enrolment_events_from_state_check CHECK (from_state IN ('pending_endorsement', 'pending_approval', 'waitlisted', 'enrolled', 'rejected', 'withdrawn', 'completed', 'failed')),
    ADD CONSTRAINT enrolment_events_to_state_check CHECK (to_state IN ('pending_endorsement', 'pending_approval', 'waitlisted', 'enrolled', 'rejected', 'withdrawn', 'completed', 'failed'));
