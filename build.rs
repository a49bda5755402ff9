//! Finds the outside components some tests need: HAProxy, tmux, openssl and
//! the shared conformance data. Each one found is passed to the tests as
//! `DCOS_LB_TEST_<NAME>` (its path). Outside CI each one missing sets the cfg
//! `missing_<name>`, which marks the tests that need it as ignored, so a
//! local `cargo test` says what it did not check instead of passing it.
//! With `CI=true` no test is ignored: a missing component fails the tests
//! that need it, with how to install it (tests/e2e/support/component.rs).

use std::env;
use std::path::{Path, PathBuf};

/// The components: cfg/env name and the executable looked up on `PATH`.
const PROGRAMS: [(&str, &str); 3] = [
    ("haproxy", "haproxy"),
    ("tmux", "tmux"),
    ("openssl", "openssl"),
];

/// Where Debian and source installs put the programs, outside a normal
/// user's `PATH`: the folders `render::validate::haproxy_binary` searches.
const SBIN: [&str; 3] = ["/usr/sbin", "/usr/bin", "/usr/local/sbin"];

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=DCOS_LB_CONFORMANCE_DIR");
    let ci = env::var("CI").as_deref() == Ok("true");

    for (name, program) in PROGRAMS {
        report(name, find_program(program), ci);
    }
    let conformance = conformance_dir();
    // Watch the folder only when it exists: a missing path, or a parent
    // such as `/`, would make cargo rescan it on every build. Adding the
    // data later needs a rebuild, which the failing test says.
    if conformance.is_dir() {
        println!("cargo::rerun-if-changed={}", conformance.display());
    }
    report(
        "conformance",
        conformance.is_dir().then_some(conformance),
        ci,
    );
}

fn report(name: &str, found: Option<PathBuf>, ci: bool) {
    println!("cargo::rustc-check-cfg=cfg(missing_{name})");
    match found {
        Some(path) => println!(
            "cargo::rustc-env=DCOS_LB_TEST_{}={}",
            name.to_uppercase(),
            path.display()
        ),
        None if !ci => println!("cargo::rustc-cfg=missing_{name}"),
        None => {}
    }
}

fn find_program(program: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .chain(SBIN.iter().map(PathBuf::from))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// `$DCOS_LB_CONFORMANCE_DIR`, else `../shared/conformance` beside the
/// checkout (where CI puts it).
fn conformance_dir() -> PathBuf {
    env::var_os("DCOS_LB_CONFORMANCE_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance"),
        PathBuf::from,
    )
}
