//! Uploaded files in an S3-compatible object store: the `Storage` contract against a
//! real S3 server (moto's standalone server, one per test), and `aula` configured with
//! `AULA_STORAGE_URL` end to end: seeding, an upload and a download over HTTP, backup.
//!
//! `moto_server` is taken from `AULA_TEST_MOTO`, else from `PATH`. Without it these
//! tests print SKIPPED and pass, except in CI (`CI` set), where that is a failure.

mod support;

use std::{
    io::{self, Read, Write},
    net::TcpStream,
    path::PathBuf,
    process::{Child, Command, Output, Stdio},
    time::{Duration, Instant},
};

use aula_catalog::{ObjectStorage, Storage};
use aula_db::testing::TestDb;
use serde_json::{json, Value};
use support::{free_port, text};

/// A moto S3 server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    address: String,
}

impl Moto {
    /// `None` (after saying so) when moto is not installed on a developer machine.
    fn start() -> Option<Self> {
        let Some(program) = moto_program() else {
            if std::env::var_os("CI").is_some() {
                panic!("moto_server is required in CI: set AULA_TEST_MOTO or put it on PATH");
            }
            eprintln!(
                "SKIPPED: moto_server not found (AULA_TEST_MOTO or PATH); the object store tests are skipped"
            );
            return None;
        };
        let port = free_port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", program.display()));
        let mut moto = Moto {
            child,
            address: format!("127.0.0.1:{port}"),
        };
        // Python takes a moment to import moto; a slow machine may take many.
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(&moto.address).is_err() {
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited before listening: {status}");
            }
            assert!(Instant::now() < deadline, "moto_server did not listen");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(moto)
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The settings an `aula` process or an `ObjectStorage` needs to reach this server.
    fn aws_settings(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ENDPOINT_URL", self.endpoint()),
            ("AWS_ALLOW_HTTP", "true".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ]
    }

    fn store(&self, url: &str) -> ObjectStorage {
        let settings = self.aws_settings();
        ObjectStorage::with_options(url, settings.iter().map(|(k, v)| (*k, v.as_str())))
            .expect("an object store")
    }

    /// object_store cannot create buckets; moto takes an unsigned S3 `PUT /bucket`.
    fn create_bucket(&self, bucket: &str) {
        let answer = self.plain_request("PUT", &format!("/{bucket}"));
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    /// The keys under `prefix` in `bucket`, straight from the server.
    fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let answer = self.plain_request("GET", &format!("/{bucket}?list-type=2&prefix={prefix}"));
        answer
            .split("<Key>")
            .skip(1)
            .filter_map(|rest| rest.split("</Key>").next())
            .map(str::to_owned)
            .collect()
    }

    fn plain_request(&self, method: &str, target: &str) -> String {
        let mut stream = TcpStream::connect(&self.address).expect("connect to moto");
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            self.address
        )
        .expect("send to moto");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read from moto");
        answer
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_program() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AULA_TEST_MOTO").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("moto_server"))
        .find(|candidate| candidate.is_file())
}

#[test]
fn files_are_put_read_replaced_and_deleted_in_the_bucket() {
    let Some(moto) = Moto::start() else { return };
    moto.create_bucket("aula-files");
    let store = moto.store("s3://aula-files/site-a");

    store.put("lessons/1/abc", b"first").unwrap();
    assert_eq!(store.get("lessons/1/abc").unwrap(), b"first");
    store.put("lessons/1/abc", b"second").unwrap();
    assert_eq!(store.get("lessons/1/abc").unwrap(), b"second");
    assert_eq!(
        moto.keys("aula-files", ""),
        ["site-a/lessons/1/abc"],
        "objects go under the URL's prefix"
    );

    store.delete("lessons/1/abc").unwrap();
    assert_eq!(
        store.get("lessons/1/abc").unwrap_err().kind(),
        io::ErrorKind::NotFound
    );
    store
        .delete("lessons/1/abc")
        .expect("deleting a missing file is not an error");
    assert_eq!(
        store.get("lessons/2/never").unwrap_err().kind(),
        io::ErrorKind::NotFound
    );
    assert!(moto.keys("aula-files", "").is_empty());

    for bad in ["../escape", "/etc/passwd", "lessons//x", "lessons/./x", ""] {
        assert_eq!(
            store.put(bad, b"x").unwrap_err().kind(),
            io::ErrorKind::InvalidInput,
            "{bad:?}"
        );
        assert_eq!(
            store.get(bad).unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
    }
    assert!(moto.keys("aula-files", "").is_empty(), "nothing was sent");
}

#[test]
fn a_missing_bucket_is_an_error_not_a_panic() {
    let Some(moto) = Moto::start() else { return };
    let store = moto.store("s3://no-such-bucket");
    let err = store.put("lessons/1/abc", b"x").unwrap_err();
    assert_ne!(err.kind(), io::ErrorKind::InvalidInput, "{err}");
}

/// The server calls the store from actix's blocking threads, the command line from
/// plain code; tests and jobs may hold it inside a runtime. None of that may panic.
#[tokio::test]
async fn the_store_works_and_drops_inside_an_async_runtime_and_across_threads() {
    let Some(moto) = Moto::start() else { return };
    moto.create_bucket("aula-files");
    let store = std::sync::Arc::new(moto.store("s3://aula-files"));
    store.put("inside/runtime", b"ok").unwrap();
    assert_eq!(store.get("inside/runtime").unwrap(), b"ok");

    let threads: Vec<_> = (0..4)
        .map(|n| {
            let store = store.clone();
            std::thread::spawn(move || {
                let key = format!("threads/{n}");
                store.put(&key, key.as_bytes()).unwrap();
                store.get(&key).unwrap()
            })
        })
        .collect();
    for (n, thread) in threads.into_iter().enumerate() {
        assert_eq!(thread.join().unwrap(), format!("threads/{n}").as_bytes());
    }
    let blocking = store.clone();
    let read = tokio::task::spawn_blocking(move || blocking.get("threads/0"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read, b"threads/0");
    drop(store);
}

/// `aula serve` on a free port, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn aula(db: &TestDb, data_dir: &std::path::Path, moto: &Moto, url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_aula"));
    command
        .env("AULA_DATABASE_URL", db.url_string())
        .env("AULA_DATA_DIR", data_dir)
        .env("AULA_LOG", "warn")
        .env("AULA_STORAGE_URL", url)
        .envs(moto.aws_settings())
        .stdin(Stdio::null());
    command
}

fn run(mut command: Command, args: &[&str]) -> Output {
    command.args(args).output().expect("run aula")
}

/// Sends `request` and reads its answer as JSON.
async fn json_of(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn aula_keeps_uploaded_files_in_the_configured_bucket() {
    let Some(db) = TestDb::new() else { return };
    let Some(moto) = Moto::start() else { return };
    moto.create_bucket("aula-files");
    let url = "s3://aula-files/aula";
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");

    let seeded = run(aula(&db, &data_dir, &moto, url), &["seed", "demo"]);
    assert!(seeded.status.success(), "{}", text(&seeded.stderr));
    assert!(
        !moto.keys("aula-files", "aula/certificates/").is_empty(),
        "the demo certificates' PDFs are stored in the bucket"
    );

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let child = aula(&db, &data_dir, &moto, url)
        .arg("serve")
        .env("AULA_BIND", format!("127.0.0.1:{port}"))
        .env("AULA_PUBLIC_URL", &base)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aula serve");
    let server = Server { child, base };
    let client = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1{path}", server.base);
    let deadline = Instant::now() + Duration::from_secs(60);
    while !client
        .get(api("/health"))
        .send()
        .await
        .is_ok_and(|r| r.status().is_success())
    {
        assert!(Instant::now() < deadline, "aula serve did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let login =
        json_of(client.post(api("/auth/login")).json(
            &json!({"email": "instructor@demo.test", "password": aula_identity::DEMO_PASSWORD}),
        ))
        .await;
    let token = login["access_token"]
        .as_str()
        .expect("signed in")
        .to_owned();
    let outline = json_of(
        client
            .get(api("/courses/PEN-201/modules"))
            .bearer_auth(&token),
    )
    .await;
    let lesson = outline[0]["lessons"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("a demo lesson: {outline}"));

    let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let mut body = b"--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guia.pdf\"\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
    body.extend_from_slice(pdf);
    body.extend_from_slice(b"\r\n--XYZ--\r\n");
    let uploaded = client
        .post(api(&format!("/lessons/{lesson}/file")))
        .bearer_auth(&token)
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 200, "{}", uploaded.text().await.unwrap());
    let downloaded = client
        .get(api(&format!("/lessons/{lesson}/file")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.bytes().await.unwrap().as_ref(), pdf);

    let key = format!("lessons/{lesson}/{}", aula_core::sha256_hex(pdf));
    assert!(
        moto.keys("aula-files", "aula/lessons/")
            .contains(&format!("aula/{key}")),
        "the upload is an object in the bucket"
    );
    assert_eq!(moto.store(url).get(&key).unwrap(), pdf);
    assert!(
        !data_dir.join("files").exists(),
        "nothing is written to the local files directory"
    );
    drop(server);

    let backup = dir.path().join("backup");
    let out = run(
        aula(&db, &data_dir, &moto, url),
        &["backup", backup.to_str().unwrap()],
    );
    if support::backup_refused_on_postgresql(&db, &out, "object store s3://aula-files/aula") {
        return;
    }
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(
        said.contains("s3://aula-files/aula") && said.contains("not copied"),
        "{said}"
    );
    assert!(backup.join("aula.sqlite3").is_file());
    assert!(!backup.join("files").exists(), "no files are copied");
}

#[test]
fn an_unsupported_storage_url_stops_aula_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_aula"))
        .arg("migrate")
        .env("AULA_DATA_DIR", dir.path())
        .env("AULA_STORAGE_URL", "ftp://files.example.org/aula")
        .env_remove("AULA_DATABASE_URL")
        .output()
        .expect("run aula");
    assert_eq!(out.status.code(), Some(2), "a configuration error");
    let said = text(&out.stderr);
    assert!(
        said.contains("AULA_STORAGE_URL") && said.contains("unsupported scheme `ftp:`"),
        "{said}"
    );
    assert!(!said.contains("panicked"), "{said}");
}
