//! `aula serve` stops gracefully on SIGTERM (a service manager) and on SIGINT
//! (Ctrl+C) alike: a sign-in whose body is still arriving
//! when the signal comes is answered in full, requests streaming in meanwhile get
//! complete answers or none at all (never one cut short), and the process exits 0
//! after its background workers, logging when the shutdown starts and when it is
//! complete.

mod support;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::Path,
    process::ExitStatus,
    sync::{
        atomic::{AtomicBool, AtomicUsize, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use aula_db::testing::TestDb;
use support::Serve;

const EMAIL: &str = "ana@example.org";
const PASSWORD: &str = "una frase de paso larga";
const STARTED: &str = "shutting down";
const COMPLETE: &str = "shutdown complete";

/// `aula serve` on a free loopback port, its log in a file; killed if still running
/// when dropped.
struct Server(Serve);

impl Server {
    fn start(db: &TestDb, dir: &Path) -> Self {
        Self(Serve::start(
            "aula serve",
            &db.url_string(),
            dir,
            |serve, _| {
                serve
                    .env("AULA_SHUTDOWN_TIMEOUT", "10")
                    .env("AULA_LOG", "info");
            },
        ))
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0.url)
    }

    fn log(&self) -> String {
        self.0.log()
    }

    async fn wait_healthy(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(60);
        self.0
            .wait_healthy(client, deadline, Duration::from_millis(50))
            .await;
    }

    fn signal(&self, signal: libc::c_int) {
        let pid = libc::pid_t::try_from(self.0.child.id()).expect("pid");
        // SAFETY: kill(2) with the id of a child this test started and has not reaped.
        let sent = unsafe { libc::kill(pid, signal) };
        assert_eq!(sent, 0, "signal {signal} sent");
    }

    async fn log_shows(&self, line: &str, within: Duration) {
        let deadline = Instant::now() + within;
        while !self.log().contains(line) {
            assert!(
                Instant::now() < deadline,
                "no `{line}` in the log:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.0.child.try_wait().expect("wait for aula serve") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "aula serve still running {within:?} after the signal:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A sign-in from a slow client: the head goes first with `Expect: 100-continue`,
/// and the server's `100 Continue` proves the request is in its hands; the body
/// follows when [`SlowSignIn::finish`] is called.
struct SlowSignIn {
    stream: BufReader<TcpStream>,
    body: String,
}

impl SlowSignIn {
    fn start(port: u16) -> Self {
        let body = serde_json::json!({ "email": EMAIL, "password": PASSWORD }).to_string();
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("read timeout");
        write!(
            stream,
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\
             Expect: 100-continue\r\n\r\n",
            body.len()
        )
        .expect("send the head");
        let mut stream = BufReader::new(stream);
        let (status, _) = read_head(&mut stream);
        assert_eq!(status, 100, "the server takes the request in hand");
        Self { stream, body }
    }

    /// Sends the body, reads the whole answer: its status and body.
    fn finish(mut self) -> (u16, Vec<u8>) {
        let socket = self.stream.get_mut();
        socket
            .write_all(self.body.as_bytes())
            .expect("send the body");
        let (status, headers) = read_head(&mut self.stream);
        let length: usize = headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .map(|(_, value)| value.parse().expect("a Content-Length"))
            .expect("the answer has a Content-Length");
        let mut body = vec![0; length];
        self.stream
            .read_exact(&mut body)
            .expect("the whole body arrives");
        (status, body)
    }
}

/// Reads a response head: its status and headers.
fn read_head(stream: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut status_line = String::new();
    stream.read_line(&mut status_line).expect("a status line");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {status_line:?}"));
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        stream.read_line(&mut line).expect("a header line");
        let line = line.trim_end();
        if line.is_empty() {
            return (status, headers);
        }
        let (name, value) = line.split_once(':').expect("a header");
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
}

/// What one streaming client saw.
#[derive(Default, Debug)]
struct Seen {
    answered: usize,
    sent_after_signal: usize,
    /// Requests that failed while the server was meant to be running.
    failed_before_signal: Vec<String>,
    /// Answers that were not a complete 2xx JSON document.
    bad_answers: Vec<String>,
}

/// Sends requests one after another until the server stops answering; counts the
/// answers in `answered` as they come.
async fn stream_requests(
    client: reqwest::Client,
    urls: [String; 2],
    signalled: Arc<AtomicBool>,
    answered: Arc<AtomicUsize>,
) -> Seen {
    let mut seen = Seen::default();
    let deadline = Instant::now() + Duration::from_secs(60);
    for url in urls.iter().cycle() {
        if Instant::now() > deadline {
            break;
        }
        let after_signal = signalled.load(Ordering::SeqCst);
        let response = match client.get(url).send().await {
            Ok(response) => response,
            // No answer at all: the server no longer takes new requests.
            Err(_) if signalled.load(Ordering::SeqCst) => break,
            Err(e) => {
                seen.failed_before_signal.push(format!("{url}: {e}"));
                break;
            }
        };
        let status = response.status();
        match response.bytes().await {
            Ok(body) if status.is_success() => {
                if let Err(e) = serde_json::from_slice::<serde_json::Value>(&body) {
                    seen.bad_answers
                        .push(format!("{url}: {status}, body not JSON: {e}"));
                }
            }
            Ok(_) => seen.bad_answers.push(format!("{url}: {status}")),
            Err(e) => seen
                .bad_answers
                .push(format!("{url}: {status}, body cut short: {e}")),
        }
        seen.answered += 1;
        answered.fetch_add(1, Ordering::SeqCst);
        if after_signal {
            seen.sent_after_signal += 1;
        }
    }
    seen
}

#[test]
fn sigterm_finishes_requests_in_flight_then_exits_zero() {
    stops_gracefully_on(libc::SIGTERM);
}

#[test]
fn sigint_finishes_requests_in_flight_then_exits_zero() {
    stops_gracefully_on(libc::SIGINT);
}

fn stops_gracefully_on(signal: libc::c_int) {
    let Some(db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().expect("data directory");
    let created = support::aula(
        &db.url_string(),
        dir.path(),
        &[
            "user", "create", "--email", EMAIL, "--name", "Ana", "--role", "student",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        created.status.success(),
        "{}",
        support::text(&created.stderr)
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let mut server = Server::start(&db, dir.path());
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client");
        server.wait_healthy(&client).await;

        let signalled = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicUsize::new(0));
        let streams: Vec<_> = (0..4)
            .map(|_| {
                let urls = [server.url("/api/v1/health"), server.url("/api/v1/courses")];
                let seen =
                    stream_requests(client.clone(), urls, signalled.clone(), answered.clone());
                tokio::spawn(seen)
            })
            .collect();
        // Requests are streaming when the slow sign-in begins and the signal comes.
        let deadline = Instant::now() + Duration::from_secs(30);
        while answered.load(Ordering::SeqCst) < 20 {
            assert!(Instant::now() < deadline, "requests are not being answered");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let port = server.0.port;
        let sign_in = tokio::task::spawn_blocking(move || SlowSignIn::start(port))
            .await
            .expect("the sign-in starts");

        signalled.store(true, Ordering::SeqCst);
        server.signal(signal);
        server.log_shows(STARTED, Duration::from_secs(10)).await;

        // The body arrives after the shutdown has begun; the answer is still complete.
        let (status, body) = tokio::task::spawn_blocking(move || sign_in.finish())
            .await
            .expect("the sign-in finishes");
        let session: serde_json::Value = serde_json::from_slice(&body).expect("a JSON session");
        assert_eq!(status, 200, "{session}");
        assert!(session["access_token"].is_string(), "{session}");

        let status = server.wait_exit(Duration::from_secs(20)).await;
        let log = server.log();
        assert!(status.success(), "aula serve exited with {status}:\n{log}");
        let started = log.find(STARTED).expect("the start is logged");
        let complete = log
            .find(COMPLETE)
            .unwrap_or_else(|| panic!("no `{COMPLETE}`:\n{log}"));
        assert!(started < complete, "{log}");
        assert!(log.contains("mail worker stopped"), "{log}");

        for stream in streams {
            let seen = stream.await.expect("a streaming client");
            assert!(
                seen.failed_before_signal.is_empty(),
                "{:?}\n{log}",
                seen.failed_before_signal
            );
            assert!(seen.bad_answers.is_empty(), "{:?}\n{log}", seen.bad_answers);
            eprintln!("{seen:?}");
        }
    });
}
