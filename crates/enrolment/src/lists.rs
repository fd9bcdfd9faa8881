//! The lists learners, staff and coordinators read, paged, and their CSV exports.

use aula_catalog::admission::offerings_taught_by;
use aula_core::{text_cell, Locale, Page, PageRequest};
use aula_db::{schema::enrolments, DbConnection};
use aula_identity::{users, User};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    access::{require_coordinator, require_staff},
    error::{EnrolmentError, Result},
    model::State,
    record::Row,
    service::Admissions,
    view::{self, Enrolment},
};

/// Most rows a CSV export holds.
pub const EXPORT_LIMIT: i64 = 20_000;

/// Filters of the roster and of the coordinator's people list.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    pub state: Option<State>,
    /// Roster only.
    pub institution_id: Option<i64>,
    /// Coordinator's list only.
    pub offering_id: Option<i64>,
    /// Part of the learner's name or email.
    pub q: Option<String>,
}

type Boxed<'a> = enrolments::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

fn filtered<'a>(mut query: Boxed<'a>, filter: &Filter, people: &Option<Vec<i64>>) -> Boxed<'a> {
    if let Some(state) = filter.state {
        query = query.filter(enrolments::state.eq(state.as_str()));
    }
    if let Some(institution) = filter.institution_id {
        query = query.filter(enrolments::institution_id.eq(institution));
    }
    if let Some(offering) = filter.offering_id {
        query = query.filter(enrolments::offering_id.eq(offering));
    }
    if let Some(ids) = people {
        query = query.filter(enrolments::user_id.eq_any(ids.clone()));
    }
    query
}

fn people_matching(conn: &mut DbConnection, filter: &Filter) -> Result<Option<Vec<i64>>> {
    match filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => Ok(Some(users::ids_matching(conn, q)?)),
        None => Ok(None),
    }
}

/// Whose enrolments a list or an export covers, once the actor may see them.
#[derive(Debug, Clone, Copy)]
enum Scope {
    /// An offering's roster (its staff).
    Offering(i64),
    /// An institution's people (its coordinators).
    Institution(i64),
}

fn roster_scope(conn: &mut DbConnection, actor: &User, offering_id: i64) -> Result<Scope> {
    require_staff(conn, actor, offering_id)?;
    Ok(Scope::Offering(offering_id))
}

fn people_scope(actor: &User) -> Result<Scope> {
    Ok(Scope::Institution(require_coordinator(actor)?))
}

/// The enrolments of `scope` that match `filter`, as a query made anew for each use
/// (count, page, export). The scope's own column is not taken from the filter.
fn scoped(
    conn: &mut DbConnection,
    scope: Scope,
    filter: &Filter,
) -> Result<impl Fn() -> Boxed<'static>> {
    let people = people_matching(conn, filter)?;
    let mut filter = filter.clone();
    match scope {
        Scope::Offering(_) => filter.offering_id = None,
        Scope::Institution(_) => filter.institution_id = None,
    }
    Ok(move || {
        let base = match scope {
            Scope::Offering(id) => enrolments::table
                .filter(enrolments::offering_id.eq(id))
                .into_boxed(),
            Scope::Institution(id) => enrolments::table
                .filter(enrolments::institution_id.eq(id))
                .into_boxed(),
        };
        filtered(base, &filter, &people)
    })
}

/// One page of `base` (re-made per query), newest or oldest first.
fn page_of(
    conn: &mut DbConnection,
    actor: &User,
    base: impl Fn() -> Boxed<'static>,
    oldest_first: bool,
    page: PageRequest,
    locale: Option<Locale>,
    now: chrono::NaiveDateTime,
) -> Result<Page<Enrolment>> {
    let total: i64 = base().count().get_result(conn)?;
    let ordered = if oldest_first {
        base().order((enrolments::created_at.asc(), enrolments::id.asc()))
    } else {
        base().order((enrolments::created_at.desc(), enrolments::id.desc()))
    };
    let rows: Vec<Row> = ordered
        .select(Row::as_select())
        .limit(page.limit())
        .offset(page.offset())
        .load(conn)?;
    Ok(Page::new(
        view::build(conn, actor, rows, locale, now)?,
        total,
        page,
    ))
}

/// The actor's own enrolments, newest first; with `course`, only those in its
/// offerings (a course page shows every edition's status from one request).
pub fn mine(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    state: Option<State>,
    course: Option<&str>,
    page: PageRequest,
    locale: Option<Locale>,
) -> Result<Page<Enrolment>> {
    let user_id = actor.id;
    let filter = Filter {
        state,
        ..Filter::default()
    };
    let offerings = match course {
        Some(code) => Some(aula_catalog::admission::offerings_of_course_code(
            conn, code,
        )?),
        None => None,
    };
    page_of(
        conn,
        actor,
        || {
            let mut query = enrolments::table
                .filter(enrolments::user_id.eq(user_id))
                .into_boxed();
            if let Some(ids) = &offerings {
                query = query.filter(enrolments::offering_id.eq_any(ids.clone()));
            }
            filtered(query, &filter, &None)
        },
        false,
        page,
        locale,
        svc.now(),
    )
}

