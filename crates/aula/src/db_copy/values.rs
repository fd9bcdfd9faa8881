//! One column value as read from either database, its JSON form for PostgreSQL's
//! `json_populate_recordset`, and the canonical text the checksums are computed from.
//!
//! Values are decoded natively on both sides (SQLite's storage classes, PostgreSQL's
//! binary format) rather than through either database's text or JSON output: SQLite's
//! `json_object` keeps only 15 significant digits of a REAL, and a checksum computed from
//! the same text that was inserted would not notice.

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use diesel::{
    deserialize::FromSql,
    pg::{Pg, PgValue},
    sql_types,
    sqlite::{Sqlite, SqliteType, SqliteValue},
};

/// A column's type as PostgreSQL declares it: what every value must convert to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    SmallInt,
    Integer,
    BigInt,
    Bool,
    Double,
    Text,
    Bytes,
    Timestamp,
    Date,
}

impl Kind {
    /// From `information_schema.columns.data_type`; `None` for a type the copy does not
    /// know how to carry (better refused than converted by guess).
    pub fn from_pg(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "smallint" => Kind::SmallInt,
            "integer" => Kind::Integer,
            "bigint" => Kind::BigInt,
            "boolean" => Kind::Bool,
            "double precision" => Kind::Double,
            "text" | "character varying" => Kind::Text,
            "bytea" => Kind::Bytes,
            "timestamp without time zone" => Kind::Timestamp,
            "date" => Kind::Date,
            _ => return None,
        })
    }

    /// Whether ordering by this column depends on a collation.
    pub fn is_text(self) -> bool {
        self == Kind::Text
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Bytes(Vec<u8>),
    Timestamp(NaiveDateTime),
    Date(NaiveDate),
}

/// A SQLite value decoded for its PostgreSQL column.
pub struct Decoded {
    pub value: Value,
    /// The timestamp had digits below the microsecond, which PostgreSQL cannot hold.
    pub truncated: bool,
}

impl Decoded {
    fn exact(value: Value) -> Self {
        Self {
            value,
            truncated: false,
        }
    }
}

fn storage_name(stored: SqliteType) -> &'static str {
    match stored {
        SqliteType::Long | SqliteType::Integer | SqliteType::SmallInt => "an integer",
        SqliteType::Double | SqliteType::Float => "a real number",
        SqliteType::Text => "text",
        SqliteType::Binary => "a blob",
    }
}

/// Decodes a SQLite value for a column of `kind`. Storage classes are checked strictly
/// (SQLite would read text as the integer 0): whatever does not fit is an error naming
/// what was found.
pub fn from_sqlite(kind: Kind, raw: Option<SqliteValue<'_, '_, '_>>) -> Result<Decoded, String> {
    let Some(mut raw) = raw else {
        return Ok(Decoded::exact(Value::Null));
    };
    let Some(stored) = raw.value_type() else {
        return Ok(Decoded::exact(Value::Null));
    };
    let exact = |v| Ok(Decoded::exact(v));
    match (kind, stored) {
        (Kind::Bool, SqliteType::Long) => match raw.read_long() {
            0 => exact(Value::Bool(false)),
            1 => exact(Value::Bool(true)),
            n => Err(format!("{n} is not a boolean (0 or 1)")),
        },
        (Kind::SmallInt | Kind::Integer | Kind::BigInt, SqliteType::Long) => {
            let n = raw.read_long();
            let fits = match kind {
                Kind::SmallInt => i16::try_from(n).is_ok(),
                Kind::Integer => i32::try_from(n).is_ok(),
                _ => true,
            };
            if fits {
                exact(Value::Int(n))
            } else {
                Err(format!("{n} is out of range for the PostgreSQL column"))
            }
        }
        (Kind::Double, SqliteType::Double) => exact(Value::Float(raw.read_double())),
        (Kind::Double, SqliteType::Long) => {
            let n = raw.read_long();
            // Integers beyond 2^53 have no exact double.
            let f = n as f64;
            if f as i64 == n {
                exact(Value::Float(f))
            } else {
                Err(format!("{n} has no exact double precision value"))
            }
        }
        (Kind::Text, SqliteType::Text) => {
            let text = raw.read_text();
            if text.contains('\0') {
                Err("text holds a NUL character, which PostgreSQL cannot store".into())
            } else {
                exact(Value::Text(text.to_owned()))
            }
        }
        (Kind::Bytes, SqliteType::Binary) => exact(Value::Bytes(raw.read_blob().to_vec())),
        // Read as the application reads it, whatever text form it was written in.
        (Kind::Timestamp, _) => {
            let at = <NaiveDateTime as FromSql<sql_types::Timestamp, Sqlite>>::from_sql(raw)
                .map_err(|e| format!("not a timestamp: {e}"))?;
            let micros = at.nanosecond() / 1_000 * 1_000;
            let kept = at
                .with_nanosecond(micros)
                .ok_or_else(|| format!("{at} cannot be kept to the microsecond"))?;
            Ok(Decoded {
                value: Value::Timestamp(kept),
                truncated: kept != at,
            })
        }
        (Kind::Date, _) => <NaiveDate as FromSql<sql_types::Date, Sqlite>>::from_sql(raw)
            .map(|d| Decoded::exact(Value::Date(d)))
            .map_err(|e| format!("not a date: {e}")),
        (kind, stored) => Err(format!(
            "{} where the PostgreSQL column is {kind:?}",
            storage_name(stored)
        )),
    }
}

