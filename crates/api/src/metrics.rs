//! `GET /metrics` in the Prometheus text format, for the operators' monitoring, not
//! for clients: requests by route and status, a latency histogram, the connection
//! pool, and the depth of the mail outbox and the job queue. It answers only with
//! `Authorization: Bearer <AULA_METRICS_TOKEN>`; without a token configured it does not
//! exist.

use std::{collections::BTreeMap, fmt::Write, sync::Mutex, time::Instant};

use actix_web::{
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::header,
    middleware::Next,
    web, HttpRequest, HttpResponse,
};
use aula_core::ErrorCode;

use crate::{error::ApiError, extract::db, state::AppState};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Series {
    count: u64,
    seconds: f64,
    /// Requests at or under each bucket's bound.
    buckets: [u64; BUCKETS.len()],
}

/// What this instance has answered since it started.
#[derive(Default)]
pub struct Metrics {
    /// By (method, route pattern, status).
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let entry = series
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        entry.count += 1;
        entry.seconds += seconds;
        for (bound, n) in BUCKETS.iter().zip(entry.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
    }

    fn render(&self, out: &mut String) {
        let series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        out.push_str(
            "# HELP aula_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE aula_http_requests_total counter\n");
        for ((method, route, status), s) in series.iter() {
            let _ = writeln!(
                out,
                "aula_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {}",
                escape(route),
                s.count
            );
        }
        out.push_str("# HELP aula_http_request_duration_seconds Time to answer, by route.\n");
        out.push_str("# TYPE aula_http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((method, route, _), s) in series.iter() {
            let total = by_route.entry((method, route)).or_default();
            total.count += s.count;
            total.seconds += s.seconds;
            for (t, n) in total.buckets.iter_mut().zip(s.buckets.iter()) {
                *t += n;
            }
        }
        for ((method, route), s) in by_route {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            for (bound, n) in BUCKETS.iter().zip(s.buckets.iter()) {
                let _ = writeln!(
                    out,
                    "aula_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "aula_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                out,
                "aula_http_request_duration_seconds_sum{{{labels}}} {}",
                s.seconds
            );
            let _ = writeln!(
                out,
                "aula_http_request_duration_seconds_count{{{labels}}} {}",
                s.count
            );
        }
    }
}

fn escape(label: &str) -> String {
    label.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Counts every answer under its route's pattern (`/api/v1/courses/{code}`), so ids do
/// not make a series each; unmatched paths count as `unmatched`.
pub async fn measure(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let res = next.call(req).await?;
    if let Some(metrics) = metrics {
        let route = res
            .request()
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_owned());
        metrics.record(
            &method,
            &route,
            res.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(res)
}

/// Constant-time comparison, so the token cannot be guessed byte by byte.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return Err(ApiError::not_found());
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(ErrorCode::Unauthenticated));
    }
    let pool = state.pool.state();
    let (jobs, mail) = db(&state, |conn| {
        let jobs = aula_db::jobs::counts(conn).map_err(ApiError::internal)?;
        let mail = aula_mail::status_counts(conn).map_err(ApiError::internal)?;
        Ok((jobs, mail))
    })
    .await?;
    let mut out = String::new();
    state.metrics.render(&mut out);
    out.push_str("# HELP aula_db_connections Connections of this instance's pool.\n");
    out.push_str("# TYPE aula_db_connections gauge\n");
    let _ = writeln!(
        out,
        "aula_db_connections{{state=\"idle\"}} {}",
        pool.idle_connections
    );
    let _ = writeln!(
        out,
        "aula_db_connections{{state=\"busy\"}} {}",
        pool.connections.saturating_sub(pool.idle_connections)
    );
    out.push_str("# HELP aula_jobs Background jobs, by status (every instance).\n");
    out.push_str("# TYPE aula_jobs gauge\n");
    for (status, n) in [
        ("pending", jobs.pending),
        ("done", jobs.done),
        ("failed", jobs.failed),
    ] {
        let _ = writeln!(out, "aula_jobs{{status=\"{status}\"}} {n}");
    }
    out.push_str("# HELP aula_mail_outbox Queued mail, by status (every instance).\n");
    out.push_str("# TYPE aula_mail_outbox gauge\n");
    for (status, n) in [
        ("pending", mail.pending),
        ("sent", mail.sent),
        ("failed", mail.failed),
    ] {
        let _ = writeln!(out, "aula_mail_outbox{{status=\"{status}\"}} {n}");
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_lands_in_every_bucket_at_or_above_it() {
        let m = Metrics::default();
        m.record("GET", "/api/v1/courses", 200, 0.02);
        m.record("GET", "/api/v1/courses", 200, 3.0);
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains(
            "aula_http_requests_total{method=\"GET\",route=\"/api/v1/courses\",status=\"200\"} 2"
        ));
        assert!(out.contains("le=\"0.01\"} 0"));
        assert!(out.contains("le=\"0.025\"} 1"));
        assert!(out.contains("le=\"10\"} 2"));
        assert!(out.contains("le=\"+Inf\"} 2"));
        assert!(same(b"abc", b"abc") && !same(b"abc", b"abd") && !same(b"abc", b"ab"));
    }
}
