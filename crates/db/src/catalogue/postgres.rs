//! The catalogue as PostgreSQL keeps it: `information_schema` and `pg_catalog`.

use diesel::{
    sql_types::{Bool, Text},
    PgConnection, QueryableByName, RunQueryDsl,
};

use super::{
    foreign_key, in_lists, indexed_part, normalise, postgres_in_list, type_class, Catalogue,
    MIGRATIONS_TABLE,
};

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_table: String,
    #[diesel(sql_type = Text)]
    to_column: String,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

#[derive(QueryableByName)]
struct PgDefinition {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    definition: String,
    #[diesel(sql_type = Bool)]
    primary: bool,
}

pub(super) fn read(conn: &mut PgConnection) -> diesel::QueryResult<Catalogue> {
    let mut catalogue = Catalogue::default();
    let columns: Vec<PgColumn> = diesel::sql_query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
                c.udt_name::text AS udt_name, c.is_nullable = 'YES' AS nullable \
         FROM information_schema.columns c \
         JOIN information_schema.tables t \
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
           AND c.table_name <> $1",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    for c in columns {
        catalogue
            .tables
            .entry(c.table_name)
            .or_default()
            .columns
            .insert(c.column_name, (type_class(&c.udt_name), c.nullable));
    }
    let indexes: Vec<PgDefinition> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, pg_get_indexdef(i.indexrelid) AS definition, \
                i.indisprimary AS primary \
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid \
         WHERE t.relnamespace = current_schema()::regnamespace AND i.indisunique \
           AND t.relname <> $1",
    )
    .bind::<Text, _>(MIGRATIONS_TABLE)
    .load(conn)?;
    for index in indexes {
        let Some(table) = catalogue.tables.get_mut(&index.table_name) else {
            continue;
        };
        let part = normalise(&indexed_part(&index.definition));
        if index.primary {
            table.primary_key = part.split(',').map(str::to_owned).collect();
        } else {
            table.unique.insert(part);
        }
    }
    let fks: Vec<PgForeignKey> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, a.attname::text AS from_column, \
                r.relname::text AS to_table, ra.attname::text AS to_column, \
                c.confdeltype::text AS on_delete \
         FROM pg_constraint c \
         JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_class r ON r.oid = c.confrelid \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1] \
         WHERE c.contype = 'f' AND t.relnamespace = current_schema()::regnamespace",
    )
    .load(conn)?;
    for fk in fks {
        let action = match fk.on_delete.as_str() {
            "a" => "no action",
            "r" => "restrict",
            "c" => "cascade",
            "n" => "set null",
            "d" => "set default",
            other => other,
        };
        if let Some(table) = catalogue.tables.get_mut(&fk.table_name) {
            table.foreign_keys.insert(foreign_key(
                &fk.from_column,
                &fk.to_table,
                &fk.to_column,
                action,
            ));
        }
    }
    let checks: Vec<PgDefinition> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, pg_get_constraintdef(c.oid) AS definition, \
                false AS primary \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'c' AND t.relnamespace = current_schema()::regnamespace",
    )
    .load(conn)?;
    for check in checks {
        if let Some(table) = catalogue.tables.get_mut(&check.table_name) {
            table
                .checks
                .extend(in_lists(&check.definition, postgres_in_list));
        }
    }
    Ok(catalogue)
}
