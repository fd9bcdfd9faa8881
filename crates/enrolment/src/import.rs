//! Staff enrol many people at once from a CSV file (`email,full_name,institution`).
//! Missing accounts are created and invited. A dry run does everything inside a
//! transaction and rolls it back, so its report is exactly what a real run would do.

use std::collections::HashSet;

use aula_catalog::admission::OfferingFacts;
use aula_core::{FieldCode, FieldError, Locale};
use aula_db::DbConnection;
use aula_identity::{institutions, users, IdentityError, Invitee, User};
use aula_mail::Mail;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{
    access::require_staff,
    error::{EnrolmentError, Result},
    flow::staff_enrol,
    model::State,
    service::Admissions,
};

/// Most data rows in one file.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Default, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportOptions {
    /// Report what would happen without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// Write nothing when any row has an error.
    #[serde(default)]
    pub all_or_nothing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Enrolled,
    Waitlisted,
    AlreadyEnrolled,
    Error,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowReport {
    /// Line in the file (the header is line 1).
    pub line: usize,
    pub email: String,
    pub outcome: Outcome,
    pub account_created: bool,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Summary {
    pub enrolled: usize,
    pub waitlisted: usize,
    pub already_enrolled: usize,
    pub errors: usize,
    pub accounts_created: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Whether anything was written.
    pub applied: bool,
    pub rows: Vec<RowReport>,
    pub summary: Summary,
}

struct Line {
    line: usize,
    email: String,
    full_name: String,
    institution: String,
}

/// Line numbers as the editor that fixes the file shows them: blank lines and line
/// breaks inside quotes count. (The CSV reader's own record position points at the
/// blank lines it skipped before a record.)
struct LineNumbers<'a> {
    bytes: &'a [u8],
    /// Counted up to this byte, which is on `line`.
    at: usize,
    line: usize,
}

