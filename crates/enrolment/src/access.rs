//! Who may see and act on an enrolment. Anyone else is told it does not exist.

use aula_catalog::admission::{is_staff, offering_facts, OfferingFacts};
use aula_db::DbConnection;
use aula_identity::{Role, User};

use crate::{
    allowed::Situation,
    error::{EnrolmentError, Result},
    record::Row,
};

/// How the actor relates to one enrolment.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Relation {
    pub learner: bool,
    /// An administrator or an instructor of the course.
    pub staff: bool,
    /// A coordinator of the institution the learner applied from (or an administrator).
    pub coordinator: bool,
}

impl Relation {
    pub fn any(self) -> bool {
        self.learner || self.staff || self.coordinator
    }
}

/// The institution a coordinator acts for.
pub(crate) fn coordinated_institution(actor: &User) -> Option<i64> {
    actor
        .has_role(Role::Coordinator)
        .then(|| actor.institution.as_ref().map(|i| i.id))
        .flatten()
}

pub(crate) fn require_coordinator(actor: &User) -> Result<i64> {
    coordinated_institution(actor).ok_or(EnrolmentError::Forbidden)
}

pub(crate) fn relation(
    conn: &mut DbConnection,
    actor: &User,
    row: &Row,
    facts: &OfferingFacts,
) -> Result<Relation> {
    let staff = is_staff(conn, actor, facts.course_id)?;
    Ok(Relation::of(actor, row, staff))
}

impl Relation {
    /// The relation once it is known whether the actor is staff of the offering (which
    /// lists learn for many rows in one query).
    pub fn of(actor: &User, row: &Row, staff: bool) -> Self {
        Relation {
            learner: row.user_id == actor.id,
            staff,
            coordinator: actor.is_admin()
                || (row.institution_id.is_some()
                    && coordinated_institution(actor) == row.institution_id),
        }
    }
}

/// The enrolment's offering and the actor's relation to it; `NotFound` for strangers.
pub(crate) fn visible(
    conn: &mut DbConnection,
    actor: &User,
    row: &Row,
) -> Result<(OfferingFacts, Relation)> {
    let facts = offering_facts(conn, row.offering_id)?;
    let rel = relation(conn, actor, row, &facts)?;
    if rel.any() {
        Ok((facts, rel))
    } else {
        Err(EnrolmentError::NotFound)
    }
}

/// The enrolment's offering and what the rule of actions reads about it for the actor;
/// `NotFound` for strangers.
pub(crate) fn situation(
    conn: &mut DbConnection,
    actor: &User,
    row: &Row,
) -> Result<(OfferingFacts, Situation)> {
    let (facts, rel) = visible(conn, actor, row)?;
    let situation = Situation {
        state: row.state,
        rel,
        admin: actor.is_admin(),
        documents_complete: crate::documents::complete(conn, row.id)?,
        fee: row.fee,
        payment_required: facts.payment_required,
        payment: row.payment_status,
    };
    Ok((facts, situation))
}

/// Staff of an offering; others get `Forbidden` (the offering itself is public).
pub(crate) fn require_staff(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
) -> Result<OfferingFacts> {
    let facts = offering_facts(conn, offering_id)?;
    if is_staff(conn, actor, facts.course_id)? {
        Ok(facts)
    } else {
        Err(EnrolmentError::Forbidden)
    }
}
