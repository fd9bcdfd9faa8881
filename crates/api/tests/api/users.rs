//! Administration of people and institutions, and who may see what.

use crate::common;

use aula_identity::Role;
use common::{assert_problem, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

#[actix_web::test]
async fn admins_page_through_and_search_users() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    for i in 0..24 {
        app.create_user(
            &format!("person{i:02}@imss.gob.mx"),
            &format!("Persona {i:02}"),
            &[Role::Student],
        );
    }
    let page: Value = app
        .get_as("/users?page=2&per_page=10", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            page["total"].as_i64(),
            page["page"].as_i64(),
            page["per_page"].as_i64()
        ),
        (Some(25), Some(2), Some(10))
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 10);
    let last: Value = app
        .get_as("/users?page=3&per_page=10", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(last["items"].as_array().unwrap().len(), 5);
    // The document bounds a page to 1..=100 items; outside that, the query is refused.
    for bad in ["per_page=1000", "per_page=0", "page=0"] {
        assert_problem(
            app.get_as(&format!("/users?{bad}"), &admin).await,
            StatusCode::BAD_REQUEST,
            "invalid_query",
        )
        .await;
    }
    let most: Value = app
        .get_as("/users?per_page=100", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(most["per_page"], 100);

    let found: Value = app
        .get_as("/users?q=PERSON1", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 10);
    let wildcard: Value = app
        .get_as("/users?q=%25", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        wildcard["total"], 0,
        "a % in the search is a character, not a wildcard"
    );
    let admins: Value = app
        .get_as("/users?role=admin", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(admins["total"], 1);
    let body = assert_problem(
        app.get_as("/users?role=king", &admin).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "role");
}

#[actix_web::test]
async fn people_who_are_not_admins_cannot_list_or_read_others() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (me, student) = app
        .token_for("student@demo.test", "Student", &[Role::Student])
        .await;
    let other = app.create_user("other@demo.test", "Other", &[Role::Student]);
    assert_problem(
        app.get_as("/users", &student).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let body = assert_problem(
        app.get_as(&format!("/users/{}", other.id), &student).await,
        StatusCode::NOT_FOUND,
        "user_not_found",
    )
    .await;
    assert!(body.get("email").is_none() && !body.to_string().contains("other@demo.test"));
    assert_eq!(
        app.get_as(&format!("/users/{}", me.id), &student)
            .await
            .status(),
        StatusCode::OK
    );
    let res = app
        .patch_as(
            &format!("/users/{}", other.id),
            &student,
            json!({"status": "disabled"}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
    let res = app
        .patch_as(
            &format!("/users/{}", me.id),
            &student,
            json!({"roles": ["admin"]}),
        )
        .await;
    assert_problem(res, StatusCode::FORBIDDEN, "forbidden").await;
}

#[actix_web::test]
async fn an_admin_grants_roles_but_cannot_lock_themselves_out() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (me, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let teacher = app.create_user("teacher@demo.test", "Teacher", &[Role::Student]);
    let res = app
        .patch_as(
            &format!("/users/{}", teacher.id),
            &admin,
            json!({"roles": ["student", "instructor", "instructor"]}),
        )
        .await;
    let user: Value = res.json().await.unwrap();
    assert_eq!(user["roles"], json!(["instructor", "student"]));
    let res = app
        .patch_as(
            &format!("/users/{}", teacher.id),
            &admin,
            json!({"roles": []}),
        )
        .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "roles");

    let res = app
        .patch_as(
            &format!("/users/{}", me.id),
            &admin,
            json!({"roles": ["student"]}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "self_lockout").await;
    let res = app
        .patch_as(
            &format!("/users/{}", me.id),
            &admin,
            json!({"status": "disabled"}),
        )
        .await;
    assert_problem(res, StatusCode::CONFLICT, "self_lockout").await;
    let res = app
        .patch_as("/users/999999", &admin, json!({"status": "disabled"}))
        .await;
    assert_problem(res, StatusCode::NOT_FOUND, "user_not_found").await;
}

#[actix_web::test]
async fn institutions_are_public_to_read_and_admin_only_to_write() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let (_, admin) = app
        .token_for("admin@demo.test", "Admin", &[Role::Admin])
        .await;
    let (_, student) = app
        .token_for("student@demo.test", "Student", &[Role::Student])
        .await;
    let imss = json!({"name": "Instituto Mexicano del Seguro Social", "acronym": "IMSS", "country": "mx", "membership_category": "titular"});

    assert_problem(
        app.post_as("/institutions", &student, imss.clone()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post("/institutions", imss.clone()).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let res = app.post_as("/institutions", &admin, imss.clone()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["country"], "MX");

    let duplicate = json!({"name": "Otro", "acronym": "imss", "country": "MX", "membership_category": "titular"});
    let body = assert_problem(
        app.post_as("/institutions", &admin, duplicate).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "acronym");
    assert_eq!(body["errors"][0]["code"], "taken");
    let bad = json!({"name": "X", "acronym": "A B", "country": "ZZ", "membership_category": "vip"});
    let body = assert_problem(
        app.post_as("/institutions", &admin, bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let codes: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["too_short", "invalid", "invalid_country", "invalid_choice"]
    );

    let id = created["id"].as_i64().unwrap();
    let res = app
        .patch_as(
            &format!("/institutions/{id}"),
            &admin,
            json!({"membership_category": "asociado"}),
        )
        .await;
    let edited: Value = res.json().await.unwrap();
    assert_eq!(
        (
            edited["membership_category"].as_str(),
            edited["acronym"].as_str()
        ),
        (Some("asociado"), Some("IMSS"))
    );

    let list: Value = app
        .client
        .get(app.url("/institutions?q=seguro"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["acronym"], "IMSS");
    assert_problem(
        app.client
            .get(app.url("/institutions/4242"))
            .send()
            .await
            .unwrap(),
        StatusCode::NOT_FOUND,
        "institution_not_found",
    )
    .await;
}

#[actix_web::test]
async fn registering_with_an_unknown_institution_is_a_field_error() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let res = app
        .post("/auth/register", json!({"email": "a@b.org", "password": common::PASSWORD, "full_name": "A", "institution_id": 77}))
        .await;
    let body = assert_problem(res, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "institution_id");
}
