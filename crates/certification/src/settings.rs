//! How an offering certifies: automatic issue once eligible, and how long its
//! certificates stay valid.

use aula_core::FieldCode;
use aula_db::{schema::certification_settings, DbConnection};
use aula_identity::User;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    access::staff_offering,
    error::{CertificationError, Result},
    jobs,
    service::Certification,
};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Issue both kinds automatically to everyone who becomes eligible (checked every
    /// few minutes in the background).
    pub auto_issue: bool,
    /// Months a certificate stays valid after issue (1–240); `null`: no expiry.
    #[schema(minimum = 1, maximum = 240)]
    pub validity_months: Option<i32>,
}

pub(crate) fn of(conn: &mut DbConnection, offering_id: i64) -> Result<Settings> {
    let row: Option<(bool, Option<i32>)> = certification_settings::table
        .find(offering_id)
        .select((
            certification_settings::auto_issue,
            certification_settings::validity_months,
        ))
        .first(conn)
        .optional()?;
    Ok(row
        .map(|(auto_issue, validity_months)| Settings {
            auto_issue,
            validity_months,
        })
        .unwrap_or_default())
}

/// Changes the offering's settings (its staff); turning automatic issue on starts
/// the background sweep at once.
pub fn update(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    offering_id: i64,
    input: Settings,
) -> Result<Settings> {
    if input
        .validity_months
        .is_some_and(|m| !(1..=240).contains(&m))
    {
        return Err(CertificationError::field(
            "validity_months",
            FieldCode::OutOfRange,
        ));
    }
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        staff_offering(conn, actor, offering_id)?;
        let values = (
            certification_settings::auto_issue.eq(input.auto_issue),
            certification_settings::validity_months.eq(input.validity_months),
            certification_settings::updated_by.eq(Some(actor.id)),
            certification_settings::updated_at.eq(now),
        );
        let updated = diesel::update(certification_settings::table.find(offering_id))
            .set(values)
            .execute(conn)?;
        if updated == 0 {
            let inserted = aula_db::transaction(conn, |conn| {
                diesel::insert_into(certification_settings::table)
                    .values((certification_settings::offering_id.eq(offering_id), values))
                    .execute(conn)
            });
            match inserted {
                // Someone saved first: ours is the later word.
                Err(e) if aula_db::is_unique_violation(&e) => {
                    diesel::update(certification_settings::table.find(offering_id))
                        .set(values)
                        .execute(conn)?;
                }
                other => {
                    other?;
                }
            }
        }
        if input.auto_issue {
            jobs::enqueue_sweep(conn, offering_id, now)?;
        }
        of(conn, offering_id)
    })
}

/// The settings for the offering's staff.
pub fn get(conn: &mut DbConnection, actor: &User, offering_id: i64) -> Result<Settings> {
    staff_offering(conn, actor, offering_id)?;
    of(conn, offering_id)
}
