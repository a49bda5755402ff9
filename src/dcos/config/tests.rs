//! Tests of the dcos CLI configuration: cluster choice, overrides, and the
//! `[lb]` settings, over temporary `~/.dcos` trees.

use super::*;
use std::collections::BTreeMap;

struct Fixture {
    dir: tempfile::TempDir,
    vars: BTreeMap<String, String>,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut vars = BTreeMap::new();
        vars.insert(
            env::DCOS_DIR.to_string(),
            dir.path().join("dcos").to_string_lossy().into_owned(),
        );
        Self { dir, vars }
    }

    fn cluster(&self, id: &str, toml: &str, attached: bool) -> &Self {
        let dir = self.dir.path().join("dcos/clusters").join(id);
        fs_err::create_dir_all(&dir).expect("mkdir");
        fs_err::write(dir.join("dcos.toml"), toml).expect("write");
        if attached {
            fs_err::write(dir.join("attached"), "").expect("write");
        }
        self
    }

    fn var(mut self, k: &str, v: &str) -> Self {
        self.vars.insert(k.to_string(), v.to_string());
        self
    }

    fn env(&self) -> Env {
        Env::from_map(self.vars.clone(), None, Some(self.dir.path().to_path_buf()))
    }

    fn resolve(&self, global: &Overrides) -> Result<Connection, ConfigError> {
        resolve(global, &self.env())
    }
}

fn toml_for(url: &str, name: &str) -> String {
    format!(
        "[core]\ndcos_url = \"{url}\"\ndcos_acs_token = \"tok-{name}\"\n[cluster]\nname = \"{name}\"\n"
    )
}

#[test]
fn single_cluster_is_current_without_marker() {
    let f = Fixture::new();
    f.cluster("c1", &toml_for("https://a.example/", "alpha"), false);
    let c = f.resolve(&Overrides::default()).expect("resolve");
    assert_eq!(
        c.marathon_url.as_str(),
        "https://a.example/service/marathon/"
    );
    assert_eq!(c.token.as_ref().map(Secret::expose), Some("tok-alpha"));
    assert_eq!(c.cluster.expect("cluster").id, "c1");
    assert_eq!(c.timeout, DEFAULT_TIMEOUT);
    assert_eq!(c.tls, TlsMode::Verify);
}

#[test]
fn attached_marker_picks_among_several() {
    let f = Fixture::new();
    f.cluster("c1", &toml_for("https://a.example", "alpha"), false)
        .cluster("c2", &toml_for("https://b.example", "beta"), true);
    let c = f.resolve(&Overrides::default()).expect("resolve");
    assert_eq!(c.dcos_url.expect("url").as_str(), "https://b.example/");
}

#[test]
fn none_or_several_attached_are_errors_with_the_cli_wording() {
    let f = Fixture::new();
    f.cluster("c1", &toml_for("https://a.example", "alpha"), false)
        .cluster("c2", &toml_for("https://b.example", "beta"), false);
    let err = f.resolve(&Overrides::default()).expect_err("none");
    assert_eq!(
        err.to_string(),
        "no cluster is attached. Please run `dcos cluster attach <cluster-name>`"
    );
    f.cluster("c1", &toml_for("https://a.example", "alpha"), true)
        .cluster("c2", &toml_for("https://b.example", "beta"), true);
    let err = f.resolve(&Overrides::default()).expect_err("two");
    assert_eq!(
        err.to_string(),
        "multiple clusters are attached: alpha (c1), beta (c2). Run `dcos cluster attach <name>` to keep one, or pick one for this run with DCOS_CLUSTER=<name>"
    );
    let empty = Fixture::new();
    assert!(matches!(
        empty.resolve(&Overrides::default()),
        Err(ConfigError::NotAttached)
    ));
}

