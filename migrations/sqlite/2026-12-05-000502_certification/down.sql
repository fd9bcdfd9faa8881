DROP TABLE signing_keys;
DROP TABLE certificate_events;
DROP TABLE certificate_documents;
DROP TABLE certificates;
DROP TABLE certification_settings;
DROP TABLE signatories;
