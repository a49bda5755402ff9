//! HTTPS to Marathon: what a failed verification prints, and a self-signed
//! certificate given as its own CA (`--ca-file`, `DCOS_TLS_CA_PATH`,
//! `core.ssl_verify`), served by HAProxy in front of the simulator.

use crate::support::cmd::{Run, TestHome, run};
use crate::support::marathon_sim::{MarathonSim, SimConfig};
use crate::support::tls::{SelfSigned, TlsFront};

/// The SAN of a certificate valid for the front's host names.
const LOCAL_SAN: &str = "DNS:localhost,IP:127.0.0.1";

/// A simulator behind HTTPS with a new self-signed certificate for
/// localhost; None (skip) without openssl or HAProxy outside CI.
struct Served {
    sim: MarathonSim,
    cert: SelfSigned,
    front: TlsFront,
    home: TestHome,
}

fn served() -> Served {
    let sim = MarathonSim::start(SimConfig::default());
    let cert = SelfSigned::new("localhost", LOCAL_SAN);
    let front = TlsFront::start(&cert, &sim.url());
    Served {
        sim,
        cert,
        front,
        home: TestHome::new(),
    }
}

#[test]
#[cfg_attr(
    any(missing_openssl, missing_haproxy),
    ignore = "needs openssl and haproxy: apt-get install -y openssl haproxy"
)]
fn a_refused_certificate_prints_our_error_and_no_log_line() {
    let Served {
        sim, front, home, ..
    } = served();
    let r = list(&home, &front.url("localhost"), &[], &[]);
    assert_refused(&r, "no CA file");
    assert!(
        r.stderr.starts_with("Error: "),
        "our error comes first, alone:\n{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("ERROR") && !r.stderr.contains("failed to verify TLS certificate"),
        "a library log line was printed:\n{}",
        r.stderr
    );
    assert!(sim.requests().is_empty());
}

/// `app list --json` against `url` with these extra arguments and env.
fn list(home: &TestHome, url: &str, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["app", "list", "--json", "-m", url];
    args.extend_from_slice(extra);
    let mut cmd = home.cmd(&args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run(cmd)
}

fn assert_refused(r: &Run, what: &str) {
    assert_eq!(r.code, 6, "{what}: {}", r.stderr);
    assert!(
        r.stderr.contains("An SSL error occurred"),
        "{what}: {}",
        r.stderr
    );
}

#[test]
#[cfg_attr(
    any(missing_openssl, missing_haproxy),
    ignore = "needs openssl and haproxy: apt-get install -y openssl haproxy"
)]
fn a_self_signed_certificate_given_as_its_own_ca_is_accepted() {
    let Served {
        sim,
        cert,
        front,
        home,
    } = served();
    let ca = cert.cert().display().to_string();
    for host in ["localhost", "127.0.0.1"] {
        let url = front.url(host);
        let r = list(&home, &url, &["--ca-file", &ca], &[]);
        assert_eq!(r.code, 0, "--ca-file via {host}: {}", r.stderr);
        let r = list(&home, &url, &[], &[("DCOS_TLS_CA_PATH", &ca)]);
        assert_eq!(r.code, 0, "DCOS_TLS_CA_PATH via {host}: {}", r.stderr);
    }
    let toml = format!(
        "[core]\ndcos_url = \"{}\"\nssl_verify = \"{ca}\"\n",
        front.url("localhost")
    );
    home.cluster("c1", &toml, false);
    let r = list(&home, &front.url("localhost"), &[], &[]);
    assert_eq!(r.code, 0, "core.ssl_verify: {}", r.stderr);
    let reached = sim
        .requests()
        .iter()
        .filter(|q| q.path == "/v2/apps")
        .count();
    assert_eq!(reached, 5, "{:?}", sim.requests());
}

#[test]
#[cfg_attr(
    any(missing_openssl, missing_haproxy),
    ignore = "needs openssl and haproxy: apt-get install -y openssl haproxy"
)]
fn another_certificate_or_another_host_name_is_still_refused() {
    let Served {
        sim, front, home, ..
    } = served();
    let other = SelfSigned::new("localhost", LOCAL_SAN);
    let other_ca = other.cert().display().to_string();
    let r = list(
        &home,
        &front.url("localhost"),
        &["--ca-file", &other_ca],
        &[],
    );
    assert_refused(&r, "a different self-signed certificate");

    let elsewhere = SelfSigned::new("other.example", "DNS:other.example");
    let misnamed = TlsFront::start(&elsewhere, &sim.url());
    let ca = elsewhere.cert().display().to_string();
    for host in ["localhost", "127.0.0.1"] {
        let r = list(&home, &misnamed.url(host), &["--ca-file", &ca], &[]);
        assert_refused(&r, &format!("a certificate for other.example via {host}"));
    }
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
}
