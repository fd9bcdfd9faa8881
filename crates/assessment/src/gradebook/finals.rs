//! Final grades: as certification reads them, overridden by staff with a reason, a
//! learner's own results, and a coordinator's view of their institution's people.

use super::*;

/// A final grade as certification reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalGrade {
    pub enrolment_id: i64,
    pub computed_grade: Option<f64>,
    #[serde(rename = "override")]
    pub override_: Option<FinalGradeOverride>,
    pub final_grade: Option<f64>,
    pub pass_mark: i32,
    pub passed: Option<bool>,
}

/// The final grade of one seat, from every grade given (released or not): what
/// certification reads. `None` when the enrolment holds no seat.
pub fn final_grade_of(
    conn: &mut DbConnection,
    svc: &Assessment,
    enrolment_id: i64,
) -> Result<Option<FinalGrade>> {
    let Some(seat) = participants::seat(conn, enrolment_id)? else {
        return Ok(None);
    };
    let book = load(conn, seat.offering_id, Some(enrolment_id), svc.now())?;
    let row = compute(&book, &seat, svc.now(), false);
    Ok(Some(FinalGrade {
        enrolment_id,
        computed_grade: row.computed_grade,
        override_: row.override_,
        final_grade: row.final_grade,
        pass_mark: book.pass_mark,
        passed: row.passed,
    }))
}

/// The final grade of every seat of the offering, by enrolment, computed once for the
/// cohort: what certification reads for its eligibility report.
pub fn final_grades_of_offering(
    conn: &mut DbConnection,
    svc: &Assessment,
    offering_id: i64,
) -> Result<std::collections::HashMap<i64, FinalGrade>> {
    let now = svc.now();
    let book = load(conn, offering_id, None, now)?;
    Ok(book
        .people
        .iter()
        .map(|p| {
            let row = compute(&book, p, now, false);
            let grade = FinalGrade {
                enrolment_id: row.enrolment_id,
                computed_grade: row.computed_grade,
                override_: row.override_,
                final_grade: row.final_grade,
                pass_mark: book.pass_mark,
                passed: row.passed,
            };
            (row.enrolment_id, grade)
        })
        .collect())
}

/// Staff of the seat's offering, else `EnrolmentNotFound` (strangers) or `Forbidden`.
fn require_seat_staff(
    conn: &mut DbConnection,
    actor: &User,
    enrolment_id: i64,
) -> Result<participants::Participant> {
    let seat = participants::seat(conn, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)?;
    match access::offering(conn, actor, seat.offering_id) {
        Ok((_, v)) if v.is_staff() => Ok(seat),
        Ok(_) => Err(AssessmentError::Forbidden),
        Err(_) => Err(AssessmentError::EnrolmentNotFound),
    }
}

/// One seat's final grade with the history of its overrides (staff).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FinalGradeRecord {
    #[serde(flatten)]
    pub grade: FinalGrade,
    /// Every override set or lifted, oldest first (a `null` grade lifted one).
    pub history: Vec<OverrideEvent>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverrideEvent {
    pub grade: Option<f64>,
    pub reason: String,
    pub actor_id: i64,
    pub actor_name: String,
    #[serde(serialize_with = "aula_core::utc::serialize")]
    pub at: NaiveDateTime,
}

