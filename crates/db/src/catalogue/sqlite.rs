//! The catalogue as SQLite keeps it: `sqlite_master` and the table-valued pragmas.

use diesel::{
    sql_types::{BigInt, Bool, Nullable, Text},
    QueryableByName, RunQueryDsl, SqliteConnection,
};

use super::{
    foreign_key, in_lists, indexed_part, normalise, sqlite_in_list, type_class, Catalogue, Table,
    MIGRATIONS_TABLE,
};

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    sql: Option<String>,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = Bool)]
    notnull: bool,
    #[diesel(sql_type = BigInt)]
    pk: i64,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Nullable<Text>)]
    to: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    origin: String,
}

pub(super) fn read(conn: &mut SqliteConnection) -> diesel::QueryResult<Catalogue> {
    let tables: Vec<Named> = diesel::sql_query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> ? ORDER BY name",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    let mut catalogue = Catalogue::default();
    for Named { name, sql } in tables {
        let mut table = Table::default();
        let mut columns: Vec<SqliteColumn> = diesel::sql_query(
            "SELECT name, type, \"notnull\" <> 0 AS \"notnull\", pk FROM pragma_table_info(?)",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        columns.sort_by_key(|c| c.pk);
        for c in &columns {
            // A primary key column is never null, whatever SQLite's pragma says.
            let nullable = !c.notnull && c.pk == 0;
            table
                .columns
                .insert(c.name.clone(), (type_class(&c.r#type), nullable));
            if c.pk > 0 {
                table.primary_key.push(c.name.clone());
            }
        }
        let fks: Vec<SqliteForeignKey> = diesel::sql_query(
            "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?)",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        for fk in fks {
            // A reference without a column names the other table's primary key.
            let to = match fk.to {
                Some(to) => to,
                None => sqlite_primary_key(conn, &fk.table)?,
            };
            table.foreign_keys.insert(foreign_key(
                &fk.from,
                &fk.table,
                &to,
                &fk.on_delete.to_ascii_lowercase(),
            ));
        }
        let indexes: Vec<SqliteIndex> = diesel::sql_query(
            "SELECT name, origin FROM pragma_index_list(?) WHERE \"unique\" <> 0 AND origin <> 'pk'",
        )
        .bind::<Text, _>(&name)
        .load(conn)?;
        for index in indexes {
            let definition = if index.origin == "c" {
                let found: Vec<Named> = diesel::sql_query(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?",
                )
                .bind::<Text, _>(&index.name)
                .load(conn)?;
                let sql = found.into_iter().find_map(|n| n.sql).unwrap_or_default();
                indexed_part(&sql)
            } else {
                let columns: Vec<Named> = diesel::sql_query(
                    "SELECT name, NULL AS sql FROM pragma_index_info(?) ORDER BY seqno",
                )
                .bind::<Text, _>(&index.name)
                .load(conn)?;
                columns
                    .into_iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(",")
            };
            table.unique.insert(normalise(&definition));
        }
        table.checks = in_lists(sql.as_deref().unwrap_or_default(), sqlite_in_list);
        catalogue.tables.insert(name, table);
    }
    Ok(catalogue)
}

fn sqlite_primary_key(conn: &mut SqliteConnection, table: &str) -> diesel::QueryResult<String> {
    let columns: Vec<Named> =
        diesel::sql_query("SELECT name, NULL AS sql FROM pragma_table_info(?) WHERE pk > 0")
            .bind::<Text, _>(table)
            .load(conn)?;
    Ok(columns
        .into_iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(","))
}
