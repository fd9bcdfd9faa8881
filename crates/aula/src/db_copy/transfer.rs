//! Moving one table's rows: read from SQLite in key order, inserted on PostgreSQL in
//! batches through `json_populate_recordset` (PostgreSQL's own input functions convert
//! each value to its column's type), with the checksum of what was read; then the
//! sequences, and the checksum of what PostgreSQL holds.

use std::collections::HashSet;

use diesel::{
    connection::LoadConnection,
    pg::{PgConnection, PgRowByRowLoadingMode},
    row::{Field, Row},
    sql_types::Text,
    sqlite::SqliteConnection,
    RunQueryDsl,
};
use sha2::{Digest, Sha256};

use super::{
    plan::{ident, Table},
    values::{self, Value},
    Context, CopyError,
};

/// Rows per INSERT; a batch is also sent early once its JSON reaches `BATCH_BYTES`
/// (stored files such as mail attachments make some rows large).
const BATCH_ROWS: usize = 1_000;
const BATCH_BYTES: usize = 8 << 20;

/// Row count and SHA-256 (hex) of a table's canonical rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sum {
    pub rows: u64,
    pub sha256: String,
}

struct Hasher {
    sha: Sha256,
    rows: u64,
    line: String,
}

impl Hasher {
    fn new() -> Self {
        Self {
            sha: Sha256::new(),
            rows: 0,
            line: String::new(),
        }
    }

    fn add(&mut self, row: &[Value]) {
        self.line.clear();
        values::write_row(row, &mut self.line);
        self.sha.update(self.line.as_bytes());
        self.rows += 1;
    }

    fn finish(self) -> Sum {
        Sum {
            rows: self.rows,
            sha256: aula_core::hex(&self.sha.finalize()),
        }
    }
}

/// What copying one table did.
pub struct Copied {
    pub source: Sum,
    /// Timestamps that had digits below the microsecond (PostgreSQL's resolution).
    pub truncated: u64,
    /// Rows whose reference to a later row of the same table was set afterwards.
    pub deferred: u64,
}

fn column_list(table: &Table, prefix: &str) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|c| format!("{prefix}{}", ident(&c.name)))
        .collect();
    names.join(", ")
}

fn order_by(table: &Table, text_collation: &str, nulls: &str) -> String {
    let keys: Vec<String> = table
        .key
        .iter()
        .map(|&i| {
            let column = &table.columns[i];
            let collate = if column.kind.is_text() {
                text_collation
            } else {
                ""
            };
            format!("{}{collate}{nulls}", ident(&column.name))
        })
        .collect();
    keys.join(", ")
}

/// Rows in the same order on both sides: SQLite's BINARY collation and PostgreSQL's
/// "C" both compare UTF-8 bytes, and SQLite puts NULLs first.
fn select_sqlite(table: &Table) -> String {
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        column_list(table, ""),
        ident(&table.name),
        order_by(table, " COLLATE BINARY", "")
    )
}

fn select_pg(table: &Table) -> String {
    format!(
        "SELECT {} FROM {} ORDER BY {}",
        column_list(table, ""),
        ident(&table.name),
        order_by(table, " COLLATE \"C\"", " NULLS FIRST")
    )
}

/// A row's key as text, for messages and for finding rows referenced within a table.
fn key_text(table: &Table, positions: &[usize], row: &[Value]) -> String {
    let mut out = String::new();
    for (n, &i) in positions.iter().enumerate() {
        if n > 0 {
            out.push_str(", ");
        }
        out.push_str(&table.columns[i].name);
        out.push('=');
        row[i].write_canonical(&mut out);
    }
    out
}

/// The canonical text of some of a row's values, to match a reference with a key.
fn values_text(positions: &[usize], row: &[Value]) -> String {
    let picked: Vec<Value> = positions.iter().map(|&i| row[i].clone()).collect();
    let mut out = String::new();
    values::write_row(&picked, &mut out);
    out
}

/// A batch of rows as one JSON array, sent as a single parameter.
struct Batch {
    json: String,
    rows: usize,
}

