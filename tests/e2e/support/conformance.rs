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
