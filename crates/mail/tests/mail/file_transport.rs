use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, Mail, Transport};

use crate::support::{self, parse, NAME};

#[test]
fn without_smtp_each_mail_is_written_as_an_eml_file() {
    let Some(db) = TestDb::new() else { return };
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mail_dir = data_dir.path().join("mail");
    let transport = Transport::from_config(None, &mail_dir).expect("file transport");
    assert!(matches!(&transport, Transport::Files(dir) if dir == &mail_dir));
    let clock = support::clock();
    let link = "https://aula.example/reset?token=abc";
    let mail = Mail::PasswordReset {
        full_name: NAME.into(),
        link: link.into(),
    };
    enqueue(
        &mut db.conn(),
        clock.now(),
        "files@example.org",
        Locale::Es,
        &mail,
    )
    .expect("enqueue");

    let worker = support::worker(&db, transport, &clock, support::config());
    assert_eq!(worker.deliver_due().expect("deliver").sent, 1);

    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .expect("mail dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read(&files[0]).expect("read eml");
    let message = parse(&raw);
    assert_eq!(message.to, "files@example.org");
    assert_eq!(message.subject, "Restablezca su contraseña de Aula · CIESS");
    assert!(message.text.contains(link));
    assert!(message.text.contains(NAME));
    assert!(message.html.contains(NAME));
    // Raw RFC 5322: headers, a blank line, the body.
    let raw = String::from_utf8(raw).expect("7-bit or UTF-8 text");
    assert!(raw.contains("\r\n\r\n"));
    assert!(raw.lines().any(|l| l.starts_with("Message-ID: ")));
}

#[test]
fn a_blank_smtp_url_means_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let transport = Transport::from_config(Some("  "), dir.path()).expect("transport");
    assert!(matches!(transport, Transport::Files(_)));
}
