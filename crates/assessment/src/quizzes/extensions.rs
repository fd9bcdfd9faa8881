//! Extra attempts or a later close for one person, with the reason.

use std::collections::HashMap;

use aula_core::{FieldCode, Validation};
use aula_db::{schema::quiz_extensions as ext, DbConnection};
use aula_identity::User;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::staff;
use crate::{
    access,
    error::{AssessmentError, Result},
    service::Assessment,
};

/// One more attempt and/or a later close for one person.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct QuizExtensionInput {
    /// Attempts on top of the quiz's (0–20).
    #[serde(default)]
    pub extra_attempts: i32,
    /// RFC 3339; after the quiz's own close.
    pub closes_at: Option<DateTime<Utc>>,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuizExtension {
    pub enrolment_id: i64,
    pub extra_attempts: i32,
    #[serde(serialize_with = "aula_core::utc::serialize_option")]
    pub closes_at: Option<NaiveDateTime>,
    pub reason: String,
}

/// A person's extra attempts and later close, if granted.
pub(crate) type Terms = (i32, Option<NaiveDateTime>);

/// Personal terms per (quiz, enrolment).
pub(crate) fn extensions_of(
    conn: &mut DbConnection,
    quiz_ids: &[i64],
) -> Result<HashMap<(i64, i64), Terms>> {
    let rows: Vec<(i64, i64, i32, Option<NaiveDateTime>)> = ext::table
        .filter(ext::quiz_id.eq_any(quiz_ids))
        .select((
            ext::quiz_id,
            ext::enrolment_id,
            ext::extra_attempts,
            ext::closes_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(q, e, n, c)| ((q, e), (n, c)))
        .collect())
}

/// Staff grant (or change) one learner's extra attempts or later close.
pub fn grant_extension(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    quiz_id: i64,
    enrolment_id: i64,
    input: &QuizExtensionInput,
) -> Result<QuizExtension> {
    let (row, _) = staff(conn, actor, quiz_id)?;
    access::seat_in(conn, row.offering_id, enrolment_id)?;
    let mut v = Validation::new();
    if !(0..=20).contains(&input.extra_attempts) {
        v.add("extra_attempts", FieldCode::OutOfRange);
    }
    let closes_at = input.closes_at.map(|c| c.naive_utc());
    if closes_at.is_some_and(|c| c <= row.closes_at) {
        v.add("closes_at", FieldCode::BeforeStart);
    }
    if input.extra_attempts == 0 && closes_at.is_none() {
        v.add("extra_attempts", FieldCode::Required);
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        v.add("reason", FieldCode::Required);
    } else if reason.chars().count() > 500 {
        v.add("reason", FieldCode::TooLong);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    aula_db::transaction(conn, |conn| {
        diesel::delete(
            ext::table
                .filter(ext::quiz_id.eq(quiz_id))
                .filter(ext::enrolment_id.eq(enrolment_id)),
        )
        .execute(conn)?;
        diesel::insert_into(ext::table)
            .values((
                ext::quiz_id.eq(quiz_id),
                ext::enrolment_id.eq(enrolment_id),
                ext::extra_attempts.eq(input.extra_attempts),
                ext::closes_at.eq(closes_at),
                ext::reason.eq(reason),
                ext::granted_by.eq(actor.id),
                ext::granted_at.eq(svc.now()),
            ))
            .execute(conn)?;
        Ok::<_, AssessmentError>(())
    })?;
    Ok(QuizExtension {
        enrolment_id,
        extra_attempts: input.extra_attempts,
        closes_at,
        reason: reason.to_owned(),
    })
}

/// Every extension granted on the quiz (its staff), oldest first.
pub fn list_extensions(
    conn: &mut DbConnection,
    actor: &User,
    quiz_id: i64,
) -> Result<Vec<QuizExtension>> {
    staff(conn, actor, quiz_id)?;
    let rows: Vec<(i64, i32, Option<NaiveDateTime>, String)> = ext::table
        .filter(ext::quiz_id.eq(quiz_id))
        .order(ext::granted_at.asc())
        .select((
            ext::enrolment_id,
            ext::extra_attempts,
            ext::closes_at,
            ext::reason,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(enrolment_id, extra_attempts, closes_at, reason)| QuizExtension {
                enrolment_id,
                extra_attempts,
                closes_at,
                reason,
            },
        )
        .collect())
}

/// Staff withdraw one person's extension; attempts already made stay.
pub fn revoke_extension(
    conn: &mut DbConnection,
    actor: &User,
    quiz_id: i64,
    enrolment_id: i64,
) -> Result<()> {
    staff(conn, actor, quiz_id)?;
    diesel::delete(
        ext::table
            .filter(ext::quiz_id.eq(quiz_id))
            .filter(ext::enrolment_id.eq(enrolment_id)),
    )
    .execute(conn)?;
    Ok(())
}
