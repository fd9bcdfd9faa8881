//! The `aula` command line over a fresh database of the backend under test.

mod support;

use std::{
    path::Path,
    process::{Command, Output},
    sync::Arc,
};

use aula_catalog::{model::AdmissionPolicy, modules, offerings, search, LocalStorage};
use aula_core::{OsTokenSource, PageRequest, SystemClock};
use aula_db::{testing::TestDb, DbConnection};
use aula_enrolment::{lists, Admissions, State};
use aula_identity::{users, User};
use support::text;

fn aula(db: &TestDb, data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    support::aula(&db.url_string(), data_dir, args, stdin)
}

#[test]
fn seeding_the_demo_twice_changes_nothing_the_second_time() {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let first = aula(
        &db,
        dir.path(),
        &["seed", "demo", "--password", "otra-clave-demo"],
        "",
    );
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = text(&first.stdout);
    assert!(out.contains("Demo data loaded"), "{out}");
    for account in [
        "admin@demo.test",
        "instructor@demo.test",
        "coordinator@demo.test",
        "student@demo.test",
    ] {
        assert!(out.contains(account), "{account} listed: {out}");
    }
    assert!(
        out.contains("otra-clave-demo"),
        "the password is printed at the end"
    );

    assert!(out.contains("Demo enrolments: "), "{out}");
    let seeded = check_demo_enrolments(&db, dir.path());
    let coursework = check_demo_coursework(&db, dir.path());
    check_demo_certificates(&db, dir.path(), &out);

    let second = aula(&db, dir.path(), &["seed", "demo"], "");
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(
        text(&second.stdout).contains("already present; nothing changed"),
        "{}",
        text(&second.stdout)
    );
    assert_eq!(
        check_demo_enrolments(&db, dir.path()),
        seeded,
        "a second run adds no enrolment"
    );
    assert_eq!(
        check_demo_coursework(&db, dir.path()),
        coursework,
        "a second run adds no coursework"
    );
}

/// What the demo promises of certification: a printed verification URL of a valid
/// certificate, the demo student's earlier version superseded by it, and a revoked
/// certificate in the same offering; every PDF rendered.
fn check_demo_certificates(db: &TestDb, data_dir: &Path, out: &str) {
    use aula_certification::{lists, verify, Verdict};
    let mut conn = db.conn();
    let svc = support::certification(data_dir);
    let code = out
        .split("/verify/")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a verification URL is printed: {out}"));
    let found =
        verify::by_code(&mut conn, &svc, "127.0.0.1", code).expect("the printed code verifies");
    assert_eq!(found.status, Verdict::Valid);
    assert!(found.pdf_sha256.is_some(), "its PDF is rendered");
    let student = account(&mut conn, "student@demo.test");
    let mine = lists::mine(&mut conn, &svc, &student).unwrap();
    let verdicts: Vec<Verdict> = mine.iter().map(|c| c.verdict).collect();
    assert_eq!(
        verdicts,
        vec![Verdict::Valid, Verdict::Superseded],
        "{mine:?}"
    );
    let instructor = account(&mut conn, "instructor@demo.test");
    let all = lists::of_offering(
        &mut conn,
        &svc,
        &instructor,
        mine[0].offering_id,
        PageRequest::new(1, 50),
    )
    .unwrap();
    assert!(
        all.items.iter().any(|c| c.verdict == Verdict::Revoked),
        "one revoked"
    );
    assert!(all.items.iter().all(|c| c.ready), "every PDF rendered");
}

/// What the demo promises of assessment, read back through its rules: in the running
/// PEN-201 offering, assignments and a quiz, work waiting in the instructor's queue,
/// and a released grade with feedback for the demo student. Returns (items, queued).
fn check_demo_coursework(db: &TestDb, data_dir: &Path) -> (usize, i64) {
    use aula_assessment::{assignments, grading::queue, quizzes, Assessment};
    let mut conn = db.conn();
    let svc = Assessment::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        Arc::new(LocalStorage::new(data_dir.join("files"))),
        "https://aula.test",
        1 << 20,
    );
    let admin = account(&mut conn, "admin@demo.test");
    let instructor = account(&mut conn, "instructor@demo.test");
    let student = account(&mut conn, "student@demo.test");
    let catalog = aula_catalog::Catalog::new(
        Arc::new(SystemClock),
        Arc::new(LocalStorage::new(data_dir.join("files"))),
        Arc::new(aula_catalog::NoEnrolments),
    );
    let running =
        offerings::list_for_course(&mut conn, &catalog, Some(&admin), "PEN-201").unwrap()[1].id;
    let work = assignments::list(&mut conn, &svc, &student, running).unwrap();
    let quizzes = quizzes::list(&mut conn, &svc, &student, running).unwrap();
    assert_eq!((work.len(), quizzes.len()), (3, 1));
    let graded = work
        .iter()
        .find_map(|a| a.mine.as_ref().and_then(|m| m.grade.clone()))
        .expect("a released grade for the demo student");
    assert!(!graded.feedback.is_empty());
    assert!(
        work.iter().any(|a| a
            .mine
            .as_ref()
            .is_some_and(|m| m.can_submit && m.attempts.is_empty())),
        "an assignment the demo student can still hand in"
    );
    let waiting = queue::queue(
        &mut conn,
        &instructor,
        running,
        &Default::default(),
        PageRequest::new(1, 100),
    )
    .unwrap()
    .total;
    assert!(waiting >= 3, "{waiting} waiting in the queue");
    (work.len() + quizzes.len(), waiting)
}

