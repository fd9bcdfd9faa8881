use aula_core::Locale;
use aula_db::testing::TestDb;
use aula_mail::{enqueue, outbox_for, status_counts, Mail, MailError, OutboxStatus};
use diesel::Connection;

use crate::support::{self, NAME};

fn mail() -> Mail {
    Mail::VerifyEmail {
        full_name: NAME.into(),
        link: "https://aula.example/v?t=1".into(),
    }
}

#[test]
fn mail_queued_in_a_rolled_back_transaction_leaves_no_row() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let result = conn.transaction(|tx| {
        enqueue(
            tx,
            support::start(),
            "rollback@example.org",
            Locale::Es,
            &mail(),
        )?;
        // The change that caused the mail fails afterwards.
        Err::<(), MailError>(MailError::Database(
            diesel::result::Error::RollbackTransaction,
        ))
    });
    assert!(result.is_err());
    assert!(outbox_for(&mut db.conn(), "rollback@example.org")
        .expect("outbox")
        .is_empty());
    assert_eq!(status_counts(&mut db.conn()).expect("counts").pending, 0);
}

#[test]
fn mail_queued_in_a_committed_transaction_is_pending() {
    let Some(db) = TestDb::new() else { return };
    let mut conn = db.conn();
    let id = conn
        .transaction(|tx| {
            enqueue(
                tx,
                support::start(),
                "commit@example.org",
                Locale::Fr,
                &mail(),
            )
        })
        .expect("commit");
    let rows = outbox_for(&mut db.conn(), "commit@example.org").expect("outbox");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (row.id, row.status, row.attempts),
        (id, OutboxStatus::Pending, 0)
    );
    assert_eq!(
        (row.locale, row.template.as_str()),
        (Locale::Fr, "verify_email")
    );
    assert_eq!(
        row.subject,
        "Confirmez votre adresse e-mail pour Aula · CIESS"
    );
    assert_eq!(row.next_attempt_at, support::start());
    assert!(row.body_text.contains(NAME));
}

#[test]
fn an_invalid_recipient_is_refused_when_queued() {
    let Some(db) = TestDb::new() else { return };
    let error = enqueue(
        &mut db.conn(),
        support::start(),
        "not an address",
        Locale::Es,
        &mail(),
    )
    .expect_err("invalid address");
    assert!(matches!(error, MailError::Address { .. }), "{error}");
    assert_eq!(status_counts(&mut db.conn()).expect("counts").pending, 0);
}
