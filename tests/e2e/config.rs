//! Which cluster and settings `dcos-lb` uses: every resolution rule of
//! `~/.dcos` / `DCOS_DIR`, the env the dcos CLI injects, and the flags,
//! checked through the simulator's request log.

use crate::support::cmd::{Run, TestHome, assert_error, assert_stderr_has, dcos_toml, run};
use crate::support::marathon_sim::{MarathonSim, Recorded, SimConfig};

/// An address nothing listens on.
const DEAD: &str = "http://127.0.0.1:9";

fn sim() -> MarathonSim {
    MarathonSim::start(SimConfig::default())
}

/// The Authorization headers of the requests the simulator received.
fn auth_headers(sim: &MarathonSim) -> Vec<Option<String>> {
    sim.requests()
        .into_iter()
        .map(|r: Recorded| r.authorization)
        .collect()
}

/// No request the simulator saw carried credentials (and there was one).
fn assert_no_request_carries_a_token(sim: &MarathonSim) {
    let headers = auth_headers(sim);
    assert!(!headers.is_empty(), "no request reached Marathon");
    assert!(headers.iter().all(Option::is_none), "{:?}", sim.requests());
}

/// Every request the simulator saw carried `expected` (and there was one).
fn assert_every_request_carries(sim: &MarathonSim, expected: &str) {
    let headers = auth_headers(sim);
    assert!(!headers.is_empty(), "no request reached Marathon");
    assert!(
        headers.iter().all(|a| a.as_deref() == Some(expected)),
        "expected {expected:?} on every request, saw {headers:?}"
    );
}

fn list(home: &TestHome) -> Run {
    run(home.cmd(&["app", "list", "--json"]))
}

fn assert_ok(r: &Run) {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
}

#[test]
fn the_only_cluster_is_used_without_an_attached_marker() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster(
        "c1",
        &dcos_toml(&sim.dcos_url(), Some("tok-one"), "one"),
        false,
    );
    assert_ok(&list(&home));
    let requests = sim.requests();
    assert!(!requests.is_empty());
    assert!(
        requests
            .iter()
            .all(|r| r.path.starts_with("/service/marathon/v2/")),
        "{requests:?}"
    );
    assert_every_request_carries(&sim, "token=tok-one");
}

#[test]
fn the_attached_cluster_wins_among_several() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster("a-dead", &dcos_toml(DEAD, Some("tok-dead"), "dead"), false);
    home.cluster(
        "b-live",
        &dcos_toml(&sim.dcos_url(), Some("tok-live"), "live"),
        true,
    );
    assert_ok(&list(&home));
    assert_every_request_carries(&sim, "token=tok-live");
}

#[test]
fn none_or_several_attached_is_an_error_in_the_cli_wording() {
    let home = TestHome::new();
    let r = list(&home);
    assert_error(
        &r,
        1,
        "Error: no cluster is attached. Please run `dcos cluster attach <cluster-name>`",
    );
    home.cluster("a", &dcos_toml(DEAD, None, "a"), false);
    home.cluster("b", &dcos_toml(DEAD, None, "b"), false);
    assert_error(&list(&home), 1, "no cluster is attached");
    home.cluster("a", &dcos_toml(DEAD, None, "a"), true);
    home.cluster("b", &dcos_toml(DEAD, None, "b"), true);
    let r = list(&home);
    assert_error(
        &r,
        1,
        "Error: multiple clusters are attached: a (a), b (b).",
    );
    assert!(
        r.stderr.contains("`dcos cluster attach <name>`") && r.stderr.contains("DCOS_CLUSTER="),
        "the way out is named: {}",
        r.stderr
    );
}

