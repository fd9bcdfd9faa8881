-- A person's own time zone (IANA id; none means the browser's) and the optional mails
-- they accept. Account mails (verification, password) are always sent.
ALTER TABLE users ADD COLUMN time_zone TEXT;
ALTER TABLE users ADD COLUMN mail_enrolment_updates BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN mail_endorsement_requests BOOLEAN NOT NULL DEFAULT 1;
