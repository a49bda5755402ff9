//! The conformance cases: the shared data (found by build.rs, see
//! [`crate::support::component::conformance`]) and this repository's own.

use std::path::{Path, PathBuf};

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
