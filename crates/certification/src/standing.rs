//! Suspending, reinstating and revoking a certificate, each with a reason. The badge's
//! status lists follow at once: they are read from the certificates themselves.

use aula_db::DbConnection;
use aula_identity::User;

use crate::{
    access::manageable,
    error::{CertificationError, Result},
    issue::{reason, ReasonInput},
    lists::{self, CertificateView},
    model::{Action, Status},
    record::{self, change_status, record_event},
    service::Certification,
};

/// What staff may do to a certificate's standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Suspend,
    Reinstate,
    Revoke,
}

impl Change {
    fn rule(self) -> (&'static [Status], Status, Action) {
        match self {
            Change::Suspend => (&[Status::Valid], Status::Suspended, Action::Suspended),
            Change::Reinstate => (&[Status::Suspended], Status::Valid, Action::Reinstated),
            Change::Revoke => (Status::IN_FORCE, Status::Revoked, Action::Revoked),
        }
    }
}

pub fn change(
    conn: &mut DbConnection,
    svc: &Certification,
    actor: &User,
    certificate_id: i64,
    change: Change,
    input: ReasonInput,
) -> Result<CertificateView> {
    let why = reason(&input.reason, "reason")?;
    let (from, to, action) = change.rule();
    aula_db::transaction(conn, |conn| {
        let c = manageable(conn, actor, certificate_id)?;
        let now = svc.now();
        // Reinstating clears the reason a suspension gave.
        let kept = (to != Status::Valid).then_some(why.as_str());
        if !change_status(conn, c.id, from, to, kept, now)? {
            let current = record::load(conn, c.id)?;
            return Err(CertificationError::StatusConflict(current.status));
        }
        record_event(conn, c.id, action, Some(&why), Some(actor.id), now)?;
        let changed = record::load(conn, c.id)?;
        lists::view(conn, svc, changed)
    })
}