#[test]
fn dcos_cluster_selects_by_id_or_name() {
    let f = Fixture::new();
    f.cluster("c1", &toml_for("https://a.example", "alpha"), true)
        .cluster("c2", &toml_for("https://b.example", "beta"), false)
        .cluster("c3", &toml_for("https://c.example", "beta"), false);
    let by_id = f.resolve(&Overrides::default());
    assert_eq!(by_id.expect("attached").cluster.expect("c").id, "c1");
    let f = f.var(env::DCOS_CLUSTER, "c2");
    assert_eq!(
        f.resolve(&Overrides::default())
            .expect("id")
            .cluster
            .expect("c")
            .id,
        "c2"
    );
    let f = f.var(env::DCOS_CLUSTER, "alpha");
    assert_eq!(
        f.resolve(&Overrides::default())
            .expect("name")
            .cluster
            .expect("c")
            .id,
        "c1"
    );
    let f = f.var(env::DCOS_CLUSTER, "beta");
    assert!(matches!(
        f.resolve(&Overrides::default()),
        Err(ConfigError::MultipleMatches(_))
    ));
    let f = f.var(env::DCOS_CLUSTER, "gamma");
    assert_eq!(
        f.resolve(&Overrides::default())
            .expect_err("none")
            .to_string(),
        "no match found for cluster 'gamma' (DCOS_CLUSTER)"
    );
}

#[test]
fn flags_beat_env_beat_file() {
    let f = Fixture::new()
        .var(env::DCOS_URL, "https://env.example/")
        .var(env::DCOS_ACS_TOKEN, "tok-env")
        .var(env::DCOS_TIMEOUT, "7");
    f.cluster(
        "c1",
        "[core]\ndcos_url = \"https://env.example\"\ndcos_acs_token = \"tok-file\"\ntimeout = 9\n[marathon]\nurl = \"http://m.example:8080\"\n",
        false,
    );
    let c = f.resolve(&Overrides::default()).expect("env");
    assert_eq!(c.token.as_ref().map(Secret::expose), Some("tok-env"));
    assert_eq!(c.timeout, Duration::from_secs(7));
    assert_eq!(c.marathon_url.as_str(), "http://m.example:8080/");
    let flags = Overrides {
        url: Some("https://flag.example".into()),
        token: Some(Secret::new("tok-flag")),
        timeout: Some(3),
        ..Overrides::default()
    };
    let c = f.resolve(&flags).expect("flags");
    assert_eq!(c.token.as_ref().map(Secret::expose), Some("tok-flag"));
    assert!(c.token_from_flag);
    assert_eq!(c.timeout, Duration::from_secs(3));
    // The file describes another cluster now: its marathon.url is not used.
    assert_eq!(
        c.marathon_url.as_str(),
        "https://flag.example/service/marathon/"
    );
}

#[test]
fn file_settings_of_another_cluster_are_ignored() {
    let f = Fixture::new().var(env::DCOS_URL, "https://other.example");
    f.cluster("c1", &toml_for("https://a.example", "alpha"), false);
    let c = f.resolve(&Overrides::default()).expect("resolve");
    assert!(
        c.token.is_none(),
        "a token is never sent to another cluster"
    );
    assert!(c.cluster.is_none());
}

#[test]
fn empty_env_token_means_none() {
    let f = Fixture::new()
        .var(env::DCOS_URL, "https://a.example")
        .var(env::DCOS_ACS_TOKEN, "");
    f.cluster("c1", &toml_for("https://a.example", "alpha"), false);
    let c = f.resolve(&Overrides::default()).expect("resolve");
    assert!(c.token.is_none());
}

#[test]
fn ssl_verify_spellings() {
    for (value, want) in [
        ("true", TlsMode::Verify),
        ("True", TlsMode::Verify),
        ("1", TlsMode::Verify),
        ("F", TlsMode::Insecure),
        ("FALSE", TlsMode::Insecure),
        ("", TlsMode::Verify),
        ("/etc/ca.pem", TlsMode::CaFile("/etc/ca.pem".into())),
    ] {
        assert_eq!(parse_ssl_verify(value), want, "{value}");
    }
    let f = Fixture::new();
    f.cluster(
        "c1",
        "[core]\ndcos_url = \"https://a.example\"\nssl_verify = false\n",
        false,
    );
    assert_eq!(
        f.resolve(&Overrides::default()).expect("bool").tls,
        TlsMode::Insecure
    );
    let f = f.var(env::DCOS_SSL_VERIFY, "/ca.pem");
    assert_eq!(
        f.resolve(&Overrides::default()).expect("env").tls,
        TlsMode::CaFile("/ca.pem".into())
    );
    let f = f.var(env::DCOS_TLS_INSECURE, "1");
    assert_eq!(
        f.resolve(&Overrides::default()).expect("insecure").tls,
        TlsMode::Insecure
    );
    let flags = Overrides {
        ca_file: Some("/flag.pem".into()),
        ..Overrides::default()
    };
    assert_eq!(
        f.resolve(&flags).expect("flag").tls,
        TlsMode::CaFile("/flag.pem".into())
    );
}

