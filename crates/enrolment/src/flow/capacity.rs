//! Changing an offering, whose capacity decides who holds a seat.

use aula_catalog::{
    admission::offering_facts,
    offerings::{self, Offering, OfferingInput},
};
use aula_db::DbConnection;
use aula_identity::User;

use crate::{error::Result, seats::promote, service::Admissions};

/// Changes an offering (its course's instructors and administrators) and, in the same
/// transaction, gives seats a larger capacity frees to the waitlist, first come first
/// served. The catalog locks the offering before it reads the seats taken, so no
/// application can slip in between the capacity check and the write.
pub fn change_offering(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    input: &OfferingInput,
) -> Result<Offering> {
    let now = svc.now();
    aula_db::transaction(conn, |conn| {
        let changed = offerings::update(conn, svc.catalog(), actor, offering_id, input)?;
        let facts = offering_facts(conn, offering_id)?;
        if promote(conn, svc, &facts, now)?.is_some() {
            return Ok(offerings::get(
                conn,
                svc.catalog(),
                Some(actor),
                offering_id,
            )?);
        }
        Ok(changed)
    })
}
