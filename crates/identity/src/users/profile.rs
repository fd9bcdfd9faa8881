//! What people change about themselves: name, language, time zone and which optional
//! mails they receive, and the one place that honours that choice.

use aula_core::{FieldCode, Validation};
use aula_db::{schema::users, DbConnection};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{check_full_name, check_locale, get};
use crate::{
    error::{IdentityError, Result},
    model::{MailPreferences, User},
    Identity,
};

/// Changes a person may make to their own profile; absent fields stay as they are.
#[derive(Debug, Default, Clone, Deserialize, ToSchema)]
pub struct ProfileUpdate {
    pub full_name: Option<String>,
    pub locale: Option<String>,
    /// An IANA time zone such as `America/Bogota`; an empty string goes back to the
    /// browser's own.
    pub time_zone: Option<String>,
    pub mail_preferences: Option<MailPreferences>,
}

pub fn update_profile(
    conn: &mut DbConnection,
    identity: &Identity,
    user_id: i64,
    input: &ProfileUpdate,
) -> Result<User> {
    let now = identity.now();
    let mut v = Validation::new();
    let name = input
        .full_name
        .as_deref()
        .map(|n| check_full_name(&mut v, "full_name", n));
    let locale = input
        .locale
        .as_deref()
        .map(|l| check_locale(&mut v, "locale", l));
    let time_zone = input
        .time_zone
        .as_deref()
        .map(|tz| check_time_zone(&mut v, "time_zone", tz));
    v.finish().map_err(IdentityError::Validation)?;
    aula_db::transaction(conn, |conn| {
        let row = users::table.find(user_id);
        if let Some(name) = name {
            diesel::update(row)
                .set(users::full_name.eq(name))
                .execute(conn)?;
        }
        if let Some(locale) = locale {
            diesel::update(row)
                .set(users::locale.eq(locale.as_str()))
                .execute(conn)?;
        }
        if let Some(time_zone) = time_zone {
            diesel::update(row)
                .set(users::time_zone.eq(time_zone))
                .execute(conn)?;
        }
        if let Some(mail) = input.mail_preferences {
            diesel::update(row)
                .set((
                    users::mail_enrolment_updates.eq(mail.enrolment_updates),
                    users::mail_endorsement_requests.eq(mail.endorsement_requests),
                ))
                .execute(conn)?;
        }
        diesel::update(row)
            .set(users::updated_at.eq(now))
            .execute(conn)?;
        get(conn, user_id)
    })
}

/// `None` for an empty value (the browser's zone), else a known IANA id.
fn check_time_zone(v: &mut Validation, field: &str, tz: &str) -> Option<String> {
    let tz = tz.trim();
    if tz.is_empty() {
        return None;
    }
    if tz.parse::<chrono_tz::Tz>().is_err() {
        v.add(field, FieldCode::InvalidTimeZone);
    }
    Some(tz.to_owned())
}

/// Queues `mail` for `user` unless it is an optional mail they declined; true when queued.
pub fn send_mail(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    user: &User,
    mail: &aula_mail::Mail,
) -> Result<bool> {
    if !user.mail_preferences.allows(mail) {
        return Ok(false);
    }
    aula_mail::enqueue(conn, now, &user.email, user.locale, mail)?;
    Ok(true)
}
