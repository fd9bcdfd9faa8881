//! `GET /metrics`: only with its token, in the Prometheus text format.

use aula_identity::Limits;

use crate::common::TestApp;

const TOKEN: &str = "metrics-token-0123456789";

#[actix_web::test]
async fn metrics_answer_with_their_token_only_and_count_requests_by_route() {
    let Some(app) =
        TestApp::spawn_configured(Limits::default(), |c| c.metrics_token = Some(TOKEN.into()))
            .await
    else {
        return;
    };
    for _ in 0..3 {
        app.client.get(app.url("/health")).send().await.unwrap();
    }
    app.client
        .get(app.url("/courses/NOPE-1"))
        .send()
        .await
        .unwrap();
    let scrape = |token: Option<&str>| {
        let mut req = app.client.get(format!("{}/metrics", app.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(scrape(None).await.unwrap().status(), 401);
    assert_eq!(
        scrape(Some("metrics-token-0123456780"))
            .await
            .unwrap()
            .status(),
        401
    );
    let res = scrape(Some(TOKEN)).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = res.text().await.unwrap();
    assert!(
        text.contains(
            r#"aula_http_requests_total{method="GET",route="/api/v1/health",status="200"} 3"#
        ),
        "{text}"
    );
    assert!(
        text.contains(r#"route="/api/v1/courses/{code}",status="404""#),
        "ids do not make series: {text}"
    );
    assert!(text.contains(
        r#"aula_http_request_duration_seconds_count{method="GET",route="/api/v1/health"} 3"#
    ));
    assert!(text.contains(r#"aula_jobs{status="pending"} 0"#));
    assert!(text.contains(r#"aula_mail_outbox{status="pending"}"#));
    assert!(text.contains(r#"aula_db_connections{state="idle"}"#));
}

#[actix_web::test]
async fn without_a_token_configured_there_are_no_metrics() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let res = app
        .client
        .get(format!("{}/metrics", app.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
