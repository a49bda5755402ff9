//! HTTPS to Marathon: what a failed verification prints, and a self-signed
//! certificate given as its own CA (`--ca-file`, `DCOS_TLS_CA_PATH`,
//! `core.ssl_verify`), served by HAProxy in front of the simulator.

use crate::support::cmd::{TestHome, run};
use crate::support::marathon_sim::{MarathonSim, SimConfig};
use crate::support::tls::{self, SelfSigned, TlsFront};

/// The SAN of a certificate valid for the front's host names.
const LOCAL_SAN: &str = "DNS:localhost,IP:127.0.0.1";

#[test]
fn a_refused_certificate_prints_our_error_and_no_log_line() {
    if !tls::available() {
        return;
    }
    let sim = MarathonSim::start(SimConfig::default());
    let cert = SelfSigned::new("localhost", LOCAL_SAN);
    let front = TlsFront::start(&cert, &sim.url());
    let home = TestHome::new();
    let r = run(home.cmd(&["app", "list", "-m", &front.url("localhost")]));
    assert_eq!(r.code, 6, "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines[0].starts_with("Error: "),
        "our error comes first, alone:\n{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("ERROR") && !r.stderr.contains("failed to verify TLS certificate"),
        "a library log line was printed:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("core.ssl_verify"),
        "the TLS hint is printed:\n{}",
        r.stderr
    );
    assert!(sim.requests().is_empty());
}