#[test]
fn a_dcos_toml_without_dcos_url_says_so_and_how_to_set_it() {
    let home = TestHome::new();
    let dir = home.cluster("c1", "[cluster]\nname = \"one\"\n", false);
    let r = list(&home);
    let file = dir.join("dcos.toml");
    assert_error(
        &r,
        1,
        &format!("Error: {} has no core.dcos_url", file.display()),
    );
    assert!(
        r.stderr.contains("dcos cluster setup") && r.stderr.contains("--marathon"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("no cluster is attached"), "{}", r.stderr);
}

#[test]
fn a_token_others_can_read_is_warned_about_once() {
    use std::os::unix::fs::PermissionsExt;
    let sim = sim();
    let home = TestHome::new();
    let dir = home.cluster(
        "c1",
        &dcos_toml(&sim.dcos_url(), Some("tok-one"), "one"),
        false,
    );
    let file = dir.join("dcos.toml");
    let chmod = |mode| {
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };
    chmod(0o644);
    let r = list(&home);
    assert_ok(&r);
    let warnings: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("chmod 600"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", r.stderr);
    assert!(
        warnings[0].starts_with(&format!(
            "warning: {} holds the ACS token and other users can read it (mode 0644)",
            file.display()
        )),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("tok-one"), "{}", r.stderr);
    chmod(0o600);
    let r = list(&home);
    assert_ok(&r);
    assert!(!r.stderr.contains("chmod"), "{}", r.stderr);
    home.cluster("c1", &dcos_toml(&sim.dcos_url(), None, "one"), false);
    chmod(0o644);
    let r = list(&home);
    assert!(
        !r.stderr.contains("chmod"),
        "no token, no warning: {}",
        r.stderr
    );
}

#[test]
fn dcos_cluster_picks_by_id_or_name() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster("aaa-id", &dcos_toml(DEAD, Some("tok-a"), "alpha"), true);
    home.cluster(
        "bbb-id",
        &dcos_toml(&sim.dcos_url(), Some("tok-b"), "beta"),
        false,
    );
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_CLUSTER", "bbb-id")));
    assert_ok(&run(home.cmd(&["app", "list"]).env("DCOS_CLUSTER", "beta")));
    assert_every_request_carries(&sim, "token=tok-b");
    let r = run(home.cmd(&["app", "list"]).env("DCOS_CLUSTER", "gamma"));
    assert_error(&r, 1, "no match found for cluster 'gamma'");
    home.cluster("ccc-id", &dcos_toml(DEAD, None, "beta"), false);
    let r = run(home.cmd(&["app", "list"]).env("DCOS_CLUSTER", "beta"));
    assert_error(&r, 1, "multiple matches found for cluster 'beta'");
}

#[test]
fn dcos_dir_replaces_the_home_config() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster("dead", &dcos_toml(DEAD, None, "dead"), false);
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let dir = elsewhere.path().join("clusters/live");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(
        dir.join("dcos.toml"),
        dcos_toml(&sim.dcos_url(), Some("tok-dir"), "live"),
    )
    .expect("write");
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_DIR", elsewhere.path())));
    assert_every_request_carries(&sim, "token=tok-dir");
}

#[test]
fn injected_env_beats_the_file_and_an_empty_token_means_none() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster(
        "c1",
        &dcos_toml(&sim.dcos_url(), Some("tok-file"), "one"),
        false,
    );
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_ACS_TOKEN", "tok-env")
        .env("DCOS_URL", sim.dcos_url())));
    assert_every_request_carries(&sim, "token=tok-env");
    sim.clear_requests();
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_ACS_TOKEN", "")
        .env("DCOS_URL", sim.dcos_url())));
    assert_no_request_carries_a_token(&sim);
}

#[test]
fn flags_beat_the_injected_env() {
    let sim = sim();
    let home = TestHome::new();
    let url = sim.dcos_url();
    assert_ok(&run(home
        .cmd(&["app", "list", "--url", &url, "--token", "tok-flag"])
        .env("DCOS_URL", DEAD)
        .env("DCOS_ACS_TOKEN", "tok-env")));
    assert_every_request_carries(&sim, "token=tok-flag");
}

#[test]
fn a_file_of_another_cluster_lends_it_no_token() {
    let sim = sim();
    let home = TestHome::new();
    home.cluster(
        "c1",
        &dcos_toml(DEAD, Some("tok-other-cluster"), "other"),
        false,
    );
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_URL", sim.dcos_url())));
    assert_no_request_carries_a_token(&sim);
}

#[test]
fn marathon_url_from_file_env_or_flag_is_used_directly() {
    let sim = sim();
    let home = TestHome::new();
    let toml = format!(
        "{}\n[marathon]\nurl = \"{}\"\n",
        dcos_toml(&sim.dcos_url(), None, "one"),
        sim.url()
    );
    home.cluster("c1", &toml, false);
    assert_ok(&list(&home));
    assert!(
        sim.requests().iter().all(|r| r.path.starts_with("/v2/")),
        "{:?}",
        sim.requests()
    );
    sim.clear_requests();

    let bare = TestHome::new();
    assert_ok(&run(bare
        .cmd(&["app", "list"])
        .env("DCOS_MARATHON_URL", sim.url())));
    assert_ok(&run(bare.cmd(&["app", "list", "-m", &sim.url()])));
    assert_ok(&run(bare.cmd(&[
        "app",
        "list",
        "--marathon",
        &format!("{}/", sim.url()),
    ])));
    let requests = sim.requests();
    assert_eq!(requests.iter().filter(|r| r.path == "/v2/apps").count(), 3);
    assert!(requests.iter().all(|r| r.authorization.is_none()));
}