impl Batch {
    fn new() -> Self {
        Self {
            json: String::from("["),
            rows: 0,
        }
    }

    fn push(&mut self, object: serde_json::Map<String, serde_json::Value>) {
        if self.rows > 0 {
            self.json.push(',');
        }
        self.json
            .push_str(&serde_json::Value::Object(object).to_string());
        self.rows += 1;
    }

    fn full(&self) -> bool {
        self.rows >= BATCH_ROWS || self.json.len() >= BATCH_BYTES
    }

    /// Runs `sql` with the batch as `$1` and starts a new one.
    fn send(&mut self, pg: &mut PgConnection, sql: &str, what: &str) -> Result<(), CopyError> {
        if self.rows == 0 {
            return Ok(());
        }
        self.json.push(']');
        diesel::sql_query(sql)
            .bind::<Text, _>(&self.json)
            .execute(pg)
            .context(what)?;
        *self = Batch::new();
        Ok(())
    }
}

/// Copies every row of `table`, checksumming them as read.
///
/// A reference to a row of the same table that comes later in key order (a forward
/// reference) is inserted as NULL and set once the whole table is in: PostgreSQL checks
/// a foreign key when the statement inserting the row ends, and the referenced row may
/// only arrive in a later batch.
pub fn copy_table(
    lite: &mut SqliteConnection,
    pg: &mut PgConnection,
    table: &Table,
) -> Result<Copied, CopyError> {
    let name = ident(&table.name);
    let columns = column_list(table, "");
    // Identity columns are GENERATED ALWAYS: the copied ids must be taken as given.
    let overriding = if table.has_sequence() {
        " OVERRIDING SYSTEM VALUE"
    } else {
        ""
    };
    let insert = format!(
        "INSERT INTO {name} ({columns}){overriding} SELECT {columns} \
         FROM json_populate_recordset(NULL::{name}, $1::json)"
    );
    let mut batch = Batch::new();
    let mut later = Vec::new();
    let mut hasher = Hasher::new();
    let (mut truncated, mut deferred) = (0, 0);
    // Keys of the rows read so far, per reference to the table itself.
    let mut seen: Vec<HashSet<String>> = vec![HashSet::new(); table.self_references.len()];
    let key_positions = &table.key;

    let cursor = LoadConnection::load(lite, diesel::sql_query(select_sqlite(table)))
        .context(format!("reading {}", table.name))?;
    for row in cursor {
        let row = row.context(format!("reading {}", table.name))?;
        let mut decoded = Vec::with_capacity(table.columns.len());
        let mut problem = None;
        for (i, column) in table.columns.iter().enumerate() {
            let field = row.get(i);
            match values::from_sqlite(column.kind, field.as_ref().and_then(|f| f.value())) {
                Ok(d) => {
                    truncated += u64::from(d.truncated);
                    decoded.push(d.value);
                }
                Err(e) => {
                    problem = Some((column.name.clone(), e));
                    decoded.push(Value::Null);
                }
            }
        }
        if let Some((column, problem)) = problem {
            return Err(CopyError::BadValue {
                table: table.name.clone(),
                column,
                row: key_text(table, key_positions, &decoded),
                problem,
            });
        }
        hasher.add(&decoded);

        let mut forward = false;
        for (reference, seen) in table.self_references.iter().zip(&mut seen) {
            seen.insert(values_text(&reference.to, &decoded));
            let points_to = values_text(&reference.from, &decoded);
            let set = reference.from.iter().all(|&i| decoded[i] != Value::Null);
            forward |= set && !seen.contains(&points_to);
        }
        let mut object = serde_json::Map::with_capacity(table.columns.len());
        if forward {
            deferred += 1;
            let mut update = serde_json::Map::new();
            let referencing = table.self_references.iter().flat_map(|r| &r.from);
            for &i in key_positions.iter().chain(referencing) {
                update.insert(
                    table.columns[i].name.clone(),
                    decoded[i].clone().into_json(),
                );
            }
            later.push(update);
            for &i in table.self_references.iter().flat_map(|r| &r.from) {
                decoded[i] = Value::Null;
            }
        }
        for (column, value) in table.columns.iter().zip(decoded) {
            object.insert(column.name.clone(), value.into_json());
        }
        batch.push(object);
        if batch.full() {
            batch.send(pg, &insert, &format!("inserting into {}", table.name))?;
        }
    }
    batch.send(pg, &insert, &format!("inserting into {}", table.name))?;
    if !later.is_empty() {
        set_forward_references(pg, table, later)?;
    }
    Ok(Copied {
        source: hasher.finish(),
        truncated,
        deferred,
    })
}

