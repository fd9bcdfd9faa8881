//! Aula's HTTP API (`/api/v1`) and the web UI it serves. Handlers parse the request,
//! call one domain function and shape the answer; rules live in the domain crates.

mod controls;
pub mod error;
mod extract;
mod fallback;
mod locale;
pub mod messages;
pub mod metrics;
pub mod openapi;
pub mod request_id;
mod routes;
mod state;
mod upload;
mod web_ui;

use aula_core::ErrorCode;
use std::{net::TcpListener, time::Duration};

use actix_web::{
    dev::Server,
    middleware::{from_fn, Compress, Logger},
    web, App, HttpServer,
};
use utoipa_actix_web::{scope, AppExt};

pub use error::ApiError;
pub use state::{ApiConfig, AppState};
pub use upload::UploadSlots;

pub const API_PREFIX: &str = "/api/v1";

/// Registers the whole application on an actix `App`.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let query_config = web::QueryConfig::default().error_handler(|e, _| {
        ApiError::new(ErrorCode::InvalidQuery)
            .with_detail(e.to_string())
            .into()
    });
    let path_config = web::PathConfig::default().error_handler(|e, _| {
        ApiError::new(ErrorCode::InvalidPath)
            .with_detail(e.to_string())
            .into()
    });
    // Behind a trusted proxy, log the client the proxy reports rather than the proxy.
    let access_log_format = if state.config.trust_proxy {
        "%{r}a \"%r\" %s %b %Dms id=%{x-request-id}o"
    } else {
        "%a \"%r\" %s %b %Dms id=%{x-request-id}o"
    };
    App::new()
        .app_data(state)
        .app_data(query_config)
        .app_data(path_config)
        .wrap(from_fn(controls::refuse_in_address))
        .wrap(from_fn(locale::localize_problems))
        .wrap(from_fn(request_id::tag))
        .wrap(from_fn(metrics::measure))
        .wrap(Compress::default())
        .wrap(Logger::new(access_log_format).exclude("/api/v1/health"))
        .into_utoipa_app()
        .service(scope::scope(API_PREFIX).configure(routes::configure))
        .service(routes::certification::public::jwks)
        .into_app()
        .route("/metrics", web::get().to(metrics::scrape))
        .default_service(web::to(fallback::fallback))
}

/// A running server bound to a known port (port 0 picks a free one, for tests).
pub struct Application {
    server: Server,
    port: u16,
}

/// How the HTTP server runs.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Worker threads; `None`: one per core.
    pub workers: Option<usize>,
    /// After a graceful stop is asked for ([`Application::handle`]), how long the
    /// requests in flight may take to finish; connections still open then are dropped.
    pub shutdown_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        Self {
            workers: None,
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

impl Application {
    pub fn build(
        state: AppState,
        listener: TcpListener,
        workers: Option<usize>,
    ) -> std::io::Result<Self> {
        let options = ServerOptions {
            workers,
            ..ServerOptions::default()
        };
        Self::build_with(state, listener, options)
    }

    /// The server does not watch for signals itself: whoever runs it stops it through
    /// [`Application::handle`] (`aula serve` turns SIGTERM and SIGINT into a graceful stop).
    pub fn build_with(
        state: AppState,
        listener: TcpListener,
        options: ServerOptions,
    ) -> std::io::Result<Self> {
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let mut server = HttpServer::new(move || app(state.clone()))
            .listen(listener)?
            .shutdown_timeout(options.shutdown_timeout.as_secs())
            .disable_signals();
        if let Some(workers) = options.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            server: server.run(),
            port,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
