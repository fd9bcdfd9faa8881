//! Who may touch which offering's certification and which certificate.

use aula_catalog::admission::{is_staff, offering_facts, OfferingFacts};
use aula_db::DbConnection;
use aula_enrolment::participants;
use aula_identity::{Role, User};

use crate::{
    error::{CertificationError, Result},
    record::Certificate,
};

/// The offering, for its staff (its course's instructors and administrators). People
/// with a seat are refused; everyone else is not told it exists.
pub(crate) fn staff_offering(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
) -> Result<OfferingFacts> {
    let facts = offering_facts(conn, offering_id)?;
    if is_staff(conn, actor, facts.course_id)? {
        return Ok(facts);
    }
    if participants::seat_of(conn, offering_id, actor.id)?.is_some() {
        return Err(CertificationError::Forbidden);
    }
    Err(CertificationError::OfferingNotFound)
}

/// The institution whose people a coordinator looks after.
pub(crate) fn coordinated_institution(actor: &User) -> Option<i64> {
    actor
        .has_role(Role::Coordinator)
        .then(|| actor.institution.as_ref().map(|i| i.id))
        .flatten()
}

/// May `actor` manage (reissue, suspend, revoke) this certificate?
pub(crate) fn can_manage(conn: &mut DbConnection, actor: &User, c: &Certificate) -> Result<bool> {
    let facts = offering_facts(conn, c.offering_id)?;
    Ok(is_staff(conn, actor, facts.course_id)?)
}

/// May `actor` read this certificate and its files? Its holder, the staff of its
/// offering, and the coordinator of the institution the holder applied from.
pub(crate) fn can_read(conn: &mut DbConnection, actor: &User, c: &Certificate) -> Result<bool> {
    if c.user_id == actor.id {
        return Ok(true);
    }
    if c.institution_id.is_some() && coordinated_institution(actor) == c.institution_id {
        return Ok(true);
    }
    can_manage(conn, actor, c)
}

/// The certificate if `actor` may read it; otherwise it does not exist for them.
pub(crate) fn readable(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Certificate> {
    let c = crate::record::load(conn, id)?;
    if can_read(conn, actor, &c)? {
        Ok(c)
    } else {
        Err(CertificationError::NotFound)
    }
}

/// The certificate if `actor` may manage it: readers who may not get `Forbidden`.
pub(crate) fn manageable(conn: &mut DbConnection, actor: &User, id: i64) -> Result<Certificate> {
    let c = readable(conn, actor, id)?;
    if can_manage(conn, actor, &c)? {
        Ok(c)
    } else {
        Err(CertificationError::Forbidden)
    }
}
