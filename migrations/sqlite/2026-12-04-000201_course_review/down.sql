ALTER TABLE courses DROP COLUMN review_note;
ALTER TABLE courses DROP COLUMN review_requested_at;
