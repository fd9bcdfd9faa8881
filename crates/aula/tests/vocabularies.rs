//! Every closed vocabulary stored as text allows exactly the values its column's
//! `CHECK (… IN (…))` allows, so neither side can gain a value the other refuses.

use aula_assessment::{LatePolicy, MissingWork, PartialCredit, QuestionKind, Scoring};
use aula_catalog::model::{
    AdmissionPolicy, CourseStatus, LessonKind, Level, Modality, ProgrammeType,
};
use aula_certification::{model::Action, Kind, Status};
use aula_core::Locale;
use aula_db::{catalogue::Catalogue, testing::TestDb};
use aula_enrolment::{AttendanceStatus, DocumentKind, PaymentStatus, State};
use aula_identity::{MembershipCategory, Role, UserStatus};

fn texts<T: Copy>(all: &[T], text: fn(T) -> &'static str) -> Vec<String> {
    let mut out: Vec<String> = all.iter().map(|v| text(*v).to_owned()).collect();
    out.sort();
    out
}

/// (table, column, the enum's texts) for every text column with a closed vocabulary.
fn stored_vocabularies() -> Vec<(&'static str, &'static str, Vec<String>)> {
    let locales = texts(&Locale::ALL, Locale::as_str);
    vec![
        ("users", "locale", locales.clone()),
        ("courses", "primary_language", locales.clone()),
        ("course_translations", "locale", locales.clone()),
        ("course_languages", "locale", locales.clone()),
        ("module_translations", "locale", locales.clone()),
        ("lesson_translations", "locale", locales.clone()),
        ("session_translations", "locale", locales.clone()),
        ("question_texts", "locale", locales.clone()),
        ("question_choices", "locale", locales),
        (
            "users",
            "status",
            texts(UserStatus::ALL, UserStatus::as_str),
        ),
        ("user_roles", "role", texts(Role::ALL, Role::as_str)),
        (
            "institutions",
            "membership_category",
            texts(MembershipCategory::ALL, MembershipCategory::as_str),
        ),
        (
            "courses",
            "programme_type",
            texts(ProgrammeType::ALL, ProgrammeType::as_str),
        ),
        (
            "courses",
            "modality",
            texts(Modality::ALL, Modality::as_str),
        ),
        ("courses", "level", texts(Level::ALL, Level::as_str)),
        (
            "courses",
            "status",
            texts(CourseStatus::ALL, CourseStatus::as_str),
        ),
        (
            "offerings",
            "admission_policy",
            texts(AdmissionPolicy::ALL, AdmissionPolicy::as_str),
        ),
        (
            "lessons",
            "kind",
            texts(LessonKind::ALL, LessonKind::as_str),
        ),
        ("enrolments", "state", texts(State::ALL, State::as_str)),
        (
            "enrolment_events",
            "from_state",
            texts(State::ALL, State::as_str),
        ),
        (
            "enrolment_events",
            "to_state",
            texts(State::ALL, State::as_str),
        ),
        (
            "enrolments",
            "payment_status",
            texts(PaymentStatus::ALL, PaymentStatus::as_str),
        ),
        (
            "enrolment_payments",
            "status",
            texts(PaymentStatus::ALL, PaymentStatus::as_str),
        ),
        (
            "enrolment_documents",
            "kind",
            texts(DocumentKind::ALL, DocumentKind::as_str),
        ),
        (
            "attendance",
            "status",
            texts(AttendanceStatus::ALL, AttendanceStatus::as_str),
        ),
        (
            "assignments",
            "late_policy",
            texts(LatePolicy::ALL, LatePolicy::as_str),
        ),
        (
            "assignments",
            "missing_work",
            texts(MissingWork::ALL, MissingWork::as_str),
        ),
        (
            "quizzes",
            "missing_work",
            texts(MissingWork::ALL, MissingWork::as_str),
        ),
        ("quizzes", "scoring", texts(Scoring::ALL, Scoring::as_str)),
        (
            "questions",
            "kind",
            texts(QuestionKind::ALL, QuestionKind::as_str),
        ),
        (
            "questions",
            "partial_credit",
            texts(PartialCredit::ALL, PartialCredit::as_str),
        ),
        ("certificates", "kind", texts(Kind::ALL, Kind::as_str)),
        ("certificates", "status", texts(Status::ALL, Status::as_str)),
        (
            "certificates",
            "locale",
            texts(&Locale::ALL, Locale::as_str),
        ),
        (
            "certificate_events",
            "action",
            texts(Action::ALL, Action::as_str),
        ),
    ]
}

/// Vocabularies kept by hand-written enums private to their crates.
const PRIVATE_VOCABULARIES: &[(&str, &str)] = &[
    ("mail_outbox", "status"),
    ("one_time_tokens", "purpose"),
    ("jobs", "status"),
    ("signatories", "signature_type"),
];

fn catalogue() -> Option<Catalogue> {
    let db = TestDb::new()?;
    let mut conn = db.conn();
    Some(Catalogue::read(&mut conn).expect("read the catalogue"))
}

#[test]
fn each_stored_vocabulary_equals_its_columns_check_list() {
    let Some(catalogue) = catalogue() else { return };
    for (table, column, values) in stored_vocabularies() {
        let checked = catalogue
            .check_values(table, column)
            .unwrap_or_else(|| panic!("{table}.{column} has no CHECK (… IN (…))"));
        assert_eq!(checked, values.as_slice(), "{table}.{column}");
    }
}

#[test]
fn every_checked_value_list_belongs_to_a_vocabulary() {
    let Some(catalogue) = catalogue() else { return };
    let known: Vec<(&str, &str)> = stored_vocabularies()
        .into_iter()
        .map(|(table, column, _)| (table, column))
        .chain(PRIVATE_VOCABULARIES.iter().copied())
        .collect();
    for (table, t) in &catalogue.tables {
        for column in t.checks.keys() {
            assert!(
                known.contains(&(table.as_str(), column.as_str())),
                "{table}.{column} has a CHECK value list but no vocabulary in this test"
            );
        }
    }
}
