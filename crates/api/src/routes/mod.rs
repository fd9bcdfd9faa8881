//! One module per resource; handlers parse, call one domain function, shape the answer.

pub mod auth;
pub mod calendar_feeds;
pub mod content;
pub mod courses;
pub mod enrolments;
pub mod health;
pub mod institutions;
pub mod me;
pub mod offerings;
mod reader;
pub mod rosters;
pub mod topics;
pub mod translations;
pub mod users;

use actix_web::{http::header, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;

/// Every `/api/v1` route. Registered through `utoipa_actix_web`, so each one is in the
/// OpenAPI document by construction.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(crate::openapi::document)
        .service(auth::register)
        .service(auth::verify_email)
        .service(auth::resend_verification)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::password_reset)
        .service(auth::password_reset_confirm)
        .service(me::get_me)
        .service(me::update_me)
        .service(calendar_feeds::get_calendar_feed)
        .service(calendar_feeds::create_calendar_feed)
        .service(calendar_feeds::delete_calendar_feed)
        .service(calendar_feeds::get_personal_calendar)
        .service(me::change_password)
        .service(institutions::list)
        .service(institutions::get)
        .service(institutions::create)
        .service(institutions::update)
        .service(users::list)
        .service(users::create)
        .service(users::get)
        .service(users::update)
        .service(topics::list)
        .service(topics::create)
        .service(courses::list)
        .service(courses::create)
        .service(courses::get)
        .service(courses::update)
        .service(courses::put_translation)
        .service(courses::publish)
        .service(courses::archive)
        .service(courses::request_review)
        .service(courses::send_back)
        .service(courses::review_queue)
        .service(offerings::list_for_course)
        .service(offerings::create)
        .service(offerings::get)
        .service(offerings::update)
        .service(offerings::delete)
        .service(offerings::calendar)
        .service(offerings::create_session)
        .service(offerings::update_session)
        .service(offerings::delete_session)
        .service(translations::put_session_translation)
        .service(content::outline)
        .service(content::create_module)
        .service(content::reorder_modules)
        .service(content::rename_module)
        .service(content::delete_module)
        .service(content::create_lesson)
        .service(content::reorder_lessons)
        .service(content::get_lesson)
        .service(content::update_lesson)
        .service(content::delete_lesson)
        .service(content::upload_file)
        .service(content::download_file)
        .service(translations::put_module_translation)
        .service(translations::put_lesson_translation)
        .service(enrolments::apply)
        .service(enrolments::mine_in)
        .service(enrolments::mine)
        .service(enrolments::get)
        .service(enrolments::history)
        .service(enrolments::withdraw)
        .service(enrolments::payment)
        .service(enrolments::upload_document)
        .service(enrolments::download_document)
        .service(enrolments::decide)
        .service(enrolments::complete_lesson)
        .service(rosters::roster)
        .service(rosters::roster_csv)
        .service(rosters::approvals)
        .service(rosters::import_csv)
        .service(rosters::attendance_sheet)
        .service(rosters::record_attendance)
        .service(rosters::people)
        .service(rosters::people_csv)
        .service(rosters::endorsements)
        .service(rosters::members)
        .service(rosters::nominate);
}

/// A download that the browser saves rather than renders.
pub(crate) fn attachment(name: &str, content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\""),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}