#[test]
fn timeouts_come_from_flag_env_or_file() {
    use crate::support::marathon_sim::Fault;
    use std::time::{Duration, Instant};
    let sim = sim();
    let home = TestHome::new();
    let toml = format!("[core]\ndcos_url = \"{}\"\ntimeout = 1\n", sim.dcos_url());
    home.cluster("c1", &toml, false);
    sim.inject(
        Fault::latency(Duration::from_secs(4))
            .on("GET", "/v2/apps")
            .times(3),
    );
    let started = Instant::now();
    let r = list(&home);
    assert_error(&r, 6, "timed out after 1 s");
    assert!(
        started.elapsed() < Duration::from_secs(4 * 3),
        "{:?}",
        started.elapsed()
    );
    sim.assert_nothing_written();

    sim.inject(
        Fault::latency(Duration::from_secs(3))
            .on("GET", "/v2/apps")
            .times(1),
    );
    assert_ok(&run(home.cmd(&["app", "list", "--timeout", "10"])));
    sim.inject(
        Fault::latency(Duration::from_secs(3))
            .on("GET", "/v2/apps")
            .times(1),
    );
    assert_ok(&run(home.cmd(&["app", "list"]).env("DCOS_TIMEOUT", "10")));
}

#[test]
fn bad_settings_are_named() {
    let home = TestHome::new();
    home.cluster("c1", "[core\ndcos_url = ", false);
    let r = list(&home);
    assert_error(&r, 1, "cannot read ");
    assert!(r.stderr.contains("dcos.toml"), "{}", r.stderr);
    let r = run(home.cmd(&["app", "list", "--url", "ftp://x"]));
    assert_error(&r, 1, "invalid URL 'ftp://x' from --url");
    let r = run(home
        .cmd(&["app", "list", "--url", DEAD])
        .env("DCOS_TIMEOUT", "soon"));
    assert_error(&r, 1, "invalid timeout 'soon' from DCOS_TIMEOUT");
}

#[test]
fn ssl_verify_from_file_env_and_injected_tls_vars() {
    let sim = sim();
    let home = TestHome::new();
    let toml = format!(
        "[core]\ndcos_url = \"{}\"\nssl_verify = \"/no/such/cluster-ca.pem\"\n",
        sim.dcos_url()
    );
    home.cluster("c1", &toml, false);
    assert_error(
        &list(&home),
        1,
        "cannot read the CA bundle /no/such/cluster-ca.pem",
    );
    assert!(sim.requests().is_empty());
    // Go ParseBool spellings in DCOS_SSL_VERIFY override the file.
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_SSL_VERIFY", "False")));
    // What the dcos CLI injects beats DCOS_SSL_VERIFY.
    let r = run(home
        .cmd(&["app", "list"])
        .env("DCOS_SSL_VERIFY", "true")
        .env("DCOS_TLS_CA_PATH", "/no/such/injected.pem"));
    assert_error(&r, 1, "cannot read the CA bundle /no/such/injected.pem");
    assert_ok(&run(home
        .cmd(&["app", "list"])
        .env("DCOS_TLS_INSECURE", "1")));
    // And --insecure beats them all.
    assert_ok(&run(home
        .cmd(&["app", "list", "--insecure"])
        .env("DCOS_TLS_CA_PATH", "/no/such/injected.pem")));
    let bool_toml = format!(
        "[core]\ndcos_url = \"{}\"\nssl_verify = false\n",
        sim.dcos_url()
    );
    home.cluster("c1", &bool_toml, false);
    assert_ok(&list(&home));
}

#[test]
fn dcos_toml_syntax_errors_name_the_line_but_never_print_the_token() {
    const SECRET: &str = "eyJhbGciOiJSUzI1NiJ9.never-printed-token.sig";
    let home = TestHome::new();
    for (kind, toml, line) in [
        (
            "unclosed quote",
            format!("[core]\ndcos_url = \"{DEAD}\"\ndcos_acs_token = \"{SECRET}\n"),
            3,
        ),
        (
            "unquoted value",
            format!("[core]\ndcos_url = \"{DEAD}\"\ndcos_acs_token = {SECRET}\n"),
            3,
        ),
        (
            "duplicate key",
            format!(
                "[core]\ndcos_acs_token = \"{SECRET}\"\ndcos_url = \"{DEAD}\"\ndcos_acs_token = \"{SECRET}\"\n"
            ),
            4,
        ),
        (
            "an array",
            format!("[core]\ndcos_url = \"{DEAD}\"\ndcos_acs_token = [\"{SECRET}\"]\n"),
            3,
        ),
    ] {
        let dir = home.cluster("c1", &toml, false);
        let r = run(home.cmd(&["-vv", "app", "list"]));
        assert_eq!(r.code, 1, "{kind}: {}", r.stderr);
        assert!(
            !r.stderr.contains("never-printed") && !r.stdout.contains("never-printed"),
            "{kind} printed the token:\n{}{}",
            r.stdout,
            r.stderr
        );
        let file = dir.join("dcos.toml");
        assert_stderr_has(
            &r,
            &format!("cannot read {}: line {line}, column ", file.display()),
        );
        assert_stderr_has(&r, &format!("{line} | dcos_acs_token = <redacted>"));
    }
}
