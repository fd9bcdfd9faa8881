//! Who may see and act on an offering's coursework. Anyone without a relation to it is
//! told it does not exist.

use aula_catalog::admission::{is_staff, offering_facts, OfferingFacts};
use aula_db::DbConnection;
use aula_enrolment::participants::{self, Participant};
use aula_identity::{Role, User};

use crate::{
    error::{AssessmentError, Result},
    record::{self, Row},
};

/// How the actor relates to an offering's coursework.
#[derive(Debug, Clone)]
pub(crate) enum Viewer {
    /// An administrator or an instructor of the course: everything.
    Staff,
    /// A person holding a seat: their own work, grades once released.
    Learner(Box<Participant>),
}

impl Viewer {
    pub fn is_staff(&self) -> bool {
        matches!(self, Viewer::Staff)
    }
}

fn viewer_of(
    conn: &mut DbConnection,
    actor: &User,
    facts: &OfferingFacts,
) -> Result<Option<Viewer>> {
    if is_staff(conn, actor, facts.course_id)? {
        return Ok(Some(Viewer::Staff));
    }
    Ok(participants::seat_of(conn, facts.id, actor.id)?.map(|p| Viewer::Learner(Box::new(p))))
}

/// The offering and the actor's relation to it; `OfferingNotFound` for strangers.
pub(crate) fn offering(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
) -> Result<(OfferingFacts, Viewer)> {
    let facts = offering_facts(conn, offering_id)?;
    match viewer_of(conn, actor, &facts)? {
        Some(viewer) => Ok((facts, viewer)),
        None => Err(AssessmentError::OfferingNotFound),
    }
}

/// The offering, for its staff only (learners are refused, strangers not told).
pub(crate) fn offering_staff(
    conn: &mut DbConnection,
    actor: &User,
    offering_id: i64,
) -> Result<OfferingFacts> {
    match offering(conn, actor, offering_id)? {
        (facts, Viewer::Staff) => Ok(facts),
        _ => Err(AssessmentError::Forbidden),
    }
}

/// The assignment, its offering and the actor's relation; `NotFound` for strangers.
pub(crate) fn assignment(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
) -> Result<(Row, OfferingFacts, Viewer)> {
    let row = record::load(conn, id)?;
    let facts = offering_facts(conn, row.offering_id)?;
    match viewer_of(conn, actor, &facts)? {
        Some(viewer) => Ok((row, facts, viewer)),
        None => Err(AssessmentError::NotFound),
    }
}

/// The assignment for its staff; learners get `Forbidden`, strangers `NotFound`.
pub(crate) fn assignment_staff(
    conn: &mut DbConnection,
    actor: &User,
    id: i64,
) -> Result<(Row, OfferingFacts)> {
    match assignment(conn, actor, id)? {
        (row, facts, Viewer::Staff) => Ok((row, facts)),
        _ => Err(AssessmentError::Forbidden),
    }
}

/// A seat of the assignment's offering, for staff acting on one learner.
pub(crate) fn seat_in(
    conn: &mut DbConnection,
    offering_id: i64,
    enrolment_id: i64,
) -> Result<Participant> {
    participants::seat(conn, enrolment_id)?
        .filter(|p| p.offering_id == offering_id)
        .ok_or(AssessmentError::EnrolmentNotFound)
}

/// The institution a coordinator acts for.
pub(crate) fn coordinated_institution(actor: &User) -> Option<i64> {
    actor
        .has_role(Role::Coordinator)
        .then(|| actor.institution.as_ref().map(|i| i.id))
        .flatten()
}
