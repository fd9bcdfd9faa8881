-- An instructor asks for a draft to be reviewed; an administrator publishes it or sends
-- it back with a note, which stays visible to its authors until the next request.
ALTER TABLE courses ADD COLUMN review_requested_at TIMESTAMP;
ALTER TABLE courses ADD COLUMN review_note TEXT;
