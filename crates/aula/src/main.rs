//! `aula`: the Aula server and its administration commands.

mod backup;
mod bench;
mod bench_certificates;
mod bench_enrolments;
mod bench_gradebook;
mod config;
mod db_copy;
mod jobs;
mod maintenance;
mod periodic;
mod seed;
mod seed_assessment;
mod seed_catalog;
mod seed_certification;
mod seed_content_translations;
mod seed_enrolment;
mod seed_review;
mod serve;

use std::{
    io::{BufRead, Write},
    path::PathBuf,
    process::ExitCode,
    sync::Arc,
};

use aula_core::{Locale, OsTokenSource, SystemClock};
use aula_identity::{Identity, NewUser, Role};
use clap::{Parser, Subcommand};

use crate::config::Settings;

/// Aula, the learning management system of the CIESS.
///
/// Settings come from AULA_* environment variables (see docs/configuration.md):
/// AULA_DATABASE_URL, AULA_DATA_DIR, AULA_BIND, AULA_PUBLIC_URL, AULA_SMTP_URL,
/// AULA_MAIL_FROM, AULA_JWT_SECRET, AULA_FRONTEND_DIR, AULA_TRUST_PROXY, AULA_WORKERS,
/// AULA_LOGIN_LIMIT_PER_ACCOUNT, AULA_LOGIN_LIMIT_PER_IP, AULA_VERIFY_LIMIT_PER_MINUTE,
/// AULA_MAX_UPLOAD_MB, AULA_MAX_CONCURRENT_UPLOADS, AULA_METRICS_TOKEN, AULA_STORAGE_URL
/// (`s3://bucket[/prefix]`, with the AWS_* variables), AULA_SHUTDOWN_TIMEOUT, AULA_LOG (a
/// log filter such as `info` or `warn,aula=debug`) and AULA_LOG_FORMAT (`json` for JSON
/// lines).
#[derive(Parser)]
#[command(name = "aula", version, about, long_about)]
struct Cli {
    /// A TOML file with the same settings in lower case (`bind = "0.0.0.0:8080"`);
    /// environment variables override it.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply pending migrations, then serve the API and the web UI, and deliver mail.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load data.
    Seed {
        #[command(subcommand)]
        what: SeedCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserCommand,
    },
    /// Copy the SQLite database (consistently, while the server runs) and the stored
    /// files into a new directory. PostgreSQL is backed up with pg_dump.
    Backup {
        /// A new or empty directory.
        dir: PathBuf,
    },
    /// Put a backup made by `aula backup` back as this installation's database and
    /// files; refuses to overwrite existing ones.
    Restore {
        /// The backup's directory.
        dir: PathBuf,
    },
    /// Database administration: copy a SQLite database into PostgreSQL.
    Db {
        #[command(subcommand)]
        action: DbCommand,
    },
    /// Print the OpenAPI document of the HTTP API (the one served at
    /// /api/v1/openapi.json) and exit; needs no settings and no database.
    Openapi,
}

#[derive(Subcommand)]
enum SeedCommand {
    /// Demo institutions, accounts (admin@demo.test, instructor@demo.test,
    /// coordinator@demo.test, student@demo.test), a catalog of twelve courses with
    /// offerings, sessions and lessons, and more learners with enrolments in every
    /// state. Running it again changes nothing.
    Demo {
        /// Password of the demo accounts.
        #[arg(long, default_value = seed::DEFAULT_DEMO_PASSWORD)]
        password: String,
    },
    /// A large data set for load tests: published courses with offerings and verified
    /// student accounts (bench-NNNNN@bench.test). Needs `seed demo` first.
    Bench(bench::Plan),
}

