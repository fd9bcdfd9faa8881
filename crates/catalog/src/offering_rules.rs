//! The rules an offering's values obey, checked on the merged result of an edit.

use aula_core::{FieldCode, Validation};
use aula_db::schema::offerings;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::{model::AdmissionPolicy, offerings::OfferingInput, text::is_web_url};

/// Currencies fees may be charged in (ISO 4217).
const CURRENCIES: &[&str] = &[
    "USD", "EUR", "CAD", "MXN", "GTQ", "HNL", "NIO", "CRC", "PAB", "BZD", "DOP", "HTG", "CUP",
    "JMD", "TTD", "BBD", "BSD", "XCD", "COP", "VES", "PEN", "BOB", "CLP", "ARS", "UYU", "PYG",
    "BRL", "GYD", "SRD", "CHF", "GBP",
];

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = offerings, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
pub(crate) struct Values {
    pub(crate) course_id: i64,
    pub(crate) start_date: String,
    pub(crate) end_date: String,
    #[diesel(column_name = enrolment_opens_at)]
    pub(crate) opens: NaiveDateTime,
    #[diesel(column_name = enrolment_closes_at)]
    pub(crate) closes: NaiveDateTime,
    pub(crate) time_zone: String,
    pub(crate) capacity: i32,
    pub(crate) seats_taken: i32,
    #[diesel(column_name = admission_policy)]
    pub(crate) policy: AdmissionPolicy,
    #[diesel(column_name = institution_quota)]
    pub(crate) quota: Option<i32>,
    pub(crate) fee_member: i64,
    pub(crate) fee_non_member: i64,
    pub(crate) currency: String,
    pub(crate) venue: Option<String>,
    pub(crate) online_link: Option<String>,
    pub(crate) attendance_threshold: i32,
    pub(crate) pass_mark: i32,
    pub(crate) payment_required: bool,
}

pub(crate) fn merge(
    v: &mut Validation,
    base: Option<Values>,
    input: &OfferingInput,
    course_id: i64,
) -> Option<Values> {
    let creating = base.is_none();
    let need = |v: &mut Validation, field: &str, present: bool| {
        if creating && !present {
            v.add(field, FieldCode::Required);
        }
    };
    need(v, "start_date", input.start_date.is_some());
    need(v, "end_date", input.end_date.is_some());
    need(v, "enrolment_opens_at", input.enrolment_opens_at.is_some());
    need(
        v,
        "enrolment_closes_at",
        input.enrolment_closes_at.is_some(),
    );
    need(v, "time_zone", input.time_zone.is_some());
    need(v, "capacity", input.capacity.is_some());
    need(v, "admission_policy", input.admission_policy.is_some());
    need(v, "currency", input.currency.is_some());
    let epoch = NaiveDateTime::default();
    let mut m = base.unwrap_or(Values {
        course_id,
        start_date: String::new(),
        end_date: String::new(),
        opens: epoch,
        closes: epoch,
        time_zone: String::new(),
        capacity: 1,
        seats_taken: 0,
        policy: AdmissionPolicy::Open,
        quota: None,
        fee_member: 0,
        fee_non_member: 0,
        currency: String::new(),
        venue: None,
        online_link: None,
        attendance_threshold: 70,
        pass_mark: 70,
        payment_required: false,
    });
    if let Some(d) = input.start_date {
        m.start_date = d.format("%Y-%m-%d").to_string();
    }
    if let Some(d) = input.end_date {
        m.end_date = d.format("%Y-%m-%d").to_string();
    }
    if let Some(t) = input.enrolment_opens_at {
        m.opens = t.naive_utc();
    }
    if let Some(t) = input.enrolment_closes_at {
        m.closes = t.naive_utc();
    }
    if let Some(tz) = &input.time_zone {
        if tz.parse::<chrono_tz::Tz>().is_err() {
            v.add("time_zone", FieldCode::InvalidTimeZone);
        }
        m.time_zone = tz.clone();
    }
    if let Some(c) = input.capacity {
        m.capacity = c;
    }
    if let Some(p) = input.admission_policy {
        m.policy = p;
    }
    if let Some(q) = input.institution_quota {
        m.quota = (q != 0).then_some(q);
    }
    if let Some(f) = input.fee_member {
        m.fee_member = f;
    }
    if let Some(f) = input.fee_non_member {
        m.fee_non_member = f;
    }
    if let Some(c) = &input.currency {
        m.currency = c.trim().to_uppercase();
        if !CURRENCIES.contains(&m.currency.as_str()) {
            v.add("currency", FieldCode::InvalidCurrency);
        }
    }
    if let Some(venue) = &input.venue {
        let venue = venue.trim();
        if venue.chars().count() > 300 {
            v.add("venue", FieldCode::TooLong);
        }
        m.venue = (!venue.is_empty()).then(|| venue.to_owned());
    }
    if let Some(link) = &input.online_link {
        let link = link.trim();
        if !link.is_empty() && !is_web_url(link) {
            v.add("online_link", FieldCode::InvalidUrl);
        }
        m.online_link = (!link.is_empty()).then(|| link.to_owned());
    }
    if let Some(a) = input.attendance_threshold {
        m.attendance_threshold = a;
    }
    if let Some(p) = input.pass_mark {
        m.pass_mark = p;
    }
    if let Some(required) = input.payment_required {
        m.payment_required = required;
    }
    if m.capacity <= 0 {
        v.add("capacity", FieldCode::MustBePositive);
    } else if m.capacity < m.seats_taken {
        v.add("capacity", FieldCode::BelowSeatsTaken);
    }
    if m.quota.is_some_and(|q| q < 0) {
        v.add("institution_quota", FieldCode::MustBePositive);
    }
    if m.fee_member < 0 {
        v.add("fee_member", FieldCode::MustNotBeNegative);
    }
    if m.fee_non_member < 0 {
        v.add("fee_non_member", FieldCode::MustNotBeNegative);
    }
    if !(0..=100).contains(&m.attendance_threshold) {
        v.add("attendance_threshold", FieldCode::OutOfRange);
    }
    if !(0..=100).contains(&m.pass_mark) {
        v.add("pass_mark", FieldCode::OutOfRange);
    }
    if !m.start_date.is_empty() && !m.end_date.is_empty() && m.end_date < m.start_date {
        v.add("end_date", FieldCode::BeforeStart);
    }
    if m.opens != epoch && m.closes != epoch && m.closes <= m.opens {
        v.add("enrolment_closes_at", FieldCode::BeforeOpening);
    }
    Some(m)
}