/// The second pass: sets the references held back at insert, in batches.
fn set_forward_references(
    pg: &mut PgConnection,
    table: &Table,
    rows: Vec<serde_json::Map<String, serde_json::Value>>,
) -> Result<(), CopyError> {
    let name = ident(&table.name);
    let set: Vec<String> = table
        .self_references
        .iter()
        .flat_map(|r| &r.from)
        .map(|&i| {
            let c = ident(&table.columns[i].name);
            format!("{c} = v.{c}")
        })
        .collect();
    let matching: Vec<String> = table
        .key
        .iter()
        .map(|&i| {
            let c = ident(&table.columns[i].name);
            format!("{name}.{c} = v.{c}")
        })
        .collect();
    let update = format!(
        "UPDATE {name} SET {} FROM json_populate_recordset(NULL::{name}, $1::json) AS v WHERE {}",
        set.join(", "),
        matching.join(" AND ")
    );
    let what = format!(
        "setting the references of {} to its own later rows",
        table.name
    );
    let mut batch = Batch::new();
    for row in rows {
        batch.push(row);
        if batch.full() {
            batch.send(pg, &update, &what)?;
        }
    }
    batch.send(pg, &update, &what)
}

/// Points every sequence past the largest copied value, so the next row PostgreSQL
/// numbers itself does not collide. Returns how many sequences were set.
pub fn reset_sequences(pg: &mut PgConnection, tables: &[Table]) -> Result<usize, CopyError> {
    let mut reset = 0;
    for table in tables {
        for column in table.columns.iter().filter(|c| c.has_sequence) {
            // `is_called = false`: the next value is exactly max + 1 (1 when empty).
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), \
                 coalesce((SELECT max({c}) FROM {t}), 0) + 1, false) AS value",
                c = ident(&column.name),
                t = ident(&table.name),
            ))
            .bind::<Text, _>(ident(&table.name))
            .bind::<Text, _>(&column.name)
            .execute(pg)
            .context(format!(
                "resetting the sequence of {}.{}",
                table.name, column.name
            ))?;
            reset += 1;
        }
    }
    Ok(reset)
}

/// Row count and checksum of what PostgreSQL holds for `table`, read back in key order
/// and decoded from PostgreSQL's own binary form.
pub fn target_sum(pg: &mut PgConnection, table: &Table) -> Result<Sum, CopyError> {
    let mut hasher = Hasher::new();
    let query = diesel::sql_query(select_pg(table));
    let cursor = <PgConnection as LoadConnection<PgRowByRowLoadingMode>>::load(pg, query)
        .context(format!("reading back {}", table.name))?;
    for row in cursor {
        let row = row.context(format!("reading back {}", table.name))?;
        let mut decoded = Vec::with_capacity(table.columns.len());
        for (i, column) in table.columns.iter().enumerate() {
            let field = row.get(i);
            let raw = field.as_ref().and_then(|f| f.value());
            let value =
                values::from_pg(column.kind, raw).map_err(|problem| CopyError::BadValue {
                    table: table.name.clone(),
                    column: column.name.clone(),
                    row: format!("row {} in PostgreSQL", hasher.rows + 1),
                    problem,
                })?;
            decoded.push(value);
        }
        hasher.add(&decoded);
    }
    Ok(hasher.finish())
}