#[derive(Subcommand)]
enum DbCommand {
    /// Copy every table of a SQLite database into a new, empty PostgreSQL database,
    /// and verify the copy.
    ///
    /// The PostgreSQL database is migrated first and must hold no data. The rows are
    /// copied in one transaction, in foreign-key order; sequences are moved past the
    /// copied ids; each table's row count and checksum are compared on both sides, and
    /// any difference rolls the copy back. Stop the server (or take a backup) first;
    /// see docs/operations.md.
    Copy {
        /// The SQLite database: sqlite://PATH or a path.
        #[arg(long, value_name = "URL")]
        from: String,
        /// The PostgreSQL database: postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "URL")]
        to: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a verified account; the password is read from standard input (first line).
    Create {
        #[arg(long)]
        email: String,
        /// Full name, e.g. "María José Núñez".
        #[arg(long)]
        name: String,
        /// admin, instructor, coordinator or student; repeat for several.
        #[arg(long = "role", required = true, value_parser = parse_role)]
        roles: Vec<Role>,
        /// Id of the person's institution.
        #[arg(long)]
        institution: Option<i64>,
        /// es, en, pt or fr.
        #[arg(long, default_value = "es", value_parser = parse_locale)]
        locale: Locale,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not one of admin, instructor, coordinator, student"))
}

fn parse_locale(s: &str) -> Result<Locale, String> {
    s.parse()
        .map_err(|_| format!("`{s}` is not one of es, en, pt, fr"))
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let result = match cli.command {
        // The document depends on nothing but the code: no settings to read, no log.
        Command::Openapi => print_openapi(),
        // Both databases are named on the command line: no settings to read.
        Command::Db { action } => {
            serve::init_tracing();
            db(action)
        }
        command => {
            serve::init_tracing();
            match Settings::load(cli.config.as_deref(), |k| std::env::var(k).ok()) {
                Ok(settings) => run(command, settings),
                Err(e) => {
                    eprintln!("aula: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aula: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: Settings) -> Result<(), serve::Error> {
    match command {
        Command::Openapi => print_openapi(),
        Command::Db { action } => db(action),
        Command::Serve => serve::serve(settings),
        Command::Migrate => serve::migrate(&settings).map(|applied| {
            if applied.is_empty() {
                println!("database is up to date");
            } else {
                applied.iter().for_each(|m| println!("applied {m}"));
            }
        }),
        Command::Backup { dir } => backup::backup(&settings, &dir),
        Command::Restore { dir } => backup::restore(&settings, &dir),
        Command::Seed {
            what: SeedCommand::Demo { password },
        } => seed::demo(&settings, &password),
        Command::Seed {
            what: SeedCommand::Bench(plan),
        } => bench::bench(&settings, &plan),
        Command::User {
            action:
                UserCommand::Create {
                    email,
                    name,
                    roles,
                    institution,
                    locale,
                },
        } => create_user(
            &settings,
            NewUser {
                email,
                full_name: name,
                password: String::new(),
                locale,
                institution_id: institution,
                roles,
            },
        ),
    }
}

fn db(action: DbCommand) -> Result<(), serve::Error> {
    match action {
        DbCommand::Copy { from, to } => db_copy::run(&from, &to, &mut std::io::stdout().lock())
            .map_err(|e| serve::Error::Io(std::io::Error::other(e))),
    }
}

/// The document as the web UI's type generation reads it (`frontend/src/lib/api/openapi.json`).
fn print_openapi() -> Result<(), serve::Error> {
    let json = aula_api::openapi::openapi()
        .to_pretty_json()
        .map_err(std::io::Error::other)?;
    // Not `println!`, which panics when the reader has gone (`aula openapi | head`).
    match writeln!(std::io::stdout().lock(), "{json}") {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn create_user(settings: &Settings, mut input: NewUser) -> Result<(), serve::Error> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    input.password = line.trim_end_matches(['\r', '\n']).to_owned();
    let (_pool, mut conn, secret) = serve::open(settings)?;
    let identity = Identity::new(
        Arc::new(SystemClock),
        Arc::new(OsTokenSource),
        secret.as_bytes(),
        serve::auth_config(settings),
    );
    let user = aula_identity::auth::create_user(&mut conn, &identity, &input)?;
    let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
    println!(
        "created user {} <{}> with roles {}",
        user.id,
        user.email,
        roles.join(", ")
    );
    Ok(())
}

/// glibc raises its mmap threshold after the first large block is freed; from then on
/// every 19 MiB argon2 block lands in a per-thread arena that is rarely given back, and
/// a burst of sign-ins leaves the process hundreds of megabytes larger. A fixed
/// threshold keeps large blocks mapped on their own and returned when freed.
fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator tuning; called once before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}
