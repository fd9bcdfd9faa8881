//! The `aula` command line over a fresh database of the backend under test.

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

use aula_db::testing::TestDb;

fn aula(db: &TestDb, data_dir: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aula"))
        .args(args)
        .env("AULA_DATABASE_URL", db.url_string())
        .env("AULA_DATA_DIR", data_dir)
        .env("AULA_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run aula");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("aula finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
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

    let second = aula(&db, dir.path(), &["seed", "demo"], "");
    assert!(second.status.success());
    assert!(
        text(&second.stdout).contains("already present; nothing changed"),
        "{}",
        text(&second.stdout)
    );
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
