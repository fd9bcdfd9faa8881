//! Grades for one assignment from a CSV file (`email,score,feedback`), for instructors
//! who mark offline. A dry run grades inside a transaction and rolls it back, so its
//! report is exactly what the real run would do; a file with any bad row writes
//! nothing.

use std::collections::HashMap;

use aula_core::{FieldCode, FieldError};
use aula_db::DbConnection;
use aula_enrolment::participants;
use aula_identity::User;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{grade, learner_grade, GradeInput};
use crate::{
    access,
    error::{AssessmentError, Result},
    service::Assessment,
};

/// Most data rows in one file.
pub const MAX_ROWS: usize = 5_000;

#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GradeImportOptions {
    /// Report what would happen without writing anything.
    #[serde(default)]
    pub dry_run: bool,
    /// Why existing grades change (needed when the file changes any).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradeImportOutcome {
    Graded,
    Changed,
    Unchanged,
    Error,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeImportRow {
    /// Line in the file (the header is line 1).
    pub line: u64,
    pub email: String,
    pub outcome: GradeImportOutcome,
    pub previous_score: Option<f64>,
    pub score: Option<f64>,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct GradeImportSummary {
    pub graded: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub errors: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeImportReport {
    pub dry_run: bool,
    /// Whether anything was written.
    pub applied: bool,
    pub rows: Vec<GradeImportRow>,
    pub summary: GradeImportSummary,
}

struct Line {
    line: u64,
    email: String,
    score: String,
    feedback: Option<String>,
}

fn parse(bytes: &[u8]) -> Result<Vec<Line>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| AssessmentError::Csv(e.to_string()))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(email), Some(score)) = (column("email"), column("score")) else {
        return Err(AssessmentError::Csv(
            "the header must name the columns email and score (feedback is optional)".into(),
        ));
    };
    let feedback = column("feedback");
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| AssessmentError::Csv(e.to_string()))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        if lines.len() == MAX_ROWS {
            return Err(AssessmentError::Csv(format!(
                "at most {MAX_ROWS} rows per file"
            )));
        }
        lines.push(Line {
            line: record.position().map_or(0, |p| p.line()),
            email: record.get(email).unwrap_or_default().to_owned(),
            score: record.get(score).unwrap_or_default().to_owned(),
            feedback: feedback
                .and_then(|f| record.get(f))
                .filter(|f| !f.is_empty())
                .map(str::to_owned),
        });
    }
    if lines.is_empty() {
        return Err(AssessmentError::Csv("the file has no rows".into()));
    }
    Ok(lines)
}

fn error(line: &Line, field: &str, code: FieldCode) -> GradeImportRow {
    GradeImportRow {
        line: line.line,
        email: line.email.clone(),
        outcome: GradeImportOutcome::Error,
        previous_score: None,
        score: None,
        errors: vec![FieldError {
            field: field.to_owned(),
            code,
        }],
    }
}

/// Staff import grades for one assignment.
pub fn import(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    assignment_id: i64,
    bytes: &[u8],
    options: &GradeImportOptions,
) -> Result<GradeImportReport> {
    let (row, _) = access::assignment_staff(conn, actor, assignment_id)?;
    let lines = parse(bytes)?;
    let seats: HashMap<String, i64> = participants::of_offering(conn, row.offering_id)?
        .into_iter()
        .map(|p| (p.user.email.to_lowercase(), p.enrolment_id))
        .collect();
    let outcome = aula_db::transaction(conn, |conn| {
        let mut rows = Vec::with_capacity(lines.len());
        let mut seen: HashMap<i64, u64> = HashMap::new();
        for line in &lines {
            let Some(&enrolment_id) = seats.get(&line.email.to_lowercase()) else {
                rows.push(error(line, "email", FieldCode::NotOnRoster));
                continue;
            };
            if seen.insert(enrolment_id, line.line).is_some() {
                rows.push(error(line, "email", FieldCode::DuplicateInFile));
                continue;
            }
            let Ok(score) = line.score.replace(',', ".").parse::<f64>() else {
                rows.push(error(line, "score", FieldCode::Invalid));
                continue;
            };
            let before = learner_grade(conn, &row, enrolment_id)?;
            let previous_score = before.as_ref().map(|b| b.score);
            let input = GradeInput {
                score: Some(score),
                levels: None,
                feedback: line.feedback.clone(),
                reason: options.reason.clone(),
            };
            match grade(conn, svc, actor, assignment_id, enrolment_id, &input) {
                Ok(g) => rows.push(GradeImportRow {
                    line: line.line,
                    email: line.email.clone(),
                    outcome: match &before {
                        None => GradeImportOutcome::Graded,
                        Some(b) if b.score == g.score && b.feedback == g.feedback => {
                            GradeImportOutcome::Unchanged
                        }
                        Some(_) => GradeImportOutcome::Changed,
                    },
                    previous_score,
                    score: Some(g.score),
                    errors: Vec::new(),
                }),
                Err(AssessmentError::Validation(errors)) => rows.push(GradeImportRow {
                    line: line.line,
                    email: line.email.clone(),
                    outcome: GradeImportOutcome::Error,
                    previous_score,
                    score: None,
                    errors,
                }),
                Err(e) => return Err(e),
            }
        }
        let mut summary = GradeImportSummary::default();
        for r in &rows {
            match r.outcome {
                GradeImportOutcome::Graded => summary.graded += 1,
                GradeImportOutcome::Changed => summary.changed += 1,
                GradeImportOutcome::Unchanged => summary.unchanged += 1,
                GradeImportOutcome::Error => summary.errors += 1,
            }
        }
        let report = GradeImportReport {
            dry_run: options.dry_run,
            applied: !options.dry_run && summary.errors == 0,
            rows,
            summary,
        };
        if report.applied {
            Ok(report)
        } else {
            Err(AssessmentError::RolledBack(Box::new(report)))
        }
    });
    match outcome {
        Err(AssessmentError::RolledBack(report)) => Ok(*report),
        other => other,
    }
}
