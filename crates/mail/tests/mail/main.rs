//! Integration tests of the outbox and its delivery, each on a fresh database
//! (`AULA_TEST_BACKEND=sqlite|postgres`).

mod concurrency;
mod file_transport;
mod localized_subjects;
mod purge;
mod retries;
mod smtp_delivery;
mod support;
mod transactions;
mod worker_thread;