#[test]
fn marathon_flag_needs_no_cluster() {
    let f = Fixture::new();
    let flags = Overrides {
        marathon: Some("http://marathon.mesos:8080".into()),
        ..Overrides::default()
    };
    let c = f.resolve(&flags).expect("bare marathon");
    assert_eq!(c.marathon_url.as_str(), "http://marathon.mesos:8080/");
    assert!(c.dcos_url.is_none());
    let f = f.var(env::DCOS_MARATHON_URL, "http://m2:8080");
    let c = f.resolve(&Overrides::default()).expect("env marathon");
    assert_eq!(c.marathon_url.as_str(), "http://m2:8080/");
}

#[test]
fn bad_values_are_named() {
    let f = Fixture::new().var(env::DCOS_TIMEOUT, "soon");
    f.cluster("c1", &toml_for("https://a.example", "alpha"), false);
    assert_eq!(
        f.resolve(&Overrides::default())
            .expect_err("timeout")
            .to_string(),
        "invalid timeout 'soon' from DCOS_TIMEOUT: expected whole seconds"
    );
    let f = Fixture::new().var(env::DCOS_URL, "ftp://x");
    assert!(matches!(
        f.resolve(&Overrides::default()),
        Err(ConfigError::BadUrl { .. })
    ));
    let f = Fixture::new();
    f.cluster("c1", "[core\n", false);
    assert!(matches!(
        f.resolve(&Overrides::default()),
        Err(ConfigError::ReadConfig { .. })
    ));
}

#[test]
fn lb_settings_env_over_file() {
    let f = Fixture::new()
        .var("DCOS_LB_MARATHON_LB_URL", "http://env-lb:9090")
        .var("DCOS_LB_LOG", "debug");
    f.cluster(
        "c1",
        "[core]\ndcos_url = \"https://a\"\n[lb]\nmarathon_lb_url = \"http://file-lb:9090\"\ngroup = \"external\"\nmax_wait = 60\n",
        false,
    );
    let s = f.resolve(&Overrides::default()).expect("resolve").lb;
    assert_eq!(
        s.get("marathon_lb_url").map(String::as_str),
        Some("http://env-lb:9090")
    );
    assert_eq!(s.get("group").map(String::as_str), Some("external"));
    assert_eq!(s.get("max_wait").map(String::as_str), Some("60"));
    assert!(!s.contains_key("log"));
}

#[test]
fn lb_settings_come_from_the_cluster_the_url_names() {
    let f = Fixture::new();
    f.cluster(
        "c1",
        "[core]\ndcos_url = \"https://a.example\"\n[lb]\nmarathon_lb_url = \"http://lb-a:9090\"\n",
        true,
    );
    let attached = f.resolve(&Overrides::default()).expect("resolve");
    assert_eq!(
        attached.lb.get("marathon_lb_url").map(String::as_str),
        Some("http://lb-a:9090")
    );
    let other = Overrides {
        url: Some("https://b.example".into()),
        ..Overrides::default()
    };
    let elsewhere = f.resolve(&other).expect("resolve");
    assert!(
        elsewhere.lb.is_empty(),
        "cluster a's marathon-lb is not cluster b's: {:?}",
        elsewhere.lb
    );
    let same = Overrides {
        url: Some("https://a.example/".into()),
        ..Overrides::default()
    };
    assert_eq!(f.resolve(&same).expect("resolve").lb, attached.lb);
}
