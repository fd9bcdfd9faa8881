-- A counter of changes to what the published catalog shows, bumped by triggers
-- whatever writes the tables (any instance, the command line, a copy): instances
-- keep the catalog in memory and compare this number to know when to reload it.
-- Seats taken are not counted (they change with every enrolment and would make
-- this row a point every enrolment waits on); instances re-read them on each check.
-- No row until the first change: a fresh database reads as version 0.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);

CREATE TRIGGER courses_catalog_insert AFTER INSERT ON courses
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER courses_catalog_update AFTER UPDATE ON courses
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER courses_catalog_delete AFTER DELETE ON courses
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_translations_catalog_insert AFTER INSERT ON course_translations
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_translations_catalog_update AFTER UPDATE ON course_translations
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_translations_catalog_delete AFTER DELETE ON course_translations
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_languages_catalog_insert AFTER INSERT ON course_languages
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_languages_catalog_update AFTER UPDATE ON course_languages
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_languages_catalog_delete AFTER DELETE ON course_languages
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_instructors_catalog_insert AFTER INSERT ON course_instructors
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_instructors_catalog_update AFTER UPDATE ON course_instructors
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_instructors_catalog_delete AFTER DELETE ON course_instructors
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_prerequisites_catalog_insert AFTER INSERT ON course_prerequisites
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_prerequisites_catalog_update AFTER UPDATE ON course_prerequisites
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER course_prerequisites_catalog_delete AFTER DELETE ON course_prerequisites
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER topics_catalog_insert AFTER INSERT ON topics
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER topics_catalog_update AFTER UPDATE ON topics
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER topics_catalog_delete AFTER DELETE ON topics
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER offerings_catalog_insert AFTER INSERT ON offerings
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER offerings_catalog_delete AFTER DELETE ON offerings
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER offerings_catalog_update AFTER UPDATE OF course_id, start_date, end_date, enrolment_opens_at, enrolment_closes_at, capacity, admission_policy ON offerings
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
-- Only the instructor role decides whether a listed instructor is shown.
CREATE TRIGGER user_roles_catalog_insert AFTER INSERT ON user_roles WHEN NEW.role = 'instructor'
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER user_roles_catalog_delete AFTER DELETE ON user_roles WHEN OLD.role = 'instructor'
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
CREATE TRIGGER users_catalog_name AFTER UPDATE OF full_name ON users WHEN OLD.full_name <> NEW.full_name
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
END;
