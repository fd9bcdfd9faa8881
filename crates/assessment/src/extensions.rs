//! A later due date for one person (illness, connectivity), with the reason.

use std::collections::HashMap;

use aula_core::{FieldCode, Validation};
use aula_db::{schema::assignment_extensions as ext, DbConnection};
use aula_identity::User;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access,
    error::{AssessmentError, Result},
    service::Assessment,
};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ExtensionInput {
    /// RFC 3339; after the assignment's own due date.
    pub due_at: DateTime<Utc>,
    /// Why (kept with the extension).
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Extension {
    pub enrolment_id: i64,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub due_at: NaiveDateTime,
    pub reason: String,
    pub granted_by: i64,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub granted_at: NaiveDateTime,
}

type ExtRow = (i64, NaiveDateTime, String, i64, NaiveDateTime);

fn to_view((enrolment_id, due_at, reason, granted_by, granted_at): ExtRow) -> Extension {
    Extension {
        enrolment_id,
        due_at,
        reason,
        granted_by,
        granted_at,
    }
}

const COLUMNS: (
    ext::enrolment_id,
    ext::due_at,
    ext::reason,
    ext::granted_by,
    ext::granted_at,
) = (
    ext::enrolment_id,
    ext::due_at,
    ext::reason,
    ext::granted_by,
    ext::granted_at,
);

pub(crate) fn of(
    conn: &mut DbConnection,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<Option<Extension>> {
    Ok(ext::table
        .filter(ext::assignment_id.eq(assignment_id))
        .filter(ext::enrolment_id.eq(enrolment_id))
        .select(COLUMNS)
        .first::<ExtRow>(conn)
        .optional()?
        .map(to_view))
}

/// Personal due dates of many assignments, by (assignment, enrolment), in one query.
pub(crate) fn due_dates(
    conn: &mut DbConnection,
    assignment_ids: &[i64],
) -> Result<HashMap<(i64, i64), NaiveDateTime>> {
    let rows: Vec<(i64, i64, NaiveDateTime)> = ext::table
        .filter(ext::assignment_id.eq_any(assignment_ids))
        .select((ext::assignment_id, ext::enrolment_id, ext::due_at))
        .load(conn)?;
    Ok(rows.into_iter().map(|(a, e, d)| ((a, e), d)).collect())
}

/// Staff grant (or change) one learner's extension.
pub fn grant(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
    input: &ExtensionInput,
) -> Result<Extension> {
    let now = svc.now();
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    access::seat_in(conn, row.offering_id, enrolment_id)?;
    let mut v = Validation::new();
    let due_at = input.due_at.naive_utc();
    if due_at <= row.due_at {
        v.add("due_at", FieldCode::BeforeStart);
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
                .filter(ext::assignment_id.eq(assignment_id))
                .filter(ext::enrolment_id.eq(enrolment_id)),
        )
        .execute(conn)?;
        diesel::insert_into(ext::table)
            .values((
                ext::assignment_id.eq(assignment_id),
                ext::enrolment_id.eq(enrolment_id),
                ext::due_at.eq(due_at),
                ext::reason.eq(reason),
                ext::granted_by.eq(actor.id),
                ext::granted_at.eq(now),
            ))
            .execute(conn)?;
        Ok::<_, AssessmentError>(())
    })?;
    of(conn, assignment_id, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)
}

/// Staff withdraw an extension; the assignment's due date applies again.
pub fn revoke(
    conn: &mut DbConnection,
    actor: &User,
    assignment_id: i64,
    enrolment_id: i64,
) -> Result<()> {
    access::assignment_staff(conn, actor, assignment_id)?;
    diesel::delete(
        ext::table
            .filter(ext::assignment_id.eq(assignment_id))
            .filter(ext::enrolment_id.eq(enrolment_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// Every extension of the assignment (its staff).
pub fn list(conn: &mut DbConnection, actor: &User, assignment_id: i64) -> Result<Vec<Extension>> {
    access::assignment_staff(conn, actor, assignment_id)?;
    Ok(ext::table
        .filter(ext::assignment_id.eq(assignment_id))
        .order(ext::granted_at.asc())
        .select(COLUMNS)
        .load::<ExtRow>(conn)?
        .into_iter()
        .map(to_view)
        .collect())
}
