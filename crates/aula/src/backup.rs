//! `aula backup DIR` and `aula restore DIR` for the embedded SQLite default: a
//! consistent copy of the database taken while the server runs (`VACUUM INTO`), with
//! the stored files beside it, and its way back into an empty data directory.
//! PostgreSQL is backed up with its own tools (`pg_dump`; docs/operations.md), and so
//! is an object store (`AULA_STORAGE_URL`): its files are never copied here.

use std::path::{Path, PathBuf};

use aula_db::DbUrl;
use diesel::{sql_types::Text, RunQueryDsl};

use crate::{config::Settings, serve};

/// The database's name inside a backup directory.
const DATABASE_FILE: &str = "aula.sqlite3";
const FILES_DIR: &str = "files";

fn refuse(message: String) -> serve::Error {
    serve::Error::Io(std::io::Error::other(message))
}

fn sqlite_path(settings: &Settings) -> Result<PathBuf, serve::Error> {
    match &settings.database {
        DbUrl::Sqlite(path) => Ok(PathBuf::from(path)),
        DbUrl::Postgresql(_) => Err(refuse(format!(
            "this database is PostgreSQL: back it up with `pg_dump --format=custom --file=aula.dump \"$AULA_DATABASE_URL\"` \
             (and restore with pg_restore), plus {}; see docs/operations.md",
            match &settings.storage_url {
                Some(location) => format!("a backup of the object store {location}"),
                None => "a copy of the files directory".to_owned(),
            }
        ))),
    }
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut entries| entries.next().is_none())
}

/// Copies a directory tree; a missing source copies nothing.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<u64> {
    if !from.is_dir() {
        return Ok(0);
    }
    std::fs::create_dir_all(to)?;
    let mut copied = 0;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copied += copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
            copied += 1;
        }
    }
    Ok(copied)
}

/// Writes the database and the stored files into `to`, which must be new or empty.
pub fn backup(settings: &Settings, to: &Path) -> Result<(), serve::Error> {
    sqlite_path(settings)?;
    if !is_empty_dir(to) {
        return Err(refuse(format!(
            "{} is not empty: choose a new directory",
            to.display()
        )));
    }
    std::fs::create_dir_all(to)?;
    let (_pool, mut conn, _secret) = serve::open(settings)?;
    let target = to.join(DATABASE_FILE);
    // A consistent snapshot even while the server writes: SQLite copies it within
    // one read transaction.
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target.to_string_lossy().into_owned())
        .execute(&mut *conn)?;
    match &settings.storage_url {
        Some(location) => println!(
            "Backup written to {}: the database ({DATABASE_FILE}) only. The stored files live in \
             the object store {location} and are not copied: back up that bucket with the \
             store's own tools (see docs/operations.md).",
            to.display()
        ),
        None => {
            let files = copy_tree(&settings.files_dir(), &to.join(FILES_DIR))?;
            println!(
                "Backup written to {}: the database ({DATABASE_FILE}) and {files} stored files.",
                to.display()
            );
        }
    }
    Ok(())
}

/// Puts a backup back as this installation's database and files. Refuses to overwrite
/// an existing database or files: restore into a fresh data directory, then start.
pub fn restore(settings: &Settings, from: &Path) -> Result<(), serve::Error> {
    let database = sqlite_path(settings)?;
    let source = from.join(DATABASE_FILE);
    if !source.is_file() {
        return Err(refuse(format!(
            "{} holds no {DATABASE_FILE}: not an Aula backup",
            from.display()
        )));
    }
    if database.exists() {
        return Err(refuse(format!(
            "{} exists: move it away (or point AULA_DATABASE_URL elsewhere) before restoring",
            database.display()
        )));
    }
    if settings.storage_url.is_none() && !is_empty_dir(&settings.files_dir()) {
        return Err(refuse(format!(
            "{} is not empty",
            settings.files_dir().display()
        )));
    }
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::copy(&source, &database)?;
    // Files in an object store are restored with the store's tools; copying a backup's
    // files into the local directory would leave them where the server never looks.
    let files = match &settings.storage_url {
        Some(_) => 0,
        None => copy_tree(&from.join(FILES_DIR), &settings.files_dir())?,
    };
    // A backup from an older version is brought up to date now, not at first start.
    let (_pool, _conn, _secret) = serve::open(settings)?;
    match &settings.storage_url {
        Some(location) => {
            println!(
                "Restored {} from {}. The stored files are not restored: they live in the \
                 object store {location}; restore that bucket with the store's own tools.",
                database.display(),
                from.display()
            );
            if !is_empty_dir(&from.join(FILES_DIR)) {
                println!(
                    "This backup holds files under {}: copy them into {location} (same keys) \
                     for the server to find them.",
                    from.join(FILES_DIR).display()
                );
            }
        }
        None => println!(
            "Restored {} and {files} stored files from {}.",
            database.display(),
            from.display()
        ),
    }
    Ok(())
}
