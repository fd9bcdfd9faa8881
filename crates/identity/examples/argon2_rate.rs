//! Raw password verification rate with Aula's argon2id parameters, on one thread and
//! on every core: the ceiling for sign-in throughput.
//!
//! `cargo run --release -p aula-identity --example argon2_rate [-- SECONDS]`

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use aula_core::OsTokenSource;
use aula_identity::PasswordHasher;

fn main() {
    let seconds: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let hasher = PasswordHasher::new(Arc::new(OsTokenSource));
    let hash = hasher.hash("correct horse battery staple").expect("hash");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for workers in [1, threads] {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let started = Instant::now();
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (hasher, hash) = (hasher.clone(), hash.clone());
                std::thread::spawn(move || {
                    let mut n = 0u64;
                    while Instant::now() < deadline {
                        assert!(hasher.verify("correct horse battery staple", &hash));
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let total: u64 = handles.into_iter().map(|h| h.join().unwrap_or(0)).sum();
        let elapsed = started.elapsed().as_secs_f64();
        println!(
            "argon2id m=19456 t=2 p=1, {workers} thread(s): {total} verifies in {elapsed:.1} s = {:.1}/s ({:.1} ms each per thread)",
            total as f64 / elapsed,
            1000.0 * elapsed * workers as f64 / total.max(1) as f64
        );
    }
}
