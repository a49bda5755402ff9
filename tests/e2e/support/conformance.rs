//! Where the shared conformance data lives: `$DCOS_LB_CONFORMANCE_DIR`, else
//! `../shared/conformance` beside the checkout (where CI puts it).

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};

/// The conformance folder; `None` (after a note) when it is missing outside
/// CI, a panic when it is missing with `CI=true`.
pub fn root() -> Option<PathBuf> {
    let dir = std::env::var_os("DCOS_LB_CONFORMANCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "conformance data missing at {} (CI=true)",
        dir.display()
    );
    println!(
        "note: conformance data not found at {}; skipped",
        dir.display()
    );
    None
}

/// The case folders, sorted: the shared `marathon-lb-tests` (when `shared`
/// is given) and then this repository's own cases, `tests/conformance/*/*`
/// (same format: Python behaviour marathon-lb inherits, beyond its tests).
pub fn case_dirs(shared: Option<&Path>) -> Vec<PathBuf> {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut sets: Vec<PathBuf> = shared
        .map(|s| s.join("marathon-lb-tests"))
        .into_iter()
        .collect();
    let mut own: Vec<PathBuf> = std::fs::read_dir(&local)
        .expect("tests/conformance")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    own.sort();
    sets.extend(own);
    sets.iter()
        .flat_map(|set| {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(set)
                .unwrap_or_else(|e| panic!("{}: {e}", set.display()))
                .map(|e| e.expect("entry").path())
                .filter(|p| p.join("args.json").is_file())
                .collect();
            dirs.sort();
            dirs
        })
        .collect()
}
