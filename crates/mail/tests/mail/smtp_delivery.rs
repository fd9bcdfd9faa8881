use aula_core::{Clock, Locale};
use aula_db::testing::TestDb;
use aula_mail::{enqueue, outbox_for, status_counts, Mail, OutboxStatus};

use crate::support::{self, parse, SmtpSink, NAME};

#[test]
fn a_queued_mail_is_delivered_over_smtp_in_the_recipients_language() {
    let Some(db) = TestDb::new() else { return };
    let sink = SmtpSink::start();
    let clock = support::clock();
    let link = "https://aula.example/verify-email?token=Zk9_x-1&lang=pt";
    let mail = Mail::VerifyEmail {
        full_name: NAME.into(),
        link: link.into(),
    };
    enqueue(
        &mut db.conn(),
        clock.now(),
        "maria.jose@example.org",
        Locale::Pt,
        &mail,
    )
    .expect("enqueue");

    let worker = support::worker(&db, sink.transport(), &clock, support::config());
    let report = worker.deliver_due().expect("deliver");

    assert_eq!((report.claimed, report.sent), (1, 1));
    let received = sink.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].envelope_to, ["maria.jose@example.org"]);
    let message = parse(&received[0].data);
    assert_eq!(message.to, "maria.jose@example.org");
    assert_eq!(message.from, "no-reply@aula.local");
    assert_eq!(
        message.subject,
        "Confirme seu endereço de e-mail no Aula · CIESS"
    );
    assert_eq!(message.content_type, "multipart/alternative");
    assert_eq!(message.auto_submitted, "auto-generated");
    assert!(
        message.message_id.starts_with("aula."),
        "{}",
        message.message_id
    );
    assert!(
        message.message_id.ends_with("@aula.local"),
        "{}",
        message.message_id
    );
    assert!(
        message.text.contains(&format!("Olá, {NAME},")),
        "{}",
        message.text
    );
    assert!(message.text.contains(link), "{}", message.text);
    assert!(message.html.contains(NAME), "{}", message.html);
    assert!(message
        .html
        .contains("href=\"https://aula.example/verify-email?token=Zk9_x-1&amp;lang=pt\""));

    let rows = outbox_for(&mut db.conn(), "maria.jose@example.org").expect("outbox");
    assert_eq!(rows[0].status, OutboxStatus::Sent);
    assert_eq!(rows[0].sent_at, Some(clock.now()));
    assert_eq!(rows[0].locked_until, None);
    assert_eq!(status_counts(&mut db.conn()).expect("counts").sent, 1);

    // Sent mail is not sent again.
    assert_eq!(worker.deliver_due().expect("deliver").claimed, 0);
    assert_eq!(sink.received().len(), 1);
}

#[test]
fn a_bad_smtp_url_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let error = aula_mail::Transport::from_config(Some("not a url"), dir.path())
        .expect_err("a bad URL must not build a transport");
    assert!(error.to_string().starts_with("invalid SMTP URL"), "{error}");
    let error = aula_mail::Transport::from_config(Some("http://mail.example"), dir.path())
        .expect_err("only smtp and smtps are understood");
    assert!(error.to_string().starts_with("invalid SMTP URL"), "{error}");
}