/// A seat's final grade and override history, for the offering's staff.
pub fn final_grade(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    enrolment_id: i64,
) -> Result<FinalGradeRecord> {
    require_seat_staff(conn, actor, enrolment_id)?;
    let grade =
        final_grade_of(conn, svc, enrolment_id)?.ok_or(AssessmentError::EnrolmentNotFound)?;
    type O = (Option<f64>, String, i64, NaiveDateTime);
    let rows: Vec<O> = overrides::table
        .filter(overrides::enrolment_id.eq(enrolment_id))
        .order(overrides::id.asc())
        .select((
            overrides::grade,
            overrides::reason,
            overrides::actor_id,
            overrides::at,
        ))
        .load(conn)?;
    let actors: Vec<i64> = rows.iter().map(|r| r.2).collect();
    let names = aula_identity::users::by_ids(conn, &actors)?;
    let history = rows
        .into_iter()
        .map(|(grade, reason, actor_id, at)| OverrideEvent {
            grade,
            reason,
            actor_id,
            actor_name: names
                .get(&actor_id)
                .map(|u| u.full_name.clone())
                .unwrap_or_default(),
            at,
        })
        .collect();
    Ok(FinalGradeRecord { grade, history })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OverrideInput {
    /// 0–100; `null` lifts the override.
    pub grade: Option<f64>,
    /// Why (kept in the history).
    pub reason: String,
}

/// Staff set (or lift) a manual final grade. Every override is kept.
pub fn set_override(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    enrolment_id: i64,
    input: &OverrideInput,
) -> Result<FinalGradeRecord> {
    require_seat_staff(conn, actor, enrolment_id)?;
    let mut v = Validation::new();
    if input
        .grade
        .is_some_and(|g| !g.is_finite() || !(0.0..=100.0).contains(&g))
    {
        v.add("grade", FieldCode::OutOfRange);
    }
    let reason = input.reason.trim();
    if reason.is_empty() {
        v.add("reason", FieldCode::Required);
    } else if reason.chars().count() > 500 {
        v.add("reason", FieldCode::TooLong);
    }
    v.finish().map_err(AssessmentError::Validation)?;
    diesel::insert_into(overrides::table)
        .values((
            overrides::enrolment_id.eq(enrolment_id),
            overrides::grade.eq(input.grade.map(round2)),
            overrides::reason.eq(reason),
            overrides::actor_id.eq(actor.id),
            overrides::at.eq(svc.now()),
        ))
        .execute(conn)?;
    final_grade(conn, svc, actor, enrolment_id)
}

/// A learner's results in one offering: released grades only.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGrades {
    pub offering_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub pass_mark: i32,
    pub items: Vec<GradebookItem>,
    pub row: GradebookRow,
    /// Some grades are not released yet: the final grade may still change.
    pub provisional: bool,
}

/// The signed-in learner's results in every offering they hold a seat in.
pub fn mine(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    locale: Option<aula_core::Locale>,
) -> Result<Vec<MyGrades>> {
    let seats = participants::seats_of_user(conn, actor.id)?;
    let ids: Vec<i64> = seats.iter().map(|s| s.offering_id).collect();
    let summaries = aula_catalog::admission::offering_summaries(conn, &ids, locale)?;
    let now = svc.now();
    let mut out = Vec::new();
    for seat in seats {
        let book = load(conn, seat.offering_id, Some(seat.enrolment_id), now)?;
        if book.items.is_empty() {
            continue;
        }
        let mut row = compute(&book, &seat, now, true);
        // An override is the staff's decision on the final grade, shown once every
        // grade is released.
        let provisional = book.items.iter().any(|i| !i.released);
        if provisional {
            row.override_ = None;
            row.final_grade = row.computed_grade;
            row.passed = None;
        }
        let summary = summaries.get(&seat.offering_id);
        out.push(MyGrades {
            offering_id: seat.offering_id,
            course_code: summary.map(|s| s.course_code.clone()).unwrap_or_default(),
            course_title: summary.map(|s| s.course_title.clone()).unwrap_or_default(),
            pass_mark: book.pass_mark,
            items: items_of(&book),
            row,
            provisional,
        });
    }
    Ok(out)
}

/// A final grade as a coordinator reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonFinalGrade {
    pub enrolment_id: i64,
    pub full_name: String,
    pub email: String,
    pub institution: Option<String>,
    pub final_grade: Option<f64>,
    pub passed: Option<bool>,
}

/// Final grades of an offering: staff see everyone, a coordinator their institution's
/// people only; anyone else is told the offering does not exist.
pub fn final_grades(
    conn: &mut DbConnection,
    svc: &Assessment,
    actor: &User,
    offering_id: i64,
) -> Result<Vec<PersonFinalGrade>> {
    let staff = matches!(access::offering(conn, actor, offering_id), Ok((_, v)) if v.is_staff());
    let institution = coordinated_institution(actor);
    if !staff && institution.is_none() {
        return Err(AssessmentError::OfferingNotFound);
    }
    let now = svc.now();
    let mut book = load(conn, offering_id, None, now)?;
    if !staff {
        book.people
            .retain(|p| p.institution_id.is_some() && p.institution_id == institution);
    }
    Ok(book
        .people
        .iter()
        .map(|p| {
            let row = compute(&book, p, now, false);
            PersonFinalGrade {
                enrolment_id: row.enrolment_id,
                full_name: row.full_name,
                email: row.email,
                institution: row.institution,
                final_grade: row.final_grade,
                passed: row.passed,
            }
        })
        .collect())
}
