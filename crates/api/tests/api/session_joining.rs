//! Joining sessions: rooms and places are for the people holding a seat (and staff),
//! never in the public calendar; each learner may have a secret calendar address.

use aula_core::Clock;
use chrono::{Duration, NaiveDateTime};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::{
    catalog_fixtures::get,
    common::{assert_problem, TestApp, PASSWORD},
    enrolment_fixtures::{apply, learner, ok_json, Centre, COURSE},
};

const ROOM: &str = "https://aula.ciess.org/sala/1";
const SESSION_ROOM: &str = "https://meet.ciess.org/clase-1";

async fn session(app: &TestApp, token: &str, offering: i64, starts: NaiveDateTime) -> Value {
    let starts = starts.and_utc();
    let res = app
        .post_as(
            &format!("/offerings/{offering}/sessions"),
            token,
            json!({"title": "Clase inaugural", "starts_at": starts.to_rfc3339(),
                   "ends_at": (starts + Duration::hours(2)).to_rfc3339(),
                   "place": "Sala 3, CIESS", "link": SESSION_ROOM}),
        )
        .await;
    ok_json(res, StatusCode::CREATED, "add a session").await
}

async fn offering_as(app: &TestApp, token: Option<&str>, id: i64) -> Value {
    let path = format!("/offerings/{id}");
    let res = match token {
        Some(token) => app.get_as(&path, token).await,
        None => get(app, &path).await,
    };
    ok_json(res, StatusCode::OK, "read the offering").await
}

fn shows_rooms(offering: &Value) -> bool {
    let session = &offering["sessions"][0];
    let shown = [
        offering["online_link"].is_string(),
        session["link"].is_string(),
        session["place"].is_string(),
    ];
    assert!(
        shown.iter().all(|s| *s) || shown.iter().all(|s| !*s),
        "all or nothing: {offering}"
    );
    assert_eq!(offering["participant"].as_bool(), Some(shown[0]));
    shown[0]
}

#[actix_web::test]
async fn rooms_and_places_are_shown_to_seat_holders_and_staff_only() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let now = app.clock.now();
    let offering = centre.offering(&app, json!({})).await;
    let other = centre.offering(&app, json!({})).await;
    session(&app, &centre.instructor, offering, now + Duration::days(11)).await;
    session(&app, &centre.instructor, other, now + Duration::days(11)).await;
    let (_, seated) = learner(&app, "ana@example.org", "Ana", None);
    let (_, elsewhere) = learner(&app, "bruno@example.org", "Bruno", None);
    let (_, stranger) = learner(&app, "carla@example.org", "Carla", None);
    assert_eq!(apply(&app, &seated, offering).await["state"], "enrolled");
    // A seat in another edition of the same course opens only that edition's rooms.
    assert_eq!(apply(&app, &elsewhere, other).await["state"], "enrolled");

    assert!(!shows_rooms(&offering_as(&app, None, offering).await));
    assert!(!shows_rooms(
        &offering_as(&app, Some(&stranger), offering).await
    ));
    assert!(!shows_rooms(
        &offering_as(&app, Some(&elsewhere), offering).await
    ));
    assert!(shows_rooms(
        &offering_as(&app, Some(&elsewhere), other).await
    ));
    assert!(shows_rooms(
        &offering_as(&app, Some(&seated), offering).await
    ));
    assert!(shows_rooms(
        &offering_as(&app, Some(&centre.instructor), offering).await
    ));

    let list = ok_json(
        get(&app, &format!("/courses/{COURSE}/offerings")).await,
        StatusCode::OK,
        "list editions",
    )
    .await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|o| o["online_link"].is_null()));

    let ics = get(&app, &format!("/offerings/{offering}/calendar.ics"))
        .await
        .text()
        .await
        .unwrap();
    assert!(ics.contains("Clase inaugural"), "{ics}");
    for secret in [
        "ciess.org/sala",
        "meet.ciess.org",
        "Sala 3",
        "URL",
        "LOCATION",
    ] {
        assert!(
            !ics.contains(secret),
            "the public calendar shows {secret}: {ics}"
        );
    }
}

