//! The HTTP API over a real server and database, per test (`AULA_TEST_BACKEND=sqlite|postgres`).
//! One binary, so the shared helpers compile once.

mod assessment_fixtures;
mod assessment_grading;
mod assessment_submissions;
mod auth;
mod catalog_content;
mod catalog_courses;
mod catalog_fixtures;
mod catalog_offerings;
mod catalog_permissions;
mod catalog_publication;
mod common;
mod content_translations;
mod control_characters;
mod conventions;
mod enrolment_actions;
mod enrolment_admission;
mod enrolment_concurrency;
mod enrolment_coordinator;
mod enrolment_endorsement;
mod enrolment_fees;
mod enrolment_fixtures;
mod enrolment_import;
mod enrolment_progress;
mod enrolment_seats;
mod enrolment_views;
mod file_names;
mod former_instructor;
mod mail_delivery;
mod offering_changes;
mod openapi_document;
mod profile;
mod session_joining;
mod uploads;
mod users;
mod web_ui;
