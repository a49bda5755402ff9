//! Credentials: the ACS token goes only to the cluster's origin and never
//! into any output; service-account login and re-login on 401; basic auth
//! for a bare Marathon; 401/403 messages and exit code 11.

use crate::support::cmd::{TestHome, assert_stderr_has, dcos_toml, run};
use crate::support::keys::{SERVICE_ACCOUNT_PRIVATE_KEY, SERVICE_ACCOUNT_PUBLIC_KEY};
use crate::support::marathon_sim::{MarathonSim, ServiceAccount, SimConfig};

const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.top-secret-acs-token.sig";

fn sim_with(config: SimConfig) -> MarathonSim {
    MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..config
    })
}

fn home_with_token(url: &str, token: Option<&str>) -> TestHome {
    let home = TestHome::new();
    home.cluster("c1", &dcos_toml(url, token, "sim"), false);
    home
}

#[test]
fn the_token_goes_to_the_cluster_origin_only() {
    let sim = sim_with(SimConfig::default());
    // Same server, other origin: marathon.url names it by host name.
    let port = sim.url().rsplit(':').next().expect("port").to_string();
    let other_origin = format!("http://localhost:{port}");
    let home = TestHome::new();
    let toml = format!(
        "{}\n[marathon]\nurl = \"{other_origin}\"\n",
        dcos_toml(&sim.dcos_url(), Some(TOKEN), "sim")
    );
    home.cluster("c1", &toml, false);
    let r = run(home.cmd(&["app", "list", "--json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = sim.requests();
    assert!(!requests.is_empty());
    assert!(
        requests.iter().all(|q| q.authorization.is_none()),
        "{requests:?}"
    );

    sim.clear_requests();
    let home = home_with_token(&sim.dcos_url(), Some(TOKEN));
    assert_eq!(run(home.cmd(&["app", "list", "--json"])).code, 0);
    let expected = format!("token={TOKEN}");
    assert!(
        sim.requests()
            .iter()
            .all(|q| q.authorization.as_deref() == Some(expected.as_str()))
    );
}

#[test]
fn the_token_never_appears_in_output_even_at_trace_verbosity() {
    let sim = sim_with(SimConfig {
        token: Some(TOKEN.to_string()),
        ..SimConfig::default()
    });
    sim.create_app(crate::support::cmd::web_app("/shown", 1));
    let home = home_with_token(&sim.dcos_url(), Some(TOKEN));
    for args in [
        &["-vv", "app", "list"][..],
        &["-vv", "app", "show", "/shown"],
        &["-vv", "app", "show", "/missing"],
        &["-vv", "task", "list", "--json"],
        &["-vv", "health", "/shown"],
        &["-vv", "app", "list", "--url", "http://127.0.0.1:9"],
    ] {
        let r = run(home.cmd(args).env("DCOS_VERBOSITY", "2"));
        assert!(
            !r.stdout.contains("top-secret"),
            "{args:?} stdout: {}",
            r.stdout
        );
        assert!(
            !r.stderr.contains("top-secret"),
            "{args:?} stderr: {}",
            r.stderr
        );
    }
    // A refused token is not echoed either.
    let wrong = home_with_token(&sim.dcos_url(), Some("wrong-top-secret"));
    let r = run(wrong.cmd(&["-vv", "app", "list"]));
    assert_eq!(r.code, 11);
    assert!(!r.stderr.contains("top-secret") && !r.stdout.contains("top-secret"));
}

#[test]
fn unauthorized_and_forbidden_exit_11_with_the_cli_messages() {
    let sim = sim_with(SimConfig {
        token: Some(TOKEN.to_string()),
        forbidden_paths: vec!["/v2/deployments".to_string()],
        ..SimConfig::default()
    });
    let home = home_with_token(&sim.dcos_url(), None);
    let r = run(home.cmd(&["app", "list"]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Error: authentication failed, please run `dcos auth login`"),
        "{}",
        r.stderr
    );
    let home = home_with_token(&sim.dcos_url(), Some(TOKEN));
    let r = run(home.cmd(&["deployment", "list"]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Error: you are not authorized to perform this operation"),
        "{}",
        r.stderr
    );
    let file = home.file("app.json", r#"{"id": "/x", "cmd": "sleep 100"}"#);
    let unauthenticated = home_with_token(&sim.dcos_url(), None);
    let r = run(unauthenticated.cmd(&["app", "add", file.to_str().expect("utf-8")]));
    assert_eq!(r.code, 11);
    sim.assert_nothing_written();
}

fn credentials(home: &TestHome, login_endpoint: Option<&str>) -> std::path::PathBuf {
    let mut json = serde_json::json!({
        "uid": "dcos-lb-ci",
        "private_key": SERVICE_ACCOUNT_PRIVATE_KEY,
    });
    if let Some(endpoint) = login_endpoint {
        json["login_endpoint"] = endpoint.into();
    }
    home.file("sa.json", &json.to_string())
}

fn sa_sim(expires_after: Option<u32>) -> MarathonSim {
    sim_with(SimConfig {
        token: Some("static".to_string()),
        service_accounts: vec![ServiceAccount {
            uid: "dcos-lb-ci".to_string(),
            public_key_pem: Some(SERVICE_ACCOUNT_PUBLIC_KEY.to_string()),
        }],
        token_expires_after: expires_after,
        ..SimConfig::default()
    })
}

#[test]
fn a_service_account_logs_in_with_a_signed_jwt() {
    let sim = sa_sim(None);
    let home = home_with_token(&sim.dcos_url(), None);
    let file = credentials(&home, None);
    let r = run(home.cmd(&[
        "app",
        "list",
        "--dcos-auth-credentials",
        file.to_str().expect("utf-8"),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = sim.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].path, "/acs/api/v1/auth/login");
    assert!(requests[0].authorization.is_none());
    let body: serde_json::Value = serde_json::from_str(&requests[0].body).expect("json");
    assert_eq!(body["uid"], "dcos-lb-ci");
    assert!(
        body["token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3)
    );
    assert!(
        requests[1..]
            .iter()
            .all(|q| q.authorization.as_deref() == Some("token=static-1"))
    );
    assert!(!r.stderr.contains("static-1") && !r.stdout.contains("static-1"));

    // The same credential from the environment, as marathon-lb takes it (JSON inline).
    sim.clear_requests();
    let inline = std::fs::read_to_string(&file).expect("read");
    let endpoint = format!("{}/acs/api/v1/auth/login", sim.dcos_url());
    let with_endpoint = credentials(&home, Some(&endpoint));
    let r = run(home
        .cmd(&["app", "list"])
        .env("DCOS_SERVICE_ACCOUNT_CREDENTIAL", inline));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(home
        .cmd(&["app", "list"])
        .env("DCOS_SERVICE_ACCOUNT_CREDENTIAL", &with_endpoint));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let logins = sim
        .requests()
        .iter()
        .filter(|q| q.path == "/acs/api/v1/auth/login")
        .count();
    assert_eq!(logins, 2);
}

#[test]
fn a_service_account_logs_in_again_when_its_token_expires_mid_run() {
    let sim = sa_sim(Some(1));
    let home = home_with_token(&sim.dcos_url(), None);
    let file = credentials(&home, None);
    // The human table needs three GETs: apps, deployments, queue.
    let r = run(home.cmd(&[
        "app",
        "list",
        "--dcos-auth-credentials",
        file.to_str().expect("utf-8"),
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = sim.requests();
    let logins = requests
        .iter()
        .filter(|q| q.path == "/acs/api/v1/auth/login")
        .count();
    assert_eq!(logins, 3, "{requests:?}");
    for path in [
        "/service/marathon/v2/apps",
        "/service/marathon/v2/deployments",
        "/service/marathon/v2/queue",
    ] {
        let sent: Vec<_> = requests.iter().filter(|q| q.path == path).collect();
        assert!(!sent.is_empty(), "{path} never sent");
    }
}

#[test]
fn a_refused_service_account_exits_11() {
    let sim = sa_sim(None);
    let home = home_with_token(&sim.dcos_url(), None);
    let file = home.file(
        "sa.json",
        &serde_json::json!({"uid": "someone-else", "private_key": SERVICE_ACCOUNT_PRIVATE_KEY})
            .to_string(),
    );
    let r = run(home.cmd(&[
        "app",
        "list",
        "--dcos-auth-credentials",
        file.to_str().expect("utf-8"),
    ]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "login as 'someone-else' failed (HTTP 401): The login credentials are invalid."
        ),
        "{}",
        r.stderr
    );
    let bad = home.file("bad.json", "{\"uid\": ");
    let r = run(home.cmd(&[
        "app",
        "list",
        "--dcos-auth-credentials",
        bad.to_str().expect("utf-8"),
    ]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(
        r.stderr.contains("invalid service-account credentials in "),
        "{}",
        r.stderr
    );
    assert!(
        sim.requests()
            .iter()
            .all(|q| q.path == "/acs/api/v1/auth/login")
    );
}

#[test]
fn basic_auth_for_a_bare_marathon() {
    let sim = sim_with(SimConfig {
        basic_auth: Some(("admin".to_string(), "s3cret-pw".to_string())),
        ..SimConfig::default()
    });
    let home = TestHome::new();
    let r = run(home.cmd(&[
        "app",
        "list",
        "-m",
        &sim.url(),
        "--auth-credentials",
        "admin:s3cret-pw",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(sim.requests().iter().all(|q| {
        q.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with("Basic "))
    }));
    let r = run(home.cmd(&[
        "-vv",
        "app",
        "list",
        "-m",
        &sim.url(),
        "--auth-credentials",
        "admin:wrong-pw",
    ]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(!r.stderr.contains("wrong-pw"));
}

#[test]
fn a_token_withheld_from_another_marathon_host_says_so() {
    let sim = sim_with(SimConfig {
        token: Some(TOKEN.to_string()),
        ..SimConfig::default()
    });
    let home = home_with_token(&sim.dcos_url(), Some(TOKEN));
    let port = sim.url().rsplit(':').next().expect("port").to_string();
    let elsewhere = format!("http://localhost:{port}");
    let r = run(home.cmd(&["app", "list", "-m", &elsewhere]));
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert_stderr_has(
        &r,
        &format!(
            "Error: {elsewhere}/v2/apps answered HTTP 401: the ACS token of the cluster at {} is sent only to that cluster",
            sim.dcos_url()
        ),
    );
    assert!(
        r.stderr.contains("Drop --marathon") && !r.stderr.contains("dcos auth login"),
        "{}",
        r.stderr
    );
    assert!(sim.requests().iter().all(|q| q.authorization.is_none()));
}

#[test]
fn a_redirect_names_where_it_points() {
    let server = tiny_http::Server::http("127.0.0.1:0").expect("bind");
    let port = server.server_addr().to_ip().expect("ip").port();
    let answer = std::thread::spawn(move || {
        let request = server.recv().expect("request");
        let response = tiny_http::Response::empty(307).with_header(
            "Location: https://marathon.example/v2/apps"
                .parse::<tiny_http::Header>()
                .expect("header"),
        );
        request.respond(response).expect("respond");
    });
    let home = TestHome::new();
    let r = run(home.cmd(&["app", "list", "-m", &format!("http://127.0.0.1:{port}")]));
    answer.join().expect("server");
    assert_eq!(r.code, 6, "{}", r.stderr);
    assert_stderr_has(
        &r,
        &format!(
            "GET http://127.0.0.1:{port}/v2/apps failed with HTTP 307: redirected to https://marathon.example/v2/apps; dcos-lb follows no redirects: use that address in --url or --marathon"
        ),
    );
}
