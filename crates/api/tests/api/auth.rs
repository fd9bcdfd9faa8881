//! Sign-up, sign-in and the token life cycle, over HTTP.

use crate::common;

use aula_identity::{Limit, Limits, Role};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::TimeDelta;
use common::{assert_problem, TestApp, JWT_SECRET, PASSWORD};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[actix_web::test]
async fn registration_mails_a_verification_link_in_the_users_language() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let res = app
        .post(
            "/auth/register",
            json!({"email": "Ana.Souza@INSS.gov.br", "password": PASSWORD, "full_name": "Ana Souza", "locale": "pt"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    let mails = app.mails_to("ana.souza@inss.gov.br");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].locale, aula_core::Locale::Pt);
    assert!(
        mails[0].subject.to_lowercase().contains("confirme"),
        "{}",
        mails[0].subject
    );
    assert!(mails[0]
        .body_text
        .contains("https://aula.test/verify-email?token="));
}

#[actix_web::test]
async fn an_unverified_account_cannot_sign_in_until_the_link_is_followed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.post(
        "/auth/register",
        json!({"email": "luis@ccss.cr", "password": PASSWORD, "full_name": "Luis Mora"}),
    )
    .await;
    let res = app
        .post(
            "/auth/login",
            json!({"email": "luis@ccss.cr", "password": PASSWORD}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "email_not_verified").await;

    let token = app.token_from_last_mail("luis@ccss.cr", "verify-email");
    let res = app
        .post("/auth/verify-email", json!({"token": token}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let session = app.login("LUIS@ccss.cr", PASSWORD).await;
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(session["expires_in"], 900);
    assert_eq!(session["user"]["email_verified"], true);

    // The link works once.
    let res = app
        .post("/auth/verify-email", json!({"token": token}))
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "token_invalid").await;
}

#[actix_web::test]
async fn a_resent_verification_link_replaces_the_first_one() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.post(
        "/auth/register",
        json!({"email": "eva@bps.uy", "password": PASSWORD, "full_name": "Eva Ruiz"}),
    )
    .await;
    let res = app
        .post("/auth/resend-verification", json!({"email": "eva@bps.uy"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let res = app
        .post(
            "/auth/resend-verification",
            json!({"email": "nobody@bps.uy"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert_eq!(app.mails_to("eva@bps.uy").len(), 2);
    assert!(app.mails_to("nobody@bps.uy").is_empty());
    let token = app.token_from_last_mail("eva@bps.uy", "verify-email");
    assert_eq!(
        app.post("/auth/verify-email", json!({"token": token}))
            .await
            .status(),
        StatusCode::OK
    );
}

#[actix_web::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("real@imss.gob.mx", "Real Person", &[Role::Student]);
    let wrong = app
        .post(
            "/auth/login",
            json!({"email": "real@imss.gob.mx", "password": "not-the-password"}),
        )
        .await;
    let wrong = assert_problem(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = app
        .post(
            "/auth/login",
            json!({"email": "ghost@imss.gob.mx", "password": "not-the-password"}),
        )
        .await;
    let unknown = assert_problem(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong, unknown);
}

#[actix_web::test]
async fn registration_explains_every_bad_field_at_once() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("taken@demo.test", "Taken", &[Role::Student]);
    let res = app
        .client
        .post(app.url("/auth/register"))
        .header("accept-language", "en")
        .json(&json!({"email": "not-an-email", "password": "short", "full_name": "  ", "locale": "de"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<(&str, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", "invalid_email"),
            ("full_name", "required"),
            ("password", "too_short"),
            ("locale", "invalid_choice")
        ]
    );
    assert_eq!(
        body["errors"][2]["message"],
        "Must be at least 10 characters long"
    );

    let res = app
        .post(
            "/auth/register",
            json!({"email": "TAKEN@demo.test", "password": "password123", "full_name": "X"}),
        )
        .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "too_common");
}

#[actix_web::test]
async fn signing_up_with_a_taken_address_answers_as_for_a_new_one_and_tells_the_owner() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("taken@demo.test", "Dueña Original", &[Role::Student]);
    let sign_up = async |email: &str| {
        let body =
            json!({"email": email, "password": PASSWORD, "full_name": "Intruso", "locale": "en"});
        let res = app.post("/auth/register", body).await;
        (res.status(), res.bytes().await.unwrap())
    };
    let fresh = sign_up("new@demo.test").await;
    let taken = sign_up("TAKEN@demo.test").await;
    assert_eq!(fresh.0, StatusCode::ACCEPTED);
    assert_eq!(
        taken, fresh,
        "the same answer whether or not the address is taken"
    );

    // The owner hears of it, in their own language (Spanish), and can reset the password.
    let mails = app.mails_to("taken@demo.test");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].template, "registration_attempt");
    assert_eq!(mails[0].locale, aula_core::Locale::Es);
    assert!(mails[0].body_text.contains("Dueña Original"));
    assert!(mails[0]
        .body_text
        .contains("https://aula.test/forgot-password"));
    // The owner's account is untouched: their password still works.
    app.login("taken@demo.test", PASSWORD).await;

    // Repeated attempts cannot flood the owner's mailbox.
    for _ in 0..10 {
        assert_eq!(sign_up("taken@demo.test").await.0, StatusCode::ACCEPTED);
    }
    assert_eq!(
        app.mails_to("taken@demo.test").len(),
        Limits::default().reset_per_account.max as usize
    );
}

#[actix_web::test]
async fn a_unicode_name_survives_every_round_trip() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let name = "María José Ñúñez Gonçalves de Araújo";
    let user = app.register_verified("maria@anses.gob.ar", name).await;
    assert_eq!(user["full_name"], name);
    let session = app.login("maria@anses.gob.ar", PASSWORD).await;
    assert_eq!(session["user"]["full_name"], name);
    let token = session["access_token"].as_str().unwrap();
    let me: Value = app.get_as("/me", token).await.json().await.unwrap();
    assert_eq!(me["full_name"], name);

    let renamed = "François Lefèvre-Cœur ã ç";
    let res = app
        .patch_as("/me", token, json!({"full_name": renamed, "locale": "fr"}))
        .await;
    let me: Value = res.json().await.unwrap();
    assert_eq!(
        (me["full_name"].as_str(), me["locale"].as_str()),
        (Some(renamed), Some("fr"))
    );

    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let found: Value = app
        .get_as("/users?q=LEFÈVRE", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["items"][0]["full_name"], renamed);
}

#[actix_web::test]
async fn refresh_rotates_the_token_and_reuse_revokes_the_whole_family() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("rita@iess.gob.ec", "Rita", &[Role::Student]);
    let first = app.login("rita@iess.gob.ec", PASSWORD).await;
    let r1 = first["refresh_token"].as_str().unwrap();

    let res = app
        .post("/auth/refresh", json!({"refresh_token": r1}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let second: Value = res.json().await.unwrap();
    let r2 = second["refresh_token"].as_str().unwrap();
    assert_ne!(r1, r2);
    assert_eq!(
        app.get_as("/me", second["access_token"].as_str().unwrap())
            .await
            .status(),
        StatusCode::OK
    );

    // Someone replays the first token: the family dies, including the newest token.
    let res = app
        .post("/auth/refresh", json!({"refresh_token": r1}))
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "refresh_token_reused").await;
    let res = app
        .post("/auth/refresh", json!({"refresh_token": r2}))
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;

    // Another sign-in (another family) is unaffected.
    let other = app.login("rita@iess.gob.ec", PASSWORD).await;
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": other["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[actix_web::test]
async fn logout_ends_the_session_of_its_refresh_token() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("paz@imss.gob.mx", "Paz", &[Role::Student]);
    let session = app.login("paz@imss.gob.mx", PASSWORD).await;
    let res = app
        .post(
            "/auth/logout",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
}

#[actix_web::test]
async fn an_expired_refresh_token_is_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("old@imss.gob.mx", "Old", &[Role::Student]);
    let session = app.login("old@imss.gob.mx", PASSWORD).await;
    app.clock.advance(TimeDelta::days(31));
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
}

fn forge(header: Value, claims: Value, signature: &str) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!("{}.{}.{signature}", part(&header), part(&claims))
}

#[actix_web::test]
async fn tokens_with_alg_none_wrong_audience_or_past_expiry_are_refused() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (user, good) = app.token_for("ines@ssa.gov", "Inés", &[Role::Admin]).await;
    assert_eq!(app.get_as("/me", &good).await.status(), StatusCode::OK);
    let now = aula_core::Clock::now(&app.clock).and_utc().timestamp();
    let claims = json!({"sub": user.id.to_string(), "iss": "aula", "aud": "aula-api", "iat": now, "exp": now + 600, "ver": 0});

    let none = forge(json!({"alg": "none", "typ": "JWT"}), claims.clone(), "");
    assert_problem(
        app.get_as("/me", &none).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;

    let sign = |claims: &Value, secret: &[u8]| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::default(),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(secret),
        )
        .unwrap()
    };
    let mut wrong_aud = claims.clone();
    wrong_aud["aud"] = json!("another-service");
    assert_problem(
        app.get_as("/me", &sign(&wrong_aud, JWT_SECRET)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let mut wrong_iss = claims.clone();
    wrong_iss["iss"] = json!("someone-else");
    assert_problem(
        app.get_as("/me", &sign(&wrong_iss, JWT_SECRET)).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.get_as("/me", &sign(&claims, b"another-secret-another-secret-00"))
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET),
    )
    .unwrap();
    assert_problem(
        app.get_as("/me", &hs512).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    // The same claims, properly signed, work: the refusals above are about the defects.
    assert_eq!(
        app.get_as("/me", &sign(&claims, JWT_SECRET)).await.status(),
        StatusCode::OK
    );

    app.clock.advance(TimeDelta::minutes(16));
    assert_problem(
        app.get_as("/me", &good).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    assert_problem(
        app.client.get(app.url("/me")).send().await.unwrap(),
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
}

#[actix_web::test]
async fn a_disabled_users_tokens_stop_working() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let user = app.create_user("gone@imss.gob.mx", "Gone", &[Role::Student]);
    let session = app.login("gone@imss.gob.mx", PASSWORD).await;
    let access = session["access_token"].as_str().unwrap();
    assert_eq!(app.get_as("/me", access).await.status(), StatusCode::OK);

    let res = app
        .patch_as(
            &format!("/users/{}", user.id),
            &admin,
            json!({"status": "disabled"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_problem(
        app.get_as("/me", access).await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": session["refresh_token"]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    let res = app
        .post(
            "/auth/login",
            json!({"email": "gone@imss.gob.mx", "password": PASSWORD}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "account_disabled").await;
}

#[actix_web::test]
async fn sign_in_is_rate_limited_per_account_and_address_with_retry_after() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("target@imss.gob.mx", "Target", &[Role::Student]);
    for _ in 0..10 {
        let res = app
            .post(
                "/auth/login",
                json!({"email": "target@imss.gob.mx", "password": "guess-guess-guess"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app
        .post(
            "/auth/login",
            json!({"email": "target@imss.gob.mx", "password": PASSWORD}),
        )
        .await;
    let retry_after: i64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // The window passes; the right password works again.
    app.clock.advance(TimeDelta::minutes(15));
    app.login("target@imss.gob.mx", PASSWORD).await;
}

#[actix_web::test]
async fn sign_in_is_rate_limited_per_address_across_accounts() {
    let limits = Limits {
        login_per_ip: Limit {
            max: 5,
            window: TimeDelta::minutes(15),
        },
        ..Limits::default()
    };
    let Some(app) = TestApp::spawn_with(limits).await else {
        return;
    };
    for i in 0..5 {
        let res = app
            .post(
                "/auth/login",
                json!({"email": format!("u{i}@x.org"), "password": "whatever-123"}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = app
        .post(
            "/auth/login",
            json!({"email": "another@x.org", "password": "whatever-123"}),
        )
        .await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[actix_web::test]
async fn password_reset_is_single_use_and_ends_every_session() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("olga@bps.uy", "Olga", &[Role::Student]);
    let before = app.login("olga@bps.uy", PASSWORD).await;

    let res = app
        .post("/auth/password-reset", json!({"email": "OLGA@bps.uy"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let res = app
        .post("/auth/password-reset", json!({"email": "nobody@bps.uy"}))
        .await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    assert!(app.mails_to("nobody@bps.uy").is_empty());

    let token = app.token_from_last_mail("olga@bps.uy", "reset-password");
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "short"}),
        )
        .await;
    assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "nueva contraseña segura"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "otra contraseña segura"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "token_invalid").await;

    assert_problem(
        app.get_as("/me", before["access_token"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED,
        "invalid_token",
    )
    .await;
    let res = app
        .post(
            "/auth/refresh",
            json!({"refresh_token": before["refresh_token"]}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_refresh_token").await;
    let res = app
        .post(
            "/auth/login",
            json!({"email": "olga@bps.uy", "password": PASSWORD}),
        )
        .await;
    assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    app.login("olga@bps.uy", "nueva contraseña segura").await;
    assert!(app
        .mails_to("olga@bps.uy")
        .last()
        .unwrap()
        .template
        .contains("password_changed"));
}

#[actix_web::test]
async fn a_reset_link_expires_after_an_hour() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("late@bps.uy", "Late", &[Role::Student]);
    app.post("/auth/password-reset", json!({"email": "late@bps.uy"}))
        .await;
    let token = app.token_from_last_mail("late@bps.uy", "reset-password");
    app.clock.advance(TimeDelta::minutes(61));
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "nueva contraseña segura"}),
        )
        .await;
    assert_problem(res, StatusCode::BAD_REQUEST, "token_invalid").await;
}

#[actix_web::test]
async fn password_reset_requests_are_rate_limited() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    for _ in 0..5 {
        let res = app
            .post("/auth/password-reset", json!({"email": "flood@bps.uy"}))
            .await;
        assert_eq!(res.status(), StatusCode::ACCEPTED);
    }
    let res = app
        .post("/auth/password-reset", json!({"email": "flood@bps.uy"}))
        .await;
    assert!(res.headers().contains_key("retry-after"));
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[actix_web::test]
async fn sign_ups_from_one_address_are_rate_limited() {
    let limits = Limits {
        register_per_ip: Limit {
            max: 3,
            window: TimeDelta::hours(1),
        },
        ..Limits::default()
    };
    let Some(app) = TestApp::spawn_with(limits).await else {
        return;
    };
    for i in 0..3 {
        let body =
            json!({"email": format!("bot{i}@spam.test"), "password": PASSWORD, "full_name": "Bot"});
        assert_eq!(
            app.post("/auth/register", body).await.status(),
            StatusCode::ACCEPTED
        );
    }
    let res = app
        .post(
            "/auth/register",
            json!({"email": "bot9@spam.test", "password": PASSWORD, "full_name": "Bot"}),
        )
        .await;
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    assert!(app.mails_to("bot9@spam.test").is_empty());
}

#[actix_web::test]
async fn simultaneous_sign_ins_all_succeed() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let emails: Vec<String> = (0..8).map(|i| format!("crowd{i}@imss.gob.mx")).collect();
    for email in &emails {
        app.create_user(email, "Crowd", &[Role::Student]);
    }
    // Each sign-in reads and writes throttle counters and stores a refresh token; on
    // SQLite these transactions must queue for the write lock rather than fail.
    let attempts = emails.iter().cycle().take(24).map(|email| {
        app.client
            .post(app.url("/auth/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.unwrap().status())
        .collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
}

async fn login_from(app: &TestApp, ip: &str, email: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/auth/login"))
        .header("x-forwarded-for", ip)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another() {
    let Some(app) = TestApp::behind_proxy(Limits::default()).await else {
        return;
    };
    app.create_user("target@imss.gob.mx", "Target", &[Role::Student]);
    let attacker = "203.0.113.7";
    for _ in 0..Limits::default().login_per_account.max {
        let res = login_from(&app, attacker, "target@imss.gob.mx", "guess-guess-guess").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // The owner, from their own address, signs in.
    let res = login_from(&app, "198.51.100.20", "target@imss.gob.mx", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
    // The guessing address stays throttled for that account, even with the right password.
    let res = login_from(&app, attacker, "target@imss.gob.mx", PASSWORD).await;
    assert_problem(res, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[actix_web::test]
async fn signing_in_to_an_account_without_a_password_spends_a_full_verification() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    app.create_user("real@imss.gob.mx", "Real Person", &[Role::Student]);
    {
        let mut conn = app.db.conn();
        aula_identity::auth::invite(
            &mut conn,
            &app.identity,
            &aula_identity::Invitee {
                email: "invited@imss.gob.mx".into(),
                full_name: "Invited Person".into(),
                locale: aula_core::Locale::Es,
                institution_id: None,
            },
        )
        .expect("invite");
    }
    let mut answers = Vec::new();
    for email in [
        "real@imss.gob.mx",
        "ghost@imss.gob.mx",
        "invited@imss.gob.mx",
    ] {
        let before = app.identity.password_verifications();
        let res = app
            .post(
                "/auth/login",
                json!({"email": email, "password": "not-the-password"}),
            )
            .await;
        answers.push(assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await);
        assert_eq!(
            app.identity.password_verifications() - before,
            1,
            "one argon2 verification signing in as {email}"
        );
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
}

#[actix_web::test]
async fn weak_passwords_are_refused_with_the_reason_in_the_readers_language() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let refused = async |password: &str| {
        let res = app
            .client
            .post(app.url("/auth/register"))
            .header("accept-language", "en")
            .json(&json!({"email": "ana.souza@inss.gov.br", "password": password, "full_name": "Ana Souza"}))
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "password", "{password}: {body}");
        (
            body["errors"][0]["code"].as_str().unwrap().to_owned(),
            body["errors"][0]["message"].as_str().unwrap().to_owned(),
        )
    };
    assert_eq!(
        refused("          ").await,
        ("blank".into(), "Must not be only spaces".into())
    );
    for personal in ["ana.souza@inss.gov.br", "Ana Souza 2026", "aulaaulaaula"] {
        assert_eq!(
            refused(personal).await,
            (
                "too_personal".into(),
                "Must not be made of your name, your email address or the name of this site".into()
            ),
            "{personal}"
        );
    }
    for common in [aula_identity::DEMO_PASSWORD, "1q2w3e4r5t6y", "Password123"] {
        assert_eq!(refused(common).await.0, "too_common", "{common}");
    }
    assert!(app.mails_to("ana.souza@inss.gov.br").is_empty());

    // A reset link names its owner: their own name is refused there too, and the
    // link still works for a better password.
    app.create_user("olga@bps.uy", "Olga Benítez", &[Role::Student]);
    app.post("/auth/password-reset", json!({"email": "olga@bps.uy"}))
        .await;
    let token = app.token_from_last_mail("olga@bps.uy", "reset-password");
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "OlgaBenítez.1990"}),
        )
        .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "too_personal");
    let res = app
        .post(
            "/auth/password-reset/confirm",
            json!({"token": token, "password": "previsión social 2026"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}
