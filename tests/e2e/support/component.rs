//! The outside components some tests need, as build.rs found them. A test
//! that needs one is marked `#[cfg_attr(missing_<name>, ignore = "…")]`, so
//! outside CI it is reported as ignored when the component is missing; with
//! `CI=true` it runs and these accessors fail it with how to install it.

use std::path::Path;

/// Where build.rs found `name`, or a panic saying how to install it.
fn found(path: Option<&'static str>, name: &str, install: &str) -> &'static Path {
    match path {
        Some(path) => Path::new(path),
        None => panic!("needs {name}: {install} (then rebuild: build.rs looks for it)"),
    }
}

/// The HAProxy binary (on `PATH`, or in /usr/sbin where Debian puts it).
pub fn haproxy() -> &'static Path {
    found(
        option_env!("DCOS_LB_TEST_HAPROXY"),
        "haproxy",
        "apt-get install -y haproxy",
    )
}

/// The tmux binary.
pub fn tmux() -> &'static Path {
    found(
        option_env!("DCOS_LB_TEST_TMUX"),
        "tmux",
        "apt-get install -y tmux",
    )
}

/// The openssl binary.
pub fn openssl() -> &'static Path {
    found(
        option_env!("DCOS_LB_TEST_OPENSSL"),
        "openssl",
        "apt-get install -y openssl",
    )
}

/// The shared conformance data: `$DCOS_LB_CONFORMANCE_DIR` when the tests
/// were built, else `../shared/conformance` beside the checkout.
pub fn conformance() -> &'static Path {
    found(
        option_env!("DCOS_LB_TEST_CONFORMANCE"),
        "the conformance data",
        "put it at ../shared/conformance beside the checkout, or set DCOS_LB_CONFORMANCE_DIR",
    )
}
