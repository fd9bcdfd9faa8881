//! The verification mail really travels over SMTP, and its link completes sign-up.

use crate::common;

use std::time::Duration;

use aula_mail::{Mailbox, Transport, Worker, WorkerConfig};
use common::{smtp, TestApp, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

#[actix_web::test]
async fn the_verification_mail_arrives_over_smtp_and_its_link_verifies_the_account() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (url, inbox) = smtp::start();
    let name = "Zoë Ñandú Gonçalves";
    let res = app
        .post("/auth/register", json!({"email": "zoe@ccss.cr", "password": PASSWORD, "full_name": name, "locale": "fr"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    let from: Mailbox = "Aula CIESS <no-reply@aula.test>".parse().unwrap();
    let worker = Worker::new(
        app.db.pool(),
        Transport::smtp(&url).unwrap(),
        std::sync::Arc::new(app.clock.clone()),
        WorkerConfig {
            poll_interval: Duration::from_millis(50),
            ..WorkerConfig::new(from)
        },
    )
    .spawn()
    .unwrap();
    let mut waited = 0;
    while inbox.lock().unwrap().is_empty() && waited < 100 {
        tokio::time::sleep(Duration::from_millis(50)).await;
        waited += 1;
    }
    worker.shutdown();

    let received = inbox.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "one message delivered");
    assert_eq!(received[0].to, ["zoe@ccss.cr"]);
    let parsed = mail_parser::MessageParser::default()
        .parse(received[0].data.as_bytes())
        .unwrap();
    let text = parsed.body_text(0).unwrap().into_owned();
    let subject = parsed.subject().unwrap().to_owned();
    assert!(
        subject.to_lowercase().contains("confirmez"),
        "French subject: {subject}"
    );
    assert!(text.contains(name), "the accented name survives: {text}");
    let token = common::extract_token(&text, "verify-email").expect("a verification link");

    let res = app
        .post("/auth/verify-email", json!({"token": token}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let session = app.login("zoe@ccss.cr", PASSWORD).await;
    assert_eq!(session["user"]["full_name"], name);
    let sent = app.mails_to("zoe@ccss.cr");
    assert_eq!(sent[0].status, aula_mail::OutboxStatus::Sent);
}
