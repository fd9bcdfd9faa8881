//! Every answer carries the id its log lines carry.

use crate::common::TestApp;

#[actix_web::test]
async fn every_answer_carries_a_request_id_and_keeps_a_plain_one_given() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let id = |res: &reqwest::Response| {
        res.headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_owned())
            .expect("an X-Request-Id")
    };
    let first = app.client.get(app.url("/health")).send().await.unwrap();
    let second = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(id(&first).len(), 16);
    assert_ne!(id(&first), id(&second), "one per request");
    let problem = app
        .client
        .get(app.url("/no-such-route"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem.status(), 404);
    assert_eq!(id(&problem).len(), 16, "problems carry one too");
    let kept = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "lb-7f3a.42")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&kept), "lb-7f3a.42");
    let replaced = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "<script>alert(1)</script>")
        .send()
        .await
        .unwrap();
    assert_eq!(id(&replaced).len(), 16);
}
