ALTER TABLE users DROP COLUMN mail_endorsement_requests;
ALTER TABLE users DROP COLUMN mail_enrolment_updates;
ALTER TABLE users DROP COLUMN time_zone;
