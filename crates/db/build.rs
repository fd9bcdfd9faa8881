// The migrations are embedded in the binary: rebuild when a migration is added or
// changed, not only when a Rust file is.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
