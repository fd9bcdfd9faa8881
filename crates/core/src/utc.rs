//! Serialises stored UTC timestamps (`NaiveDateTime`) with their `Z`, so clients never
//! have to guess the zone: `#[serde(serialize_with = "aula_core::utc::serialize")]`.

use chrono::{NaiveDateTime, SecondsFormat};
use serde::Serializer;

pub fn serialize<S: Serializer>(at: &NaiveDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.and_utc().to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The same for an optional timestamp (`null` when absent).
pub fn serialize_option<S: Serializer>(
    at: &Option<NaiveDateTime>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serialize(at, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    #[derive(serde::Serialize)]
    struct Stamped {
        #[serde(serialize_with = "super::serialize")]
        at: chrono::NaiveDateTime,
    }

    #[test]
    fn timestamps_carry_their_zone() {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 29)
            .unwrap()
            .and_hms_opt(9, 7, 11)
            .unwrap();
        let json = serde_json::to_string(&Stamped { at }).unwrap();
        assert_eq!(json, r#"{"at":"2026-11-29T09:07:11Z"}"#);
    }
}
