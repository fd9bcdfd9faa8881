//! Test helpers: an in-process SMTP server that keeps what it receives, a
//! free-port finder, a worker factory and a MIME reader.

use std::{
    net::{IpAddr, TcpListener},
    sync::{Arc, Mutex},
    time::Duration,
};

use aula_core::{ManualClock, SharedClock};
use aula_db::testing::TestDb;
use aula_mail::{Mailbox, Transport, Worker, WorkerConfig};
use chrono::{NaiveDate, NaiveDateTime};
use mailin_embedded::{response, Handler, Response, Server};

pub const FROM: &str = "Aula CIESS <no-reply@aula.local>";
pub const NAME: &str = "María José Ñúñez Gonçalves";

/// A fixed start for the manual clock.
pub fn start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .expect("valid date")
}

pub fn clock() -> ManualClock {
    ManualClock::new(start())
}

pub fn config() -> WorkerConfig {
    let from: Mailbox = FROM.parse().expect("from address");
    WorkerConfig {
        poll_interval: Duration::from_millis(50),
        ..WorkerConfig::new(from)
    }
}

pub fn worker(
    db: &TestDb,
    transport: Transport,
    clock: &ManualClock,
    config: WorkerConfig,
) -> Worker {
    let clock: SharedClock = Arc::new(clock.clone());
    Worker::new(db.pool(), transport, clock, config)
}

/// A message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub envelope_to: Vec<String>,
    pub data: Vec<u8>,
}

/// An SMTP server on 127.0.0.1 that accepts everything and keeps it in memory.
/// Its thread lives until the test binary exits.
pub struct SmtpSink {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let handler = Collector {
            received: received.clone(),
            current: None,
        };
        let mut server = Server::new(handler);
        server
            .with_name("sink.test")
            .with_num_threads(8)
            .with_tcp_listener(listener);
        std::thread::spawn(move || {
            if let Err(error) = server.serve() {
                eprintln!("SMTP sink stopped: {error}");
            }
        });
        Self { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn transport(&self) -> Transport {
        Transport::smtp(&self.url()).expect("SMTP transport")
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("sink lock").clone()
    }
}

#[derive(Clone)]
struct Collector {
    received: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl Handler for Collector {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            envelope_to: to.to_vec(),
            data: Vec::new(),
        });
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(done) = self.current.take() {
            self.received.lock().expect("sink lock").push(done);
        }
        response::OK
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        response::OK
    }
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// The parts of a raw RFC 5322 message the tests look at, MIME-decoded.
#[derive(Debug)]
pub struct Parsed {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub content_type: String,
    pub auto_submitted: String,
    pub message_id: String,
}

pub fn parse(raw: &[u8]) -> Parsed {
    use mail_parser::MimeHeaders;

    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a parsable message");
    let address = |a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first())
            .and_then(|a| a.address())
            .unwrap_or_default()
            .to_owned()
    };
    let content_type = message
        .content_type()
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()))
        .unwrap_or_default();
    Parsed {
        from: address(message.from()),
        to: address(message.to()),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message.body_text(0).unwrap_or_default().into_owned(),
        html: message.body_html(0).unwrap_or_default().into_owned(),
        content_type,
        message_id: message.message_id().unwrap_or_default().to_owned(),
        auto_submitted: message
            .header_raw("Auto-Submitted")
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}