fn account(conn: &mut DbConnection, email: &str) -> User {
    users::find_by_email(conn, email).unwrap().expect(email)
}

/// Reads the demo enrolments back through the enrolment rules and checks what the demo
/// promises; returns how many enrolments there are.
fn check_demo_enrolments(db: &TestDb, data_dir: &Path) -> usize {
    let mut conn = db.conn();
    let identity = support::identity(
        b"cli-test-secret-cli-test-secret-cli-test",
        "https://aula.test",
    );
    let svc = Admissions::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        Arc::new(LocalStorage::new(data_dir.join("files"))),
        identity,
        "https://aula.test",
        1 << 20,
    );
    let now = svc.now();
    let today = now.date().to_string();
    let page = PageRequest::new(1, 100);
    let admin = account(&mut conn, "admin@demo.test");

    // Every state, somewhere in the demo offerings; and an offering a new learner of an
    // institution can apply to now (the browser test counts on it).
    let (mut states, mut total, mut endorsed_open) = (Vec::new(), 0, false);
    let courses = search::list(
        &mut conn,
        svc.catalog(),
        None,
        &Default::default(),
        page,
        None,
    )
    .unwrap();
    for course in &courses.items {
        let required = modules::outline(&mut conn, None, &course.code, None)
            .unwrap()
            .iter()
            .any(|m| m.lessons.iter().any(|l| l.required));
        for o in offerings::list_for_course(&mut conn, svc.catalog(), None, &course.code).unwrap() {
            endorsed_open |= o.admission_policy == AdmissionPolicy::InstitutionEndorsed
                && o.enrolment_open
                && o.seats_left > 0
                && required;
            let roster = lists::roster(
                &mut conn,
                &svc,
                &admin,
                o.id,
                &Default::default(),
                page,
                None,
            );
            let roster = roster.unwrap();
            total += roster.total as usize;
            states.extend(roster.items.iter().map(|e| e.state));
        }
    }
    for state in State::ALL {
        assert!(states.contains(state), "no demo enrolment is {state}");
    }
    assert!(
        endorsed_open,
        "an institution_endorsed offering takes applications now"
    );

    // The demo student follows a running offering: lessons done, attendance taken, and
    // a session ahead.
    let student = account(&mut conn, "student@demo.test");
    let mine = lists::mine(&mut conn, &svc, &student, None, None, page, None).unwrap();
    let running = mine
        .items
        .iter()
        .find(|e| e.state == State::Enrolled && e.start_date <= today && today <= e.end_date)
        .expect("the demo student has a running enrolment");
    assert!(running.progress > 0, "{running:?}");
    assert!(running.attendance_rate.is_some(), "{running:?}");
    assert!(running.next_session.is_some(), "{running:?}");

    // Applications wait for the IMSS coordinator (one with its documents) and for staff.
    let coordinator = account(&mut conn, "coordinator@demo.test");
    let queue = lists::endorsements(&mut conn, &svc, &coordinator, page, None).unwrap();
    assert!(
        queue.items.iter().any(|e| e.documents_complete),
        "{queue:?}"
    );
    let instructor = account(&mut conn, "instructor@demo.test");
    let approvals = lists::approvals(&mut conn, &svc, &instructor, page, None).unwrap();
    assert!(approvals.total > 0);
    total
}

