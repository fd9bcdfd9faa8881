// The migrations are embedded in the binary: rebuild when a migration is added or
// changed, not only when a Rust file is. The same build writes a hash of each
// backend's migration files, so a test template is named after exactly the
// migrations compiled in, even while the files on disk change under a running test.
use std::{
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
};

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the migrations folder") {
        let path = entry.expect("read the migrations folder").path();
        if path.is_dir() {
            walk(&path, files);
        } else {
            files.push(path);
        }
    }
}

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR is set by cargo"));
    for backend in ["sqlite", "postgres"] {
        let root = Path::new("../../migrations").join(backend);
        let mut files = Vec::new();
        walk(&root, &mut files);
        files.sort();
        let mut hasher = std::hash::DefaultHasher::new();
        for file in files {
            file.strip_prefix(&root).unwrap_or(&file).hash(&mut hasher);
            std::fs::read(&file)
                .expect("read a migration")
                .hash(&mut hasher);
        }
        let hash = format!("{:016x}", hasher.finish());
        std::fs::write(out.join(format!("migrations-{backend}.hash")), hash)
            .expect("write the migrations hash");
    }
}