/// Decodes a PostgreSQL value (binary format) of a column of `kind`.
pub fn from_pg(kind: Kind, raw: Option<PgValue<'_>>) -> Result<Value, String> {
    let Some(raw) = raw else {
        return Ok(Value::Null);
    };
    let decoded = match kind {
        Kind::Bool => <bool as FromSql<sql_types::Bool, Pg>>::from_sql(raw).map(Value::Bool),
        Kind::SmallInt => {
            <i16 as FromSql<sql_types::SmallInt, Pg>>::from_sql(raw).map(|n| Value::Int(n.into()))
        }
        Kind::Integer => {
            <i32 as FromSql<sql_types::Integer, Pg>>::from_sql(raw).map(|n| Value::Int(n.into()))
        }
        Kind::BigInt => <i64 as FromSql<sql_types::BigInt, Pg>>::from_sql(raw).map(Value::Int),
        Kind::Double => <f64 as FromSql<sql_types::Double, Pg>>::from_sql(raw).map(Value::Float),
        Kind::Text => <String as FromSql<sql_types::Text, Pg>>::from_sql(raw).map(Value::Text),
        Kind::Bytes => <Vec<u8> as FromSql<sql_types::Binary, Pg>>::from_sql(raw).map(Value::Bytes),
        Kind::Timestamp => <NaiveDateTime as FromSql<sql_types::Timestamp, Pg>>::from_sql(raw)
            .map(Value::Timestamp),
        Kind::Date => <NaiveDate as FromSql<sql_types::Date, Pg>>::from_sql(raw).map(Value::Date),
    };
    decoded.map_err(|e| e.to_string())
}

impl Value {
    /// The value as `json_populate_recordset` reads it: PostgreSQL's own input functions
    /// turn the strings into timestamps, dates and bytea (`\x…` hex).
    pub fn into_json(self) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => b.into(),
            Value::Int(n) => n.into(),
            // serde_json writes the shortest text that reads back as the same double.
            Value::Float(f) => serde_json::Number::from_f64(f).map_or_else(
                || {
                    Json::String(
                        if f.is_nan() {
                            "NaN"
                        } else if f > 0.0 {
                            "Infinity"
                        } else {
                            "-Infinity"
                        }
                        .into(),
                    )
                },
                Json::Number,
            ),
            Value::Text(s) => Json::String(s),
            Value::Bytes(b) => Json::String(format!("\\x{}", aula_core::hex(&b))),
            Value::Timestamp(t) => Json::String(t.format("%Y-%m-%d %H:%M:%S%.6f").to_string()),
            Value::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
        }
    }

    /// Appends the canonical text of the value: `\N` for NULL, `true`/`false`, integers
    /// in decimal, doubles in their shortest exact form, text with backslash, tab and
    /// line breaks escaped, blobs as `\x` and lower-case hex, timestamps as
    /// `YYYY-MM-DDTHH:MM:SS.ffffff`, dates as `YYYY-MM-DD`.
    pub fn write_canonical(&self, out: &mut String) {
        // Writing to a String cannot fail.
        let _ = match self {
            Value::Null => {
                out.push_str("\\N");
                Ok(())
            }
            Value::Bool(b) => write!(out, "{b}"),
            Value::Int(n) => write!(out, "{n}"),
            Value::Float(f) => write!(out, "{f:?}"),
            Value::Text(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
                Ok(())
            }
            Value::Bytes(b) => write!(out, "\\x{}", aula_core::hex(b)),
            Value::Timestamp(t) => write!(out, "{}", t.format("%Y-%m-%dT%H:%M:%S%.6f")),
            Value::Date(d) => write!(out, "{}", d.format("%Y-%m-%d")),
        };
    }
}

/// The canonical line of a row: its values' canonical texts separated by tabs, ended by
/// a line break.
pub fn write_row(values: &[Value], out: &mut String) {
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push('\t');
        }
        value.write_canonical(out);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(value: &Value) -> String {
        let mut out = String::new();
        value.write_canonical(&mut out);
        out
    }

    #[test]
    fn canonical_text_tells_apart_what_the_databases_tell_apart() {
        assert_eq!(canonical(&Value::Null), "\\N");
        assert_eq!(canonical(&Value::Text("\\N".into())), "\\\\N");
        assert_eq!(canonical(&Value::Text("a\tb\nc".into())), "a\\tb\\nc");
        assert_eq!(canonical(&Value::Float(0.1 + 0.2)), "0.30000000000000004");
        assert_eq!(canonical(&Value::Float(-0.0)), "-0.0");
        assert_eq!(canonical(&Value::Bytes(vec![0, 0xab])), "\\x00ab");
        let at = NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|d| d.and_hms_micro_opt(9, 5, 0, 7))
            .map(Value::Timestamp);
        assert_eq!(
            at.as_ref().map(canonical).as_deref(),
            Some("2026-03-01T09:05:00.000007")
        );
    }

    #[test]
    fn json_keeps_every_digit_of_a_double_and_names_what_json_cannot_hold() {
        assert_eq!(
            Value::Float(1.0 / 3.0).into_json().to_string(),
            "0.3333333333333333"
        );
        assert_eq!(
            Value::Float(f64::INFINITY).into_json(),
            serde_json::json!("Infinity")
        );
        assert_eq!(
            Value::Bytes(vec![1, 2]).into_json(),
            serde_json::json!("\\x0102")
        );
    }
}
