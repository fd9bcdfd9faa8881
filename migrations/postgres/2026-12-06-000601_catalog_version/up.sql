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

CREATE FUNCTION catalog_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO catalog_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = catalog_version.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER courses_catalog AFTER INSERT OR UPDATE OR DELETE ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER course_translations_catalog AFTER INSERT OR UPDATE OR DELETE ON course_translations
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER course_languages_catalog AFTER INSERT OR UPDATE OR DELETE ON course_languages
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER course_instructors_catalog AFTER INSERT OR UPDATE OR DELETE ON course_instructors
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER course_prerequisites_catalog AFTER INSERT OR UPDATE OR DELETE ON course_prerequisites
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER topics_catalog AFTER INSERT OR UPDATE OR DELETE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER offerings_catalog AFTER INSERT OR DELETE OR UPDATE OF course_id, start_date, end_date, enrolment_opens_at, enrolment_closes_at, capacity, admission_policy ON offerings
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
-- Only the instructor role decides whether a listed instructor is shown.
CREATE TRIGGER user_roles_catalog_insert AFTER INSERT ON user_roles
    FOR EACH ROW WHEN (NEW.role = 'instructor') EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER user_roles_catalog_delete AFTER DELETE ON user_roles
    FOR EACH ROW WHEN (OLD.role = 'instructor') EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER users_catalog_name AFTER UPDATE OF full_name ON users
    FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name) EXECUTE FUNCTION catalog_changed();
