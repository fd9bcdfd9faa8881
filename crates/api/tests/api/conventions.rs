//! API conventions every endpoint follows: problem documents, languages, paging,
//! health and the OpenAPI document.

use crate::common;

use aula_identity::Role;
use common::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[actix_web::test]
async fn malformed_json_is_a_problem_document_never_a_panic() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let send = |body: &'static str| {
        app.client
            .post(app.url("/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_problem(
        send("{\"email\": ").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_problem(
        send("not json at all").await.unwrap(),
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;

    let body = assert_problem(
        send("{\"email\": 42, \"password\": \"x\"}").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "email");
    assert_eq!(body["errors"][0]["code"], "wrong_type");
    let body = assert_problem(
        send("{\"email\": \"a@b.org\"}").await.unwrap(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_eq!(
        body["errors"][0],
        json!({"field": "password", "code": "required", "message": "Este campo es obligatorio"})
    );

    let res = app
        .client
        .post(app.url("/auth/login"))
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_problem(
        res,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
}

#[actix_web::test]
async fn an_oversize_body_is_refused_with_413() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let huge = json!({"email": "a@b.org", "password": "x".repeat(64 * 1024)});
    assert_problem(
        app.post("/auth/login", huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
}

#[actix_web::test]
async fn unknown_routes_and_wrong_methods_get_problem_documents() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let res = app
        .client
        .get(app.url("/no-such-thing"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
    let res = app
        .client
        .delete(app.url("/auth/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app.client.put(app.url("/users/12")).send().await.unwrap();
    assert_eq!(res.headers()["allow"], "GET, PATCH");
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    assert_problem(
        app.get_as("/users/not-a-number", &admin).await,
        StatusCode::NOT_FOUND,
        "invalid_path",
    )
    .await;
    assert_problem(
        app.get_as("/users?page=first", &admin).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
}

#[actix_web::test]
async fn allow_names_only_the_methods_of_the_route_that_matches() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    // `/enrolments/{id}/{action}` takes POST for its actions only: `history` is not one.
    let res = app
        .client
        .post(app.url("/enrolments/1/history"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "GET");
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    let res = app
        .client
        .post(app.url("/enrolments/1/payment"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "PUT");
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    // `/assignments/{id}/grades/{enrolment_id}` takes an integer: `import` is not one.
    let res = app
        .client
        .delete(app.url("/assignments/1/grades/import"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["allow"], "POST");
    assert_problem(res, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    // An action the route does not know is no route at all.
    let res = app
        .client
        .post(app.url("/enrolments/1/bogus"))
        .send()
        .await
        .unwrap();
    assert_problem(res, StatusCode::NOT_FOUND, "not_found").await;
}

#[actix_web::test]
async fn a_body_is_an_object_holding_only_the_fields_the_request_takes() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let body = assert_problem(
        app.post(
            "/auth/login",
            json!({"email": "a@b.org", "password": "whatever-123", "remember": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_eq!(
        body["errors"],
        json!([{"field": "remember", "code": "unknown_field", "message": "Campo desconocido"}])
    );
    // serde would read a struct from an array of its fields.
    let (_, token) = app
        .token_for("ana@demo.test", "Ana", &[Role::Student])
        .await;
    let body = assert_problem(
        app.patch_as("/me", &token, json!([null, null])).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_body",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "wrong_type");
    // 7.0 is the integer 7 to JSON Schema, and so to the API.
    let (ana, _) = app
        .token_for("ana.admin@demo.test", "Ana Admin", &[Role::Admin])
        .await;
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let institution: Value = app
        .post_as(
            "/institutions",
            &admin,
            json!({"name": "Instituto de Prueba", "acronym": "IDP", "country": "MX",
                   "membership_category": "titular"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let id = institution["id"]
        .as_i64()
        .expect("the institution is created");
    let res = app
        .patch_as(
            &format!("/users/{}", ana.id),
            &admin,
            json!({"institution_id": id as f64}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["institution"]["id"], id);
}

#[actix_web::test]
async fn problem_titles_follow_accept_language_then_the_users_language() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let titles = [
        ("es", "Correo o contraseña incorrectos"),
        ("en", "Wrong email or password"),
        ("pt-BR,pt;q=0.9", "E-mail ou senha incorretos"),
        ("fr-CA", "Adresse e-mail ou mot de passe incorrect"),
    ];
    for (accept, title) in titles {
        let res = app
            .client
            .post(app.url("/auth/login"))
            .header("accept-language", accept)
            .json(&json!({"email": "x@y.org", "password": "whatever-123"}))
            .send()
            .await
            .unwrap();
        let body = assert_problem(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
        assert_eq!(body["title"], title);
    }
    // Without the header, a signed-in person reads their own language.
    let (user, token) = app.token_for("fr@demo.test", "Fr", &[Role::Student]).await;
    app.patch_as("/me", &token, json!({"locale": "fr"})).await;
    let res = app
        .get_as(&format!("/users/{}", user.id + 1000), &token)
        .await;
    let body = assert_problem(res, StatusCode::NOT_FOUND, "user_not_found").await;
    assert_eq!(body["title"], "Utilisateur introuvable");
}

#[actix_web::test]
async fn lang_in_the_query_decides_the_language_of_any_answer_even_a_problem() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, token) = app.token_for("es@demo.test", "Es", &[Role::Student]).await;
    // An enrolment route, as the catalog's: ?lang= first, over Accept-Language and
    // over the reader's own language (Spanish here).
    let res = app
        .client
        .get(app.url("/enrolments/999999?lang=pt"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-language"], "pt");
    let body = assert_problem(res, StatusCode::NOT_FOUND, "enrolment_not_found").await;
    assert_eq!(body["title"], "Inscrição não encontrada");
    // A language Aula does not speak is ignored, and the next rule decides.
    let res = app
        .client
        .get(app.url("/enrolments/999999?lang=de"))
        .bearer_auth(&token)
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::NOT_FOUND, "enrolment_not_found").await;
    assert_eq!(body["title"], "Inscription introuvable");
    // Anonymous, on the catalog: the same rule for its problems.
    let res = app
        .client
        .get(app.url("/courses/NO-999?lang=en"))
        .send()
        .await
        .unwrap();
    let body = assert_problem(res, StatusCode::NOT_FOUND, "course_not_found").await;
    assert_eq!(body["title"], "Course not found");
}

#[actix_web::test]
async fn health_reports_the_database_in_use() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let health: Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], app.db.url().backend().as_str());
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
}

/// Every route of the API, as a client sees it. A route added without its
/// documentation, or documented but not served, fails here.
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/openapi.json"),
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/verify-email"),
    ("POST", "/api/v1/auth/resend-verification"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/me"),
    ("PATCH", "/api/v1/me"),
    ("GET", "/api/v1/me/calendar-feed"),
    ("POST", "/api/v1/me/calendar-feed"),
    ("DELETE", "/api/v1/me/calendar-feed"),
    ("GET", "/api/v1/calendar/{token}.ics"),
    ("POST", "/api/v1/me/password"),
    ("GET", "/api/v1/institutions"),
    ("POST", "/api/v1/institutions"),
    ("GET", "/api/v1/institutions/{id}"),
    ("PATCH", "/api/v1/institutions/{id}"),
    ("GET", "/api/v1/users"),
    ("POST", "/api/v1/users"),
    ("GET", "/api/v1/users/{id}"),
    ("PATCH", "/api/v1/users/{id}"),
    ("GET", "/api/v1/topics"),
    ("POST", "/api/v1/topics"),
    ("GET", "/api/v1/courses"),
    ("POST", "/api/v1/courses"),
    ("GET", "/api/v1/courses/{code}"),
    ("PATCH", "/api/v1/courses/{code}"),
    ("PUT", "/api/v1/courses/{code}/translations/{locale}"),
    ("POST", "/api/v1/courses/{code}/publish"),
    ("POST", "/api/v1/courses/{code}/archive"),
    ("POST", "/api/v1/courses/{code}/review-request"),
    ("POST", "/api/v1/courses/{code}/send-back"),
    ("GET", "/api/v1/course-reviews"),
    ("GET", "/api/v1/courses/{code}/offerings"),
    ("POST", "/api/v1/courses/{code}/offerings"),
    ("GET", "/api/v1/courses/{code}/modules"),
    ("POST", "/api/v1/courses/{code}/modules"),
    ("PUT", "/api/v1/courses/{code}/modules/order"),
    ("GET", "/api/v1/offerings/{id}"),
    ("PATCH", "/api/v1/offerings/{id}"),
    ("DELETE", "/api/v1/offerings/{id}"),
    ("GET", "/api/v1/offerings/{id}/calendar.ics"),
    ("POST", "/api/v1/offerings/{id}/sessions"),
    ("PATCH", "/api/v1/sessions/{id}"),
    ("DELETE", "/api/v1/sessions/{id}"),
    ("PUT", "/api/v1/sessions/{id}/translations/{locale}"),
    ("PUT", "/api/v1/modules/{id}/translations/{locale}"),
    ("PUT", "/api/v1/lessons/{id}/translations/{locale}"),
    ("PATCH", "/api/v1/modules/{id}"),
    ("DELETE", "/api/v1/modules/{id}"),
    ("POST", "/api/v1/modules/{id}/lessons"),
    ("PUT", "/api/v1/modules/{id}/lessons/order"),
    ("GET", "/api/v1/lessons/{id}"),
    ("PATCH", "/api/v1/lessons/{id}"),
    ("DELETE", "/api/v1/lessons/{id}"),
    ("POST", "/api/v1/lessons/{id}/file"),
    ("GET", "/api/v1/lessons/{id}/file"),
    ("POST", "/api/v1/lessons/{id}/completion"),
    ("POST", "/api/v1/offerings/{id}/enrolments"),
    ("POST", "/api/v1/offerings/{id}/enrolments/import"),
    ("GET", "/api/v1/offerings/{id}/my-enrolment"),
    ("GET", "/api/v1/offerings/{id}/roster"),
    ("GET", "/api/v1/offerings/{id}/roster.csv"),
    ("POST", "/api/v1/offerings/{id}/nominations"),
    ("GET", "/api/v1/me/enrolments"),
    ("GET", "/api/v1/enrolments/{id}"),
    ("GET", "/api/v1/enrolments/{id}/history"),
    ("POST", "/api/v1/enrolments/{id}/withdraw"),
    ("POST", "/api/v1/enrolments/{id}/{action}"),
    ("PUT", "/api/v1/enrolments/{id}/payment"),
    ("PUT", "/api/v1/enrolments/{id}/documents/{kind}"),
    ("GET", "/api/v1/enrolments/{id}/documents/{kind}"),
    ("GET", "/api/v1/staff/approvals"),
    ("GET", "/api/v1/sessions/{id}/attendance"),
    ("PUT", "/api/v1/sessions/{id}/attendance"),
    ("GET", "/api/v1/coordinator/people"),
    ("GET", "/api/v1/coordinator/people.csv"),
    ("GET", "/api/v1/coordinator/endorsements"),
    ("GET", "/api/v1/coordinator/members"),
    ("GET", "/api/v1/offerings/{id}/assignments"),
    ("POST", "/api/v1/offerings/{id}/assignments"),
    ("GET", "/api/v1/assignments/{id}"),
    ("PATCH", "/api/v1/assignments/{id}"),
    ("DELETE", "/api/v1/assignments/{id}"),
    ("PUT", "/api/v1/assignments/{id}/rubric"),
    ("POST", "/api/v1/assignments/{id}/release"),
    ("GET", "/api/v1/assignments/{id}/extensions"),
    ("PUT", "/api/v1/assignments/{id}/extensions/{enrolment_id}"),
    (
        "DELETE",
        "/api/v1/assignments/{id}/extensions/{enrolment_id}",
    ),
    ("POST", "/api/v1/assignments/{id}/submissions"),
    ("GET", "/api/v1/assignments/{id}/submissions"),
    ("GET", "/api/v1/submissions/{id}"),
    ("GET", "/api/v1/submissions/{id}/files/{file_id}"),
    ("GET", "/api/v1/offerings/{id}/grading-queue"),
    ("GET", "/api/v1/assignments/{id}/grades/{enrolment_id}"),
    ("PUT", "/api/v1/assignments/{id}/grades/{enrolment_id}"),
    ("POST", "/api/v1/assignments/{id}/grades/import"),
    (
        "POST",
        "/api/v1/assignments/{id}/grades/{enrolment_id}/files",
    ),
    ("GET", "/api/v1/grade-files/{id}"),
    ("DELETE", "/api/v1/grade-files/{id}"),
    ("GET", "/api/v1/offerings/{id}/gradebook"),
    ("GET", "/api/v1/offerings/{id}/gradebook.csv"),
    ("GET", "/api/v1/offerings/{id}/final-grades"),
    ("GET", "/api/v1/offerings/{id}/final-grades.csv"),
    ("GET", "/api/v1/enrolments/{id}/final-grade"),
    ("PUT", "/api/v1/enrolments/{id}/final-grade"),
    ("GET", "/api/v1/me/grades"),
    ("GET", "/api/v1/courses/{code}/questions"),
    ("POST", "/api/v1/courses/{code}/questions"),
    ("GET", "/api/v1/questions/{id}"),
    ("PATCH", "/api/v1/questions/{id}"),
    ("PUT", "/api/v1/questions/{id}/archived"),
    ("GET", "/api/v1/offerings/{id}/quizzes"),
    ("POST", "/api/v1/offerings/{id}/quizzes"),
    ("GET", "/api/v1/quizzes/{id}"),
    ("PATCH", "/api/v1/quizzes/{id}"),
    ("DELETE", "/api/v1/quizzes/{id}"),
    ("PUT", "/api/v1/quizzes/{id}/extensions/{enrolment_id}"),
    ("DELETE", "/api/v1/quizzes/{id}/extensions/{enrolment_id}"),
    ("GET", "/api/v1/quizzes/{id}/extensions"),
    ("GET", "/api/v1/quizzes/{id}/attempts"),
    ("POST", "/api/v1/quizzes/{id}/attempts"),
    ("GET", "/api/v1/quiz-attempts/{id}"),
    ("PUT", "/api/v1/quiz-attempts/{id}/answers/{position}"),
    ("POST", "/api/v1/quiz-attempts/{id}/submit"),
    (
        "PUT",
        "/api/v1/quiz-attempts/{id}/answers/{position}/points",
    ),
    ("GET", "/api/v1/offerings/{id}/certification"),
    ("PUT", "/api/v1/offerings/{id}/certification/settings"),
    ("GET", "/api/v1/offerings/{id}/certificates"),
    ("POST", "/api/v1/offerings/{id}/certificates"),
    ("GET", "/api/v1/offerings/{id}/certificates.csv"),
    ("GET", "/api/v1/offerings/{id}/certificates.zip"),
    ("GET", "/api/v1/certificates/{id}"),
    ("GET", "/api/v1/certificates/{id}/pdf"),
    ("GET", "/api/v1/certificates/{id}/badge"),
    ("POST", "/api/v1/certificates/{id}/reissue"),
    ("POST", "/api/v1/certificates/{id}/suspend"),
    ("POST", "/api/v1/certificates/{id}/reinstate"),
    ("POST", "/api/v1/certificates/{id}/revoke"),
    ("GET", "/api/v1/me/certificates"),
    ("GET", "/api/v1/coordinator/certificates"),
    ("GET", "/api/v1/coordinator/certificates.csv"),
    ("GET", "/api/v1/signatories"),
    ("POST", "/api/v1/signatories"),
    ("PUT", "/api/v1/signatories/{id}"),
    ("DELETE", "/api/v1/signatories/{id}"),
    ("GET", "/api/v1/signatories/{id}/signature"),
    ("PUT", "/api/v1/signatories/{id}/signature"),
    ("GET", "/api/v1/verify/{code}"),
    ("POST", "/api/v1/verification/document"),
    ("POST", "/api/v1/verification/badge"),
    ("GET", "/api/v1/credentials/{code}"),
    ("GET", "/api/v1/credentials/status/{purpose}"),
    ("GET", "/api/v1/issuer"),
    ("GET", "/.well-known/jwks.json"),
];

#[actix_web::test]
async fn the_openapi_document_lists_every_route_and_every_listed_route_answers() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let doc: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    documented.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    expected.sort();
    assert_eq!(documented, expected);

    for (method, path) in ROUTES {
        let path = path
            .replace("{id}", "1")
            .replace("{action}", "admit")
            .replace("{kind}", "cv")
            .replace("{enrolment_id}", "1")
            .replace("{file_id}", "1")
            .replace("{position}", "0")
            .replace("{purpose}", "revocation")
            .replace("{code}", "PEN-201");
        let url = format!("{}{}", app.base, path);
        let res = app
            .client
            .request(method.parse().unwrap(), url)
            .send()
            .await
            .unwrap();
        let status = res.status();
        let body: Value = res.json().await.unwrap_or(Value::Null);
        assert!(
            !matches!(
                body["code"].as_str(),
                Some("not_found" | "method_not_allowed")
            ),
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
    // Every operation that needs a token documents the 401 it may answer.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if operation["security"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
            {
                assert!(
                    operation["responses"]["401"].is_object(),
                    "{method} {path} lacks its 401"
                );
            }
        }
    }
    // Operations carry their schemas.
    assert!(doc["components"]["schemas"]["User"].is_object());
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// The error catalogue in `docs/api.md` lists every problem code with its status and
/// every field code, so a client developer never meets an undocumented code.
#[test]
fn the_api_guide_lists_every_problem_and_field_code() {
    let guide = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api.md"),
    )
    .expect("read docs/api.md");
    for code in aula_core::ErrorCode::ALL {
        let row = format!("| `{}` | {}", code.as_str(), code.status());
        assert!(
            guide.contains(&row),
            "docs/api.md has no row `{row} …` for the problem code"
        );
    }
    for code in aula_core::FieldCode::ALL {
        assert!(
            guide.contains(&format!("| `{}`", code.as_str()))
                || guide.contains(&format!(", `{}`", code.as_str())),
            "docs/api.md does not list the field code `{}`",
            code.as_str()
        );
    }
}
