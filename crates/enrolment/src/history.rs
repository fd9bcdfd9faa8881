//! The append-only history of an enrolment, and the mail each change sends.

use std::collections::HashMap;

use aula_catalog::admission::offering_summaries;
use aula_core::Locale;
use aula_db::{schema::enrolment_events, DbConnection};
use aula_identity::{users, User};
use aula_mail::Mail;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{error::Result, model::State, record::Row, service::Admissions};

/// One state change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub at: NaiveDateTime,
    /// Who made the change; `null` for the system (a waitlist promotion).
    pub actor: Option<crate::view::PersonRef>,
    /// `null` for the first entry.
    pub from: Option<State>,
    pub to: State,
    pub reason: Option<String>,
}

/// What a change is recorded with.
pub(crate) struct Change<'a> {
    pub actor: Option<i64>,
    pub from: Option<State>,
    pub to: State,
    pub reason: Option<&'a str>,
}

/// Appends the change to the history and queues the learner's mail (and, when the
/// application now waits for endorsement, the coordinators' mail), in the caller's
/// transaction: either all happen with the change or none does.
pub(crate) fn record(
    conn: &mut DbConnection,
    svc: &Admissions,
    row: &Row,
    change: &Change<'_>,
    now: NaiveDateTime,
) -> Result<()> {
    diesel::insert_into(enrolment_events::table)
        .values((
            enrolment_events::enrolment_id.eq(row.id),
            enrolment_events::actor_id.eq(change.actor),
            enrolment_events::from_state.eq(change.from.map(State::as_str)),
            enrolment_events::to_state.eq(change.to.as_str()),
            enrolment_events::reason.eq(change.reason),
            enrolment_events::at.eq(now),
        ))
        .execute(conn)?;
    let learner = users::get(conn, row.user_id)?;
    let (course_title, dates) = course_and_dates(conn, row.offering_id, learner.locale)?;
    let mail = Mail::EnrolmentChanged {
        full_name: learner.full_name.clone(),
        course_title,
        dates,
        state: change.to.as_str().to_owned(),
        reason: change.reason.map(str::to_owned),
        link: svc.learning_link(),
    };
    // Unless the learner declined enrolment news in their profile.
    users::send_mail(conn, now, &learner, &mail)?;
    if change.to == State::PendingEndorsement {
        ask_for_endorsement(conn, svc, row, &learner, now)?;
    }
    Ok(())
}

/// Tells every active coordinator of the learner's institution (but the learner) that
/// the application waits for their endorsement, each in their own language.
fn ask_for_endorsement(
    conn: &mut DbConnection,
    svc: &Admissions,
    row: &Row,
    learner: &User,
    now: NaiveDateTime,
) -> Result<()> {
    let Some(institution_id) = row.institution_id else {
        return Ok(());
    };
    let mut texts: HashMap<Locale, (String, String)> = HashMap::new();
    for coordinator in users::coordinators_of(conn, institution_id)? {
        if coordinator.id == learner.id {
            continue;
        }
        let (course_title, dates) = match texts.get(&coordinator.locale) {
            Some(known) => known.clone(),
            None => {
                let found = course_and_dates(conn, row.offering_id, coordinator.locale)?;
                texts.insert(coordinator.locale, found.clone());
                found
            }
        };
        let mail = Mail::EndorsementRequested {
            full_name: coordinator.full_name.clone(),
            applicant: learner.full_name.clone(),
            course_title,
            dates,
            link: svc.endorsements_link(),
        };
        users::send_mail(conn, now, &coordinator, &mail)?;
    }
    Ok(())
}

/// The offering's course title in `locale` and its dates, for a mail.
fn course_and_dates(
    conn: &mut DbConnection,
    offering_id: i64,
    locale: Locale,
) -> Result<(String, String)> {
    let offering = offering_summaries(conn, &[offering_id], Some(locale))?.remove(&offering_id);
    Ok(offering
        .map(|o| (o.course_title, format!("{} – {}", o.start_date, o.end_date)))
        .unwrap_or_default())
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = enrolment_events, check_for_backend(diesel::pg::Pg, diesel::sqlite::Sqlite))]
struct EventRow {
    at: NaiveDateTime,
    actor_id: Option<i64>,
    from_state: Option<State>,
    to_state: State,
    reason: Option<String>,
}

/// The history of one enrolment, oldest first.
pub(crate) fn of(conn: &mut DbConnection, enrolment_id: i64) -> Result<Vec<Event>> {
    let rows: Vec<EventRow> = enrolment_events::table
        .filter(enrolment_events::enrolment_id.eq(enrolment_id))
        .select(EventRow::as_select())
        .order(enrolment_events::id.asc())
        .load(conn)?;
    let mut actor_ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let actors = users::by_ids(conn, &actor_ids)?;
    Ok(rows
        .into_iter()
        .map(|row| Event {
            at: row.at,
            actor: row
                .actor_id
                .and_then(|id| actors.get(&id))
                .map(crate::view::PersonRef::of),
            from: row.from_state,
            to: row.to_state,
            reason: row.reason,
        })
        .collect())
}
