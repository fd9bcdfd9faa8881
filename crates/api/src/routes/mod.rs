//! One module per resource; handlers parse, call one domain function, shape the answer.

pub mod assessment;
pub mod auth;
pub mod calendar_feeds;
pub mod certification;
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

use actix_web::{
    http::header::{
        self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
    },
    HttpResponse,
};
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
        .service(rosters::nominate)
        .service(assessment::assignments::list)
        .service(assessment::assignments::create)
        .service(assessment::assignments::get)
        .service(assessment::assignments::update)
        .service(assessment::assignments::remove)
        .service(assessment::assignments::put_rubric)
        .service(assessment::assignments::release)
        .service(assessment::assignments::list_extensions)
        .service(assessment::assignments::grant_extension)
        .service(assessment::assignments::revoke_extension)
        .service(assessment::submissions::submit)
        .service(assessment::submissions::list)
        .service(assessment::submissions::get)
        .service(assessment::submissions::file)
        .service(assessment::grading::get_queue)
        .service(assessment::grading::get)
        .service(assessment::grading::put)
        .service(assessment::grading::import_csv)
        .service(assessment::grading::attach_file)
        .service(assessment::grading::download_file)
        .service(assessment::grading::delete_file)
        .service(assessment::gradebook::get)
        .service(assessment::gradebook::export)
        .service(assessment::gradebook::final_grades)
        .service(assessment::gradebook::export_final_grades)
        .service(assessment::gradebook::get_final)
        .service(assessment::gradebook::put_final)
        .service(assessment::gradebook::mine)
        .service(assessment::quizzes::list_questions)
        .service(assessment::quizzes::create_question)
        .service(assessment::quizzes::get_question)
        .service(assessment::quizzes::update_question)
        .service(assessment::quizzes::archive_question)
        .service(assessment::quizzes::list)
        .service(assessment::quizzes::create)
        .service(assessment::quizzes::get)
        .service(assessment::quizzes::update)
        .service(assessment::quizzes::remove)
        .service(assessment::quizzes::grant_extension)
        .service(assessment::quizzes::list_extensions)
        .service(assessment::quizzes::revoke_extension)
        .service(assessment::quizzes::list_attempts)
        .service(assessment::quizzes::start)
        .service(assessment::quizzes::get_attempt)
        .service(assessment::quizzes::answer)
        .service(assessment::quizzes::submit)
        .service(assessment::quizzes::override_points)
        .service(certification::eligibility_report)
        .service(certification::put_settings)
        .service(certification::issue_certificates)
        .service(certification::list_for_offering)
        .service(certification::register)
        .service(certification::archive)
        .service(certification::get)
        .service(certification::pdf)
        .service(certification::badge)
        .service(certification::reissue)
        .service(certification::suspend)
        .service(certification::reinstate)
        .service(certification::revoke)
        .service(certification::mine)
        .service(certification::of_institution)
        .service(certification::institution_register)
        .service(certification::signatories::list)
        .service(certification::signatories::create)
        .service(certification::signatories::update)
        .service(certification::signatories::remove)
        .service(certification::signatories::put_signature)
        .service(certification::signatories::signature)
        .service(certification::public::by_code)
        .service(certification::public::by_document)
        .service(certification::public::by_badge)
        .service(certification::public::status_list)
        .service(certification::public::credential)
        .service(certification::public::issuer);
}

/// The `{locale}` of a translation route: one of the four languages, else a 422 that
/// names the field.
pub(crate) fn path_locale(text: &str) -> Result<aula_core::Locale, crate::error::ApiError> {
    text.parse().map_err(|_| {
        crate::error::ApiError::validation(vec![aula_core::FieldError {
            field: "locale".into(),
            code: aula_core::FieldCode::InvalidChoice,
        }])
    })
}

/// A download that the browser saves rather than renders, under `name` (RFC 6266:
/// an ASCII `filename` for old clients, the exact name in UTF-8 as `filename*`).
pub(crate) fn attachment(name: &str, content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header(content_disposition(name))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// A CSV download (UTF-8).
pub(crate) fn csv(name: &str, bytes: Vec<u8>) -> HttpResponse {
    attachment(name, "text/csv; charset=utf-8", bytes)
}

/// A file the browser may show in the page (a PDF or an image being graded), still
/// named for saving. The sandbox keeps a hostile file from running anything.
pub(crate) fn inline(name: &str, content_type: &str, bytes: Vec<u8>) -> HttpResponse {
    let mut disposition = content_disposition(name);
    disposition.disposition = DispositionType::Inline;
    HttpResponse::Ok()
        .content_type(content_type.to_owned())
        .insert_header(disposition)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

fn content_disposition(name: &str) -> ContentDisposition {
    let name = aula_core::clean_file_name(name, "download");
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(ascii.clone())];
    if ascii != name {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: name.into_bytes(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::content_disposition;

    #[test]
    fn a_download_keeps_its_unicode_name_with_an_ascii_fallback() {
        assert_eq!(
            content_disposition("cotización 1.pdf").to_string(),
            "attachment; filename=\"cotizaci_n 1.pdf\"; filename*=UTF-8''cotizaci%C3%B3n%201.pdf"
        );
        assert_eq!(
            content_disposition("roster.csv").to_string(),
            "attachment; filename=\"roster.csv\""
        );
        assert_eq!(
            content_disposition("..").to_string(),
            "attachment; filename=\"download\""
        );
    }
}