#[test]
fn a_user_is_created_with_the_password_read_from_standard_input() {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "user",
        "create",
        "--email",
        "Ana@CIESS.org",
        "--name",
        "Ana Núñez",
        "--role",
        "instructor",
        "--role",
        "student",
    ];
    let created = aula(&db, dir.path(), &args, "una frase de paso larga\n");
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        text(&created.stdout).contains("<ana@ciess.org> with roles instructor, student"),
        "{}",
        text(&created.stdout)
    );

    let weak = aula(
        &db,
        dir.path(),
        &[
            "user",
            "create",
            "--email",
            "b@ciess.org",
            "--name",
            "B",
            "--role",
            "student",
        ],
        "corta\n",
    );
    assert!(!weak.status.success());
    assert!(
        text(&weak.stderr).contains("password: too_short"),
        "{}",
        text(&weak.stderr)
    );
    let taken = aula(&db, dir.path(), &args, "una frase de paso larga\n");
    assert!(
        text(&taken.stderr).contains("email: taken"),
        "{}",
        text(&taken.stderr)
    );
}

#[test]
fn bad_configuration_stops_with_one_line_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(["migrate"])
        .env("AULA_DATA_DIR", dir.path())
        .env("AULA_SMTP_URL", "http://mail.example.org")
        .output()
        .expect("run aula");
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("AULA_SMTP_URL"), "{err}");
}

#[test]
fn the_openapi_command_prints_the_served_document_without_settings_or_database() {
    // A configuration that every other command refuses: the document needs none of it.
    let out = Command::new(env!("CARGO_BIN_EXE_aula"))
        .arg("openapi")
        .env("AULA_SMTP_URL", "http://mail.example.org")
        .env("AULA_DATABASE_URL", "ftp://nowhere.example.org/aula")
        .output()
        .expect("run aula");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("the output is one JSON document");
    let served: serde_json::Value =
        serde_json::from_str(&aula_api::openapi::openapi().to_json().unwrap()).unwrap();
    assert_eq!(printed, served);
    assert!(printed["paths"]["/api/v1/health"]["get"].is_object());
}

fn aula_on(database_url: &str, data_dir: &Path, args: &[&str]) -> Output {
    support::aula(database_url, data_dir, args, "")
}

fn count_users(conn: &mut DbConnection) -> i64 {
    use diesel::prelude::*;
    aula_db::schema::users::table
        .count()
        .get_result(conn)
        .unwrap()
}

#[test]
fn a_backup_taken_online_restores_into_a_fresh_data_directory() {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let seeded = aula(&db, dir.path(), &["seed", "demo"], "");
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    let backup = dir.path().join("backup");
    let backup_arg = backup.to_str().unwrap();
    let out = aula(&db, dir.path(), &["backup", backup_arg], "");
    if support::backup_refused_on_postgresql(&db, &out, "pg_dump") {
        return;
    }
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(backup.join("aula.sqlite3").is_file());
    let pdfs = std::fs::read_dir(backup.join("files/certificates"))
        .unwrap()
        .count();
    assert!(pdfs >= 4, "the certificates' PDFs go with the database");
    let again = aula(&db, dir.path(), &["backup", backup_arg], "");
    assert!(!again.status.success(), "a backup never overwrites another");

    let fresh = tempfile::tempdir().unwrap();
    let restored = fresh.path().join("restored.sqlite3");
    let url = format!("sqlite://{}", restored.display());
    let out = aula_on(&url, fresh.path(), &["restore", backup_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let twice = aula_on(&url, fresh.path(), &["restore", backup_arg]);
    assert!(
        !twice.status.success(),
        "restoring over a database is refused"
    );
    let mut original = db.conn();
    let mut copy = aula_db::DbUrl::parse(&url).connect().unwrap();
    assert_eq!(count_users(&mut copy), count_users(&mut original));
    assert_eq!(
        std::fs::read_dir(fresh.path().join("files/certificates"))
            .unwrap()
            .count(),
        pdfs
    );
    // The restored installation answers as the original did.
    let demo = aula_on(&url, fresh.path(), &["seed", "demo"]);
    assert!(
        text(&demo.stdout).contains("already present; nothing changed"),
        "{}",
        text(&demo.stdout)
    );
}

#[test]
fn logs_can_be_written_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    // A new database, so that opening it has migrations to report.
    let out = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(["seed", "demo"])
        .env(
            "AULA_DATABASE_URL",
            format!("sqlite://{}/logs.db", dir.path().display()),
        )
        .env("AULA_DATA_DIR", dir.path())
        .env("AULA_LOG", "info")
        .env("AULA_LOG_FORMAT", "json")
        .output()
        .expect("run aula");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!lines.is_empty(), "seeding logs something");
    assert!(lines
        .iter()
        .all(|l| l["level"].is_string() && l["timestamp"].is_string()));
}