impl LineNumbers<'_> {
    /// The line of the first character at or after `byte` that is not a line break.
    /// Records come in file order, so each call counts on from the last.
    fn line_at(&mut self, byte: u64) -> usize {
        let bytes = self.bytes;
        let mut start = usize::try_from(byte).map_or(bytes.len(), |b| b.min(bytes.len()));
        start += bytes[start..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let start = start.max(self.at);
        self.line += bytes[self.at..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.at = start;
        self.line
    }
}

fn parse(bytes: &[u8]) -> Result<Vec<Line>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| EnrolmentError::Csv(e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(email), Some(full_name), institution) =
        (column("email"), column("full_name"), column("institution"))
    else {
        return Err(EnrolmentError::Csv(
            "the header row must name the columns email and full_name (institution is optional)"
                .into(),
        ));
    };
    let mut lines = Vec::new();
    let mut numbers = LineNumbers {
        bytes,
        at: 0,
        line: 1,
    };
    for record in reader.records() {
        let record = record.map_err(|e| EnrolmentError::Csv(e.to_string()))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() == MAX_ROWS {
            return Err(EnrolmentError::field("file", FieldCode::TooManyRows));
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_owned();
        lines.push(Line {
            line: record.position().map_or(0, |p| numbers.line_at(p.byte())),
            email: users::normalize_email(&get(Some(email))),
            full_name: get(Some(full_name)),
            institution: get(institution),
        });
    }
    if lines.is_empty() {
        return Err(EnrolmentError::field("file", FieldCode::Empty));
    }
    Ok(lines)
}

fn field_errors(e: EnrolmentError) -> Result<Vec<FieldError>> {
    match e {
        EnrolmentError::Validation(errors) => Ok(errors),
        EnrolmentError::Identity(IdentityError::Validation(errors)) => Ok(errors),
        other => Err(other),
    }
}

/// One row: find or invite the person, then enrol them as staff would.
fn one(
    conn: &mut DbConnection,
    svc: &Admissions,
    facts: &OfferingFacts,
    actor: &User,
    line: &Line,
    locale: Locale,
    course_title: &str,
) -> Result<(Outcome, bool)> {
    let institution_id = match line.institution.as_str() {
        "" => None,
        acronym => Some(
            institutions::find_by_acronym(conn, acronym)?
                .ok_or_else(|| EnrolmentError::field("institution", FieldCode::NotFound))?
                .id,
        ),
    };
    let (learner, created) = match users::find_by_email(conn, &line.email)? {
        Some(user) => (user, false),
        None => {
            let (user, link) = aula_identity::auth::invite(
                conn,
                &svc.identity,
                &Invitee {
                    email: line.email.clone(),
                    full_name: line.full_name.clone(),
                    locale,
                    institution_id,
                },
            )
            .map_err(|e| match e {
                IdentityError::Validation(errors) => EnrolmentError::Validation(errors),
                other => other.into(),
            })?;
            let mail = Mail::Invitation {
                full_name: user.full_name.clone(),
                course_title: course_title.to_owned(),
                link,
            };
            aula_mail::enqueue(conn, svc.now(), &user.email, user.locale, &mail)?;
            (user, true)
        }
    };
    match aula_db::transaction(conn, |conn| {
        staff_enrol(conn, svc, facts, actor, &learner, svc.now())
    }) {
        Ok(row) if row.state == State::Waitlisted => Ok((Outcome::Waitlisted, created)),
        Ok(_) => Ok((Outcome::Enrolled, created)),
        Err(EnrolmentError::AlreadyEnrolled) => Ok((Outcome::AlreadyEnrolled, created)),
        Err(e) => Err(e),
    }
}

/// Imports `bytes` into an offering (its staff).
pub fn import(
    conn: &mut DbConnection,
    svc: &Admissions,
    actor: &User,
    offering_id: i64,
    bytes: &[u8],
    options: ImportOptions,
    locale: Option<Locale>,
) -> Result<ImportReport> {
    let facts = require_staff(conn, actor, offering_id)?;
    let lines = parse(bytes)?;
    let locale = locale.unwrap_or(actor.locale);
    let course_title =
        aula_catalog::admission::offering_summaries(conn, &[offering_id], Some(locale))?
            .remove(&offering_id)
            .map(|o| o.course_title)
            .unwrap_or_default();
    let outcome = aula_db::transaction(conn, |conn| {
        let mut rows = Vec::with_capacity(lines.len());
        let mut seen = HashSet::new();
        for line in &lines {
            let mut report = RowReport {
                line: line.line,
                email: line.email.clone(),
                outcome: Outcome::Error,
                account_created: false,
                errors: Vec::new(),
            };
            if !seen.insert(line.email.clone()) {
                report.errors.push(FieldError {
                    field: "email".into(),
                    code: FieldCode::DuplicateInFile,
                });
                rows.push(report);
                continue;
            }
            // Each row in a savepoint: a bad row leaves no trace of itself.
            match aula_db::transaction(conn, |conn| {
                one(conn, svc, &facts, actor, line, locale, &course_title)
            }) {
                Ok((outcome, created)) => {
                    report.outcome = outcome;
                    report.account_created = created;
                }
                Err(e) => report.errors = field_errors(e)?,
            }
            rows.push(report);
        }
        let failed = rows.iter().any(|r| r.outcome == Outcome::Error);
        let rolled_back = options.dry_run || (options.all_or_nothing && failed);
        let applied = !rolled_back;
        let report = ImportReport {
            dry_run: options.dry_run,
            applied,
            summary: summarise(&rows),
            rows,
        };
        if applied {
            Ok(report)
        } else {
            Err(EnrolmentError::RolledBack(Box::new(report)))
        }
    });
    match outcome {
        Ok(report) => {
            tracing::info!(
                offering_id,
                rows = report.rows.len(),
                "enrolment import applied"
            );
            Ok(report)
        }
        Err(EnrolmentError::RolledBack(report)) => Ok(*report),
        Err(e) => Err(e),
    }
}

fn summarise(rows: &[RowReport]) -> Summary {
    let mut s = Summary::default();
    for r in rows {
        match r.outcome {
            Outcome::Enrolled => s.enrolled += 1,
            Outcome::Waitlisted => s.waitlisted += 1,
            Outcome::AlreadyEnrolled => s.already_enrolled += 1,
            Outcome::Error => s.errors += 1,
        }
        s.accounts_created += usize::from(r.account_created);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_numbered_by_their_line_in_the_file() {
        let file = b"\xEF\xBB\xBFemail,full_name,institution\r\na@x.org,A,\r\n\r\n\
            \"b@x.org\",\"B\r\nB\",\r\n,,\r\nc@x.org,C,\r\n";
        let lines: Vec<usize> = parse(file).unwrap().iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 4, 7]);
    }
}
