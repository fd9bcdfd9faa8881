DROP TABLE mail_attachments;
DROP TABLE jobs;
