DROP TABLE attendance;
DROP TABLE lesson_completions;
DROP TABLE enrolment_documents;
DROP TABLE enrolment_payments;
DROP FUNCTION enrolment_payments_append_only;
DROP TABLE enrolment_events;
DROP FUNCTION enrolment_events_append_only;
DROP TABLE enrolments;
ALTER TABLE offerings DROP COLUMN payment_required;