/// The roster of an offering (its staff), oldest application first.
pub fn roster(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    filter: &Filter,
    page: PageRequest,
    locale: Option<Locale>,
) -> Result<Page<Enrolment>> {
    let scope = roster_scope(conn, actor, offering_id)?;
    let query = scoped(conn, scope, filter)?;
    page_of(conn, actor, query, true, page, locale, svc.now())
}

/// Applications waiting for the actor's decision as staff, oldest first.
pub fn approvals(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    page: PageRequest,
    locale: Option<Locale>,
) -> Result<Page<Enrolment>> {
    let scope: Option<Vec<i64>> = if actor.is_admin() {
        None
    } else {
        Some(offerings_taught_by(conn, actor)?)
    };
    if scope.as_ref().is_some_and(Vec::is_empty) && !actor.has_role(aula_identity::Role::Instructor)
    {
        return Err(EnrolmentError::Forbidden);
    }
    page_of(
        conn,
        actor,
        || {
            let mut q = enrolments::table
                .filter(enrolments::state.eq(State::PendingApproval.as_str()))
                .into_boxed();
            if let Some(ids) = &scope {
                q = q.filter(enrolments::offering_id.eq_any(ids.clone()));
            }
            q
        },
        true,
        page,
        locale,
        svc.now(),
    )
}

/// The coordinator's institution's people across all offerings, newest first.
pub fn people(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    filter: &Filter,
    page: PageRequest,
    locale: Option<Locale>,
) -> Result<Page<Enrolment>> {
    let query = scoped(conn, people_scope(actor)?, filter)?;
    page_of(conn, actor, query, false, page, locale, svc.now())
}

/// Applications of the coordinator's institution waiting for endorsement, oldest first.
pub fn endorsements(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    page: PageRequest,
    locale: Option<Locale>,
) -> Result<Page<Enrolment>> {
    let institution = require_coordinator(actor)?;
    page_of(
        conn,
        actor,
        || {
            enrolments::table
                .filter(enrolments::institution_id.eq(institution))
                .filter(enrolments::state.eq(State::PendingEndorsement.as_str()))
                .into_boxed()
        },
        true,
        page,
        locale,
        svc.now(),
    )
}

/// Members of the coordinator's institution, to nominate.
pub fn members(
    conn: &mut DbConnection,
    actor: &User,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<User>> {
    let institution = require_coordinator(actor)?;
    Ok(users::members_of(conn, institution, q, page)?)
}

/// Which export.
pub enum Export {
    Roster(i64),
    People,
}

/// The roster or the coordinator's people as CSV (UTF-8 with a byte-order mark, which
/// spreadsheet programs need to read accents).
pub fn export_csv(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    export: Export,
    filter: &Filter,
    locale: Option<Locale>,
) -> Result<Vec<u8>> {
    let scope = match export {
        Export::Roster(offering_id) => roster_scope(conn, actor, offering_id)?,
        Export::People => people_scope(actor)?,
    };
    let base = scoped(conn, scope, filter)?();
    let rows: Vec<Row> = base
        .order((enrolments::created_at.asc(), enrolments::id.asc()))
        .select(Row::as_select())
        .limit(EXPORT_LIMIT)
        .load(conn)?;
    let list = view::build(conn, actor, rows, locale, svc.now())?;
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let csv_err = |e: csv::Error| EnrolmentError::Csv(e.to_string());
        w.write_record([
            "enrolment_id",
            "course_code",
            "course_title",
            "start_date",
            "full_name",
            "email",
            "institution",
            "state",
            "waitlist_position",
            "fee",
            "currency",
            "payment_status",
            "payment_reference",
            "progress_percent",
            "attendance_percent",
            "applied_at",
        ])
        .map_err(csv_err)?;
        for e in &list {
            w.write_record([
                e.id.to_string(),
                e.course_code.clone(),
                text_cell(&e.course_title),
                e.start_date.clone(),
                text_cell(&e.learner.full_name),
                text_cell(&e.learner.email),
                e.learner
                    .institution
                    .as_ref()
                    .map(|i| text_cell(&i.acronym))
                    .unwrap_or_default(),
                e.state.as_str().to_owned(),
                e.waitlist_position
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
                format_minor(e.fee),
                e.currency.clone(),
                e.payment_status.as_str().to_owned(),
                e.payment_reference
                    .as_deref()
                    .map(text_cell)
                    .unwrap_or_default(),
                e.progress.to_string(),
                e.attendance_rate.map(|r| r.to_string()).unwrap_or_default(),
                e.created_at
                    .and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ])
            .map_err(csv_err)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Minor units as a decimal amount with two places ("150.00").
fn format_minor(amount: i64) -> String {
    format!("{}.{:02}", amount / 100, (amount % 100).abs())
}
