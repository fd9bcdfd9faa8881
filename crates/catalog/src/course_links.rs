//! The references of a course: its topic, prerequisites, instructors and languages.

use aula_core::{FieldCode, Locale, Validation};
use aula_db::{
    schema::{course_instructors, course_languages, course_prerequisites, courses, user_roles},
    DbConnection,
};
use aula_identity::Role;
use diesel::prelude::*;

use crate::{courses::CourseInput, error::Result, topics};

/// The checked references of an input: topic id, prerequisite ids, instructor ids.
pub(crate) struct Links {
    pub topic_id: Option<i64>,
    pub prerequisites: Option<Vec<i64>>,
    pub instructors: Option<Vec<i64>>,
}

pub(crate) fn resolve_links(
    conn: &mut DbConnection,
    v: &mut Validation,
    input: &CourseInput,
    own_id: Option<i64>,
) -> Result<Links> {
    let topic_id = match input.topic.as_deref() {
        Some(slug) => {
            let id = topics::id_by_slug(conn, slug.trim())?;
            if id.is_none() {
                v.add("topic", FieldCode::NotFound);
            }
            id
        }
        None => None,
    };
    let prerequisites = match &input.prerequisites {
        Some(codes) => {
            let codes: Vec<String> = codes.iter().map(|c| c.trim().to_uppercase()).collect();
            let found: Vec<(i64, String)> = courses::table
                .filter(courses::code.eq_any(&codes))
                .select((courses::id, courses::code))
                .load(conn)?;
            if found.len() != codes.iter().collect::<std::collections::HashSet<_>>().len() {
                v.add("prerequisites", FieldCode::NotFound);
            }
            if found.iter().any(|(id, _)| Some(*id) == own_id) {
                v.add("prerequisites", FieldCode::Invalid);
            }
            Some(found.into_iter().map(|(id, _)| id).collect())
        }
        None => None,
    };
    let instructors = match &input.instructor_ids {
        Some(ids) => {
            let mut ids = ids.clone();
            ids.sort_unstable();
            ids.dedup();
            let teaching: i64 = user_roles::table
                .filter(user_roles::user_id.eq_any(&ids))
                .filter(user_roles::role.eq(Role::Instructor.as_str()))
                .count()
                .get_result(conn)?;
            if teaching != ids.len() as i64 {
                v.add("instructor_ids", FieldCode::NotInstructor);
            }
            Some(ids)
        }
        None => None,
    };
    Ok(Links {
        topic_id,
        prerequisites,
        instructors,
    })
}

pub(crate) fn replace_links(
    conn: &mut DbConnection,
    course_id: i64,
    input: &CourseInput,
    links: &Links,
) -> Result<()> {
    crate::read_model::note_change();
    if let Some(languages) = &input.languages {
        diesel::delete(course_languages::table.filter(course_languages::course_id.eq(course_id)))
            .execute(conn)?;
        let mut languages = languages.clone();
        languages.sort_by_key(|l| Locale::ALL.iter().position(|x| x == l));
        languages.dedup();
        for l in languages {
            diesel::insert_into(course_languages::table)
                .values((
                    course_languages::course_id.eq(course_id),
                    course_languages::locale.eq(l.as_str()),
                ))
                .execute(conn)?;
        }
    }
    if let Some(ids) = &links.prerequisites {
        diesel::delete(
            course_prerequisites::table.filter(course_prerequisites::course_id.eq(course_id)),
        )
        .execute(conn)?;
        for id in ids {
            diesel::insert_into(course_prerequisites::table)
                .values((
                    course_prerequisites::course_id.eq(course_id),
                    course_prerequisites::prerequisite_id.eq(id),
                ))
                .execute(conn)?;
        }
    }
    if let Some(ids) = &links.instructors {
        set_instructors(conn, course_id, ids)?;
    }
    Ok(())
}

pub(crate) fn set_instructors(conn: &mut DbConnection, course_id: i64, ids: &[i64]) -> Result<()> {
    crate::read_model::note_change();
    diesel::delete(course_instructors::table.filter(course_instructors::course_id.eq(course_id)))
        .execute(conn)?;
    for id in ids {
        diesel::insert_into(course_instructors::table)
            .values((
                course_instructors::course_id.eq(course_id),
                course_instructors::user_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(())
}