#[actix_web::test]
async fn my_learning_offers_to_join_within_the_hour_before_the_next_session() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let now = app.clock.now();
    let offering = centre.offering(&app, json!({})).await;
    session(&app, &centre.instructor, offering, now + Duration::hours(3)).await;
    let (ana, seated) = learner(&app, "ana@example.org", "Ana", None);
    apply(&app, &seated, offering).await;

    let mine = |token: String| {
        let app = &app;
        async move {
            let page = ok_json(
                app.get_as("/me/enrolments", &token).await,
                StatusCode::OK,
                "my learning",
            )
            .await;
            page["items"][0].clone()
        }
    };
    let first = mine(seated.clone()).await;
    assert_eq!(first["online_link"], ROOM);
    assert_eq!(first["next_session"]["link"], SESSION_ROOM);
    assert_eq!(first["next_session"]["place"], "Sala 3, CIESS");
    assert_eq!(
        first["next_session"]["joinable"], false,
        "three hours ahead"
    );

    app.clock.advance(Duration::minutes(2 * 60 + 5));
    let seated = app.mint_token(&ana);
    let soon = mine(seated.clone()).await;
    assert_eq!(soon["next_session"]["joinable"], true, "55 minutes ahead");

    app.clock.advance(Duration::hours(3));
    let seated = app.mint_token(&ana);
    let after = mine(seated).await;
    assert!(
        after["next_session"].is_null(),
        "the only session has ended"
    );
}

#[actix_web::test]
async fn a_personal_calendar_carries_ones_own_rooms_until_replaced_or_revoked() {
    let Some(app) = TestApp::spawn().await else {
        return;
    };
    let centre = Centre::open(&app).await;
    let now = app.clock.now();
    let mine = centre.offering(&app, json!({})).await;
    let not_mine = centre
        .offering(
            &app,
            json!({"online_link": "https://aula.ciess.org/sala/2"}),
        )
        .await;
    session(&app, &centre.instructor, mine, now + Duration::days(11)).await;
    let starts = (now + Duration::days(12)).and_utc();
    let res = app
        .post_as(
            &format!("/offerings/{not_mine}/sessions"),
            &centre.instructor,
            json!({"title": "Otra edición", "starts_at": starts.to_rfc3339(),
                   "ends_at": (starts + Duration::hours(1)).to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let (ana_user, ana) = learner(&app, "ana@example.org", "Ana", None);
    apply(&app, &ana, mine).await;

    let status = ok_json(
        app.get_as("/me/calendar-feed", &ana).await,
        StatusCode::OK,
        "feed",
    )
    .await;
    assert_eq!(status["active"], false);
    let created = ok_json(
        app.post_as("/me/calendar-feed", &ana, json!({})).await,
        StatusCode::CREATED,
        "create the feed",
    )
    .await;
    let url = created["url"].as_str().unwrap().to_owned();
    assert!(
        url.ends_with(".ics") && url.contains("/api/v1/calendar/"),
        "{url}"
    );

    // No bearer token: the secret address is the credential.
    let res = app.client.get(&url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let ics = res.text().await.unwrap();
    assert!(ics.contains("Clase inaugural"), "{ics}");
    assert!(ics.contains(SESSION_ROOM), "{ics}");
    assert!(ics.contains("Sala 3"), "{ics}");
    assert!(
        !ics.contains("Otra edición"),
        "only the learner's own sessions: {ics}"
    );
    let status = ok_json(
        app.get_as("/me/calendar-feed", &ana).await,
        StatusCode::OK,
        "feed",
    )
    .await;
    assert_eq!(status["active"], true);

    let replaced = ok_json(
        app.post_as("/me/calendar-feed", &ana, json!({})).await,
        StatusCode::CREATED,
        "replace the feed",
    )
    .await;
    let new_url = replaced["url"].as_str().unwrap().to_owned();
    assert_ne!(new_url, url);
    let old = app.client.get(&url).send().await.unwrap();
    assert_problem(old, StatusCode::NOT_FOUND, "calendar_feed_not_found").await;
    let res = app.client.get(&new_url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // Disabling the account closes its calendar too; enabling it opens it again.
    for (status, expected) in [
        ("disabled", StatusCode::NOT_FOUND),
        ("active", StatusCode::OK),
    ] {
        let res = app
            .patch_as(
                &format!("/users/{}", ana_user.id),
                &centre.admin,
                json!({ "status": status }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK, "set the account {status}");
        let res = app.client.get(&new_url).send().await.unwrap();
        assert_eq!(res.status(), expected, "the feed of a {status} account");
    }
    // Disabling ended Ana's sessions: she signs in again.
    let session = app.login("ana@example.org", PASSWORD).await;
    let ana = session["access_token"].as_str().unwrap().to_owned();

    let res = app.delete_as("/me/calendar-feed", &ana).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let revoked = app.client.get(&new_url).send().await.unwrap();
    assert_problem(revoked, StatusCode::NOT_FOUND, "calendar_feed_not_found").await;
    let status = ok_json(
        app.get_as("/me/calendar-feed", &ana).await,
        StatusCode::OK,
        "feed",
    )
    .await;
    assert_eq!(status["active"], false);
}
