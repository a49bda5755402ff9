//! Guards the architecture: the modules that style.md declares pure (the
//! deploy state machine, the parsers, render) must not reach for the network,
//! the file system, the process environment, the clock or sleep; and nothing
//! outside `env.rs` and `main.rs` reads the process environment.

use std::path::{Path, PathBuf};

const PURE: &[&str] = &[
    "src/jq.rs",
    "src/output/table.rs",
    "src/marathon/types.rs",
    "src/marathon/events.rs",
    "src/marathon/labels.rs",
    "src/marathon/app_id.rs",
    "src/marathon/health.rs",
    "src/lb/stats.rs",
    "src/deploy/machine.rs",
    "src/deploy/plan.rs",
    "src/deploy/event.rs",
    "src/deploy/metric.rs",
];

const IMPURE_RENDER_FILES: &[&str] = &["validate.rs", "tests.rs"];

const FORBIDDEN: &[&str] = &[
    "reqwest",
    "std::fs",
    "fs_err",
    "std::env",
    "std::net::TcpStream",
    "Instant::now",
    "SystemTime::now",
    "thread::sleep",
    "std::process",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pure_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = PURE.iter().map(|f| root().join(f)).collect();
    for entry in std::fs::read_dir(root().join("src/render")).expect("src/render") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if !IMPURE_RENDER_FILES.contains(&name.as_str()) {
            files.push(path);
        }
    }
    files
}

/// The code of a file without its `#[cfg(test)]` module, where tests may use
/// anything.
fn code_without_tests(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match text.find("#[cfg(test)]") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

#[test]
fn pure_modules_do_no_io() {
    let mut violations = Vec::new();
    for path in pure_files() {
        let code = code_without_tests(&path);
        for word in FORBIDDEN {
            if code.contains(word) {
                violations.push(format!(
                    "{} uses {word}",
                    path.strip_prefix(root()).expect("in repo").display()
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "pure modules must not do I/O:\n{}",
        violations.join("\n")
    );
}

#[test]
fn only_env_rs_reads_the_process_environment() {
    let mut violations = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(root())
                .expect("in repo")
                .to_string_lossy()
                .into_owned();
            if rel == "src/env.rs" || rel == "src/main.rs" {
                continue;
            }
            let code = code_without_tests(&path);
            if code.contains("std::env::var") || code.contains("env::vars") {
                violations.push(rel);
            }
        }
    }
    assert!(
        violations.is_empty(),
        "read the environment through env::Env instead:\n{}",
        violations.join("\n")
    );
}
