//! Start-up: database, migrations, secrets, the mail worker and the HTTP server; and
//! the graceful shutdown on SIGTERM or SIGINT.

use std::{net::TcpListener, sync::Arc, time::Duration};

use aula_api::{ApiConfig, AppState, Application, ServerOptions};
use aula_core::{Clock, OsTokenSource, SystemClock, TokenSource};
use aula_db::{run_migrations, DbPool, PooledConn};
use aula_identity::{get_or_create_secret, AuthConfig, Identity, IdentityError, Limit, Limits};
use aula_mail::{Transport, Worker, WorkerConfig, WorkerHandle};

use crate::{config::Settings, maintenance, periodic::Periodic};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Db(#[from] aula_db::DbError),
    #[error(transparent)]
    Migration(#[from] aula_db::MigrationError),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("{}", describe(.0))]
    Identity(#[from] IdentityError),
    #[error("{}", describe_catalog(.0))]
    Catalog(#[from] aula_catalog::CatalogError),
    #[error("mail: {0}")]
    Mail(#[from] aula_mail::MailError),
    #[error("enrolment: {0}")]
    Enrolment(#[from] aula_enrolment::EnrolmentError),
    #[error("assessment: {0}")]
    Assessment(#[from] aula_assessment::AssessmentError),
    #[error("certification: {0}")]
    Certification(#[from] aula_certification::CertificationError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The demo data no longer fits the rules it is loaded through.
    #[error("demo data: {0}")]
    Demo(String),
}

/// Validation errors as `field: code` lines for the terminal.
fn describe(e: &IdentityError) -> String {
    match e {
        IdentityError::Validation(errors) => {
            let fields: Vec<String> = errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.code))
                .collect();
            format!("invalid input ({})", fields.join("; "))
        }
        other => other.to_string(),
    }
}

fn describe_catalog(e: &aula_catalog::CatalogError) -> String {
    match e {
        aula_catalog::CatalogError::Validation(errors) => {
            let fields: Vec<String> = errors
                .iter()
                .map(|f| format!("{}: {}", f.field, f.code))
                .collect();
            format!("invalid catalog input ({})", fields.join("; "))
        }
        other => other.to_string(),
    }
}

/// Logs to standard error: readable lines, or one JSON object per line with
/// `AULA_LOG_FORMAT=json` (for log collectors). `AULA_LOG` filters them.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("AULA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_web=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = if std::env::var("AULA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json")) {
        builder.json().with_current_span(true).try_init()
    } else {
        builder
            .with_ansi(
                std::io::IsTerminal::is_terminal(&std::io::stderr())
                    && std::env::var_os("NO_COLOR").is_none(),
            )
            .try_init()
    };
}

pub fn auth_config(settings: &Settings) -> AuthConfig {
    let defaults = Limits::default();
    let limits = Limits {
        login_per_account: Limit {
            max: settings.login_limit_per_account,
            ..defaults.login_per_account
        },
        login_per_ip: Limit {
            max: settings.login_limit_per_ip,
            ..defaults.login_per_ip
        },
        ..defaults
    };
    AuthConfig {
        public_url: settings.public_url.clone(),
        limits,
    }
}

pub fn migrate(settings: &Settings) -> Result<Vec<String>, Error> {
    let mut conn = settings.database.connect()?;
    Ok(run_migrations(&mut conn)?)
}

/// Migrates, then returns a pool, one connection from it, and the JWT secret
/// (configured, or generated once and kept in the database).
pub fn open(settings: &Settings) -> Result<(DbPool, PooledConn, String), Error> {
    let pool = settings.database.pool(pool_size(settings))?;
    let mut conn = pool.get()?;
    for applied in run_migrations(&mut conn)? {
        tracing::info!(migration = %applied, "applied migration");
    }
    let secret = match &settings.jwt_secret {
        Some(secret) => secret.clone(),
        None => get_or_create_secret(&mut conn, "jwt_secret", SystemClock.now(), || {
            let mut bytes = [0u8; 48];
            OsTokenSource.fill(&mut bytes);
            aula_core::hex(&bytes)
        })?,
    };
    Ok((pool, conn, secret))
}

fn pool_size(settings: &Settings) -> u32 {
    let workers = settings
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    (workers as u32 * 4).clamp(8, 64)
}

pub fn serve(settings: Settings) -> Result<(), Error> {
    // Before anything starts: a store that cannot be configured stops start-up at once.
    let storage = settings.storage()?;
    let (pool, conn, secret) = open(&settings)?;
    drop(conn);
    let clock: aula_core::SharedClock = Arc::new(SystemClock);
    let identity = Identity::new(
        clock.clone(),
        Arc::new(OsTokenSource),
        secret.as_bytes(),
        auth_config(&settings),
    );

    restrict_permissions(&settings.data_dir);
    let transport = Transport::from_config(settings.smtp_url.as_deref(), &settings.mail_dir())?;
    let worker = Worker::new(
        pool.clone(),
        transport,
        clock.clone(),
        WorkerConfig {
            poll_interval: Duration::from_secs(1),
            ..WorkerConfig::new(settings.mail_from.clone())
        },
    )
    .spawn()?;

    let maintenance = maintenance::spawn(pool.clone(), clock.clone(), Duration::from_secs(3600))?;

    let listener = TcpListener::bind(settings.bind)?;
    let frontend_dir = settings
        .frontend_dir
        .clone()
        .filter(|d| d.join("index.html").is_file());
    if frontend_dir.is_none() {
        let dir = settings
            .frontend_dir
            .as_deref()
            .unwrap_or(std::path::Path::new("-"));
        tracing::warn!(dir = %dir.display(), "web UI not built (no index.html there); serving the API only");
    }
    let backend = settings.database.backend();
    let admissions = aula_enrolment::Admissions::new(
        clock.clone(),
        Arc::new(OsTokenSource),
        storage.clone(),
        identity.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    let assessment = aula_assessment::Assessment::new(
        clock.clone(),
        Arc::new(OsTokenSource),
        storage.clone(),
        &settings.public_url,
        settings.max_upload_bytes,
    );
    let certification = aula_certification::Certification::new(
        clock.clone(),
        Arc::new(OsTokenSource),
        storage.clone(),
        assessment.clone(),
        &settings.public_url,
    )
    .with_verify_limit(aula_identity::Limit {
        max: settings.verify_limit_per_minute,
        window: chrono::TimeDelta::minutes(1),
    });
    let jobs = crate::jobs::spawn(pool.clone(), certification.clone(), Duration::from_secs(2))?;
    let catalog_refresher = maintenance::spawn_catalog_refresher(
        pool.clone(),
        admissions.catalog().clone(),
        Duration::from_millis(200),
    )?;
    let state = AppState {
        pool,
        backend,
        identity,
        mail: worker.notifier(),
        catalog: admissions.catalog().clone(),
        admissions: Arc::new(admissions),
        assessment: Arc::new(assessment),
        certification: Arc::new(certification),
        config: ApiConfig {
            frontend_dir,
            trust_proxy: settings.trust_proxy,
            max_upload_bytes: settings.max_upload_bytes,
            max_concurrent_uploads: settings.max_concurrent_uploads,
            metrics_token: settings.metrics_token.clone(),
            ..ApiConfig::default()
        },
        metrics: Default::default(),
        uploads: aula_api::UploadSlots::new(settings.max_concurrent_uploads),
    };
    let options = ServerOptions {
        workers: settings.workers,
        shutdown_timeout: settings.shutdown_timeout,
    };
    let app = Application::build_with(state, listener, options)?;
    let background = Background {
        mail: worker,
        maintenance,
        jobs,
        catalog: catalog_refresher,
    };
    let mail = match &settings.smtp_url {
        Some(_) => "SMTP".to_owned(),
        None => format!("files in {}", settings.mail_dir().display()),
    };
    let files = match &settings.storage_url {
        Some(location) => location.to_string(),
        None => settings.files_dir().display().to_string(),
    };
    tracing::info!(database = backend.as_str(), %mail, %files, "Aula listening on http://{}", settings.bind);
    println!(
        "Aula is running at http://{} (database: {}, mail: {mail}); press Ctrl+C to stop.",
        settings.bind,
        backend.as_str()
    );
    let timeout = settings.shutdown_timeout;
    let (result, signalled) = actix_web::rt::System::new().block_on(async {
        let stop_signal = match stop_signal() {
            Ok(signal) => signal,
            Err(e) => return (Err(e), false),
        };
        let http = app.handle();
        let server = app.run_until_stopped();
        tokio::pin!(server);
        tokio::select! {
            result = &mut server => return (result, false),
            signal = stop_signal => tracing::info!(
                signal,
                timeout_seconds = timeout.as_secs(),
                "shutting down: no new connections; finishing the requests and background jobs in hand"
            ),
        }
        background.stop();
        let (result, ()) = tokio::join!(server, http.stop(true));
        (result, true)
    });
    background.join();
    if signalled {
        tracing::info!("shutdown complete");
    }
    Ok(result?)
}

/// The threads that run beside the HTTP server.
struct Background {
    mail: WorkerHandle,
    maintenance: Periodic,
    jobs: Periodic,
    catalog: Periodic,
}

impl Background {
    /// Asks every thread to stop after the job in hand; they stop together.
    fn stop(&self) {
        self.mail.stop();
        self.maintenance.stop();
        self.jobs.stop();
        self.catalog.stop();
    }

    /// Stops and waits for every thread.
    fn join(self) {
        self.stop();
        self.mail.shutdown();
        self.maintenance.shutdown();
        self.jobs.shutdown();
        self.catalog.shutdown();
    }
}

/// Resolves on the first SIGTERM or SIGINT (Ctrl+C), naming it. Both mean a graceful
/// stop; `AULA_SHUTDOWN_TIMEOUT` bounds the wait for the requests in flight.
#[cfg(unix)]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        }
    })
}

#[cfg(not(unix))]
fn stop_signal() -> std::io::Result<impl std::future::Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl+C"
    })
}

/// Mail files hold sign-in links and the SQLite file everything else: keep the data
/// directory private to the service account.
fn restrict_permissions(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::create_dir_all(dir).is_ok() {
            if let Err(e) = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)) {
                tracing::warn!(dir = %dir.display(), error = %e, "cannot restrict the data directory");
            }
        }
    }
}
