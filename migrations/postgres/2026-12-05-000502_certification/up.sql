-- The people who sign the centre's certificates, in the order they are printed.
CREATE TABLE signatories (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    signature BYTEA,
    signature_type TEXT CHECK (signature_type IN ('image/png', 'image/jpeg')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- How an offering certifies: automatic issue once eligible, and how long a
-- certificate stays valid (none: no expiry).
CREATE TABLE certification_settings (
    offering_id BIGINT PRIMARY KEY REFERENCES offerings (id) ON DELETE CASCADE,
    auto_issue BOOLEAN NOT NULL DEFAULT FALSE,
    validity_months INTEGER CHECK (validity_months BETWEEN 1 AND 240),
    updated_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A certificate as issued: every printed field is kept as it was at issue.
CREATE TABLE certificates (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    enrolment_id BIGINT NOT NULL REFERENCES enrolments (id) ON DELETE RESTRICT,
    offering_id BIGINT NOT NULL REFERENCES offerings (id) ON DELETE RESTRICT,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    -- The institution the learner applied from, for its coordinators' register.
    institution_id BIGINT REFERENCES institutions (id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('participation', 'approval')),
    version INTEGER NOT NULL CHECK (version >= 1),
    status TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked', 'superseded')),
    learner_name TEXT NOT NULL,
    -- The badge names its holder by a salted hash of the e-mail address.
    recipient_salt TEXT NOT NULL,
    recipient_hash TEXT NOT NULL,
    course_code TEXT NOT NULL,
    course_title TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    hours INTEGER NOT NULL,
    final_grade DOUBLE PRECISION,
    attendance INTEGER,
    locale TEXT NOT NULL CHECK (locale IN ('es', 'en', 'pt', 'fr')),
    -- The signatories printed, as JSON: [{"name": …, "title": …, "id": …}].
    signatories TEXT NOT NULL,
    -- When it was first earned; a reissue keeps it.
    awarded_at TIMESTAMP NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    issued_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- Set when staff issued it to someone the rules did not find eligible.
    override_reason TEXT,
    supersedes_id BIGINT UNIQUE REFERENCES certificates (id) ON DELETE RESTRICT,
    status_reason TEXT,
    status_changed_at TIMESTAMP,
    UNIQUE (enrolment_id, kind, version)
);
-- At most one certificate in force per enrolment and kind, whatever races.
CREATE UNIQUE INDEX certificates_current_idx ON certificates (enrolment_id, kind)
    WHERE status IN ('valid', 'suspended');
CREATE INDEX certificates_offering_idx ON certificates (offering_id, id);
CREATE INDEX certificates_user_idx ON certificates (user_id, id);
CREATE INDEX certificates_institution_idx ON certificates (institution_id, id);

-- What the background render produced; absent until then.
CREATE TABLE certificate_documents (
    certificate_id BIGINT PRIMARY KEY REFERENCES certificates (id) ON DELETE RESTRICT,
    storage_key TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    pdf_size BIGINT NOT NULL,
    badge_jwt TEXT NOT NULL,
    rendered_at TIMESTAMP NOT NULL
);
CREATE INDEX certificate_documents_sha_idx ON certificate_documents (pdf_sha256);

-- Every change of a certificate's standing, who made it and why.
CREATE TABLE certificate_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    certificate_id BIGINT NOT NULL REFERENCES certificates (id) ON DELETE RESTRICT,
    action TEXT NOT NULL CHECK (action IN ('issued', 'reissued', 'superseded', 'suspended', 'reinstated', 'revoked')),
    reason TEXT,
    actor_id BIGINT REFERENCES users (id) ON DELETE RESTRICT,
    at TIMESTAMP NOT NULL
);
CREATE INDEX certificate_events_certificate_idx ON certificate_events (certificate_id, id);
CREATE FUNCTION certificate_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'certificate history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER certificate_events_no_change BEFORE UPDATE OR DELETE ON certificate_events
    FOR EACH ROW EXECUTE FUNCTION certificate_events_append_only();

-- The keys badges are signed with; the newest signs, all stay published.
CREATE TABLE signing_keys (
    kid TEXT PRIMARY KEY,
    private_pem TEXT NOT NULL,
    modulus TEXT NOT NULL,
    exponent TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
