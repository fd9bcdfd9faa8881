//! The gradebook and final grades as CSV.

use super::*;

/// The gradebook as CSV (UTF-8 with a byte-order mark, so spreadsheets keep accents).
pub fn export_csv(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    let (items, rows) = all_rows(conn, svc, actor, offering_id)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut header = vec!["email".to_owned(), "full_name".into(), "institution".into()];
    header.extend(items.iter().map(|i| format!("{} ({}%)", i.title, i.weight)));
    header.extend([
        "final_grade".into(),
        "passed".into(),
        "override_reason".into(),
    ]);
    let csv_err = |e: csv::Error| AssessmentError::Csv(e.to_string());
    w.write_record(&header).map_err(csv_err)?;
    for r in rows {
        let mut line = vec![r.email, r.full_name, r.institution.unwrap_or_default()];
        line.extend(r.cells.iter().map(|c| c.score.map(fmt).unwrap_or_default()));
        line.push(r.final_grade.map(fmt).unwrap_or_default());
        line.push(
            r.passed
                .map(|p| if p { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
        );
        line.push(r.override_.map(|o| o.reason).unwrap_or_default());
        w.write_record(&line).map_err(csv_err)?;
    }
    w.into_inner()
        .map_err(|e| AssessmentError::Csv(e.to_string()))
}

/// Final grades as CSV, for staff or a coordinator (see [`final_grades`]).
pub fn final_grades_csv(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<u8>> {
    let rows = final_grades(conn, svc, actor, offering_id)?;
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let csv_err = |e: csv::Error| AssessmentError::Csv(e.to_string());
    w.write_record(["email", "full_name", "institution", "final_grade", "passed"])
        .map_err(csv_err)?;
    for r in rows {
        w.write_record([
            r.email,
            r.full_name,
            r.institution.unwrap_or_default(),
            r.final_grade.map(fmt).unwrap_or_default(),
            r.passed
                .map(|p| if p { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.into_inner()
        .map_err(|e| AssessmentError::Csv(e.to_string()))
}

/// Two decimals at most, no trailing zeros: `87.5`, `90`.
fn fmt(x: f64) -> String {
    let s = format!("{:.2}", round2(x));
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_are_written_without_trailing_zeros() {
        assert_eq!(fmt(90.0), "90");
        assert_eq!(fmt(87.5), "87.5");
        assert_eq!(fmt(66.666), "66.67");
        assert_eq!(fmt(0.0), "0");
    }
}
