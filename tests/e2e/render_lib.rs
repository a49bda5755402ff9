//! Integration tests of `dcos_lb::render`: the marathon-lb conformance
//! cases (byte-identical output), the server-id vectors, and `haproxy -c`
//! on every rendered configuration.

#![allow(clippy::print_stdout)]

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

use dcos_lb::render::{
    Apps, Date, RenderError, RenderOptions, Rendered, Templates, render, server_id, validate,
};
use serde_json::Value;

use crate::support::{component, conformance};

/// One conformance case prepared for rendering.
struct Case {
    name: String,
    dir: PathBuf,
    apps_json: Vec<u8>,
    opts: RenderOptions,
    templates: Templates,
    hosts: HashMap<String, Ipv4Addr>,
    expect_error: bool,
    usage_error: Option<RenderError>,
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(
        &fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Builds a case from its folder, reading marathon-lb's argv spelling.
fn load_case(dir: &Path) -> Case {
    let args = read_json(&dir.join("args.json"));
    let argv: Vec<String> = args["argv"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let env: BTreeMap<String, String> = args["env"]
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    // A fixed day: the cases whose dates dateutil completes from today
    // render alike on any day (the binary's run uses the real one).
    let mut opts = RenderOptions {
        framework_name: env.get("FRAMEWORK_NAME").cloned(),
        today: Date::new(2026, 12, 2),
        ..RenderOptions::default()
    };
    let mut hosts = HashMap::new();
    let mut files = BTreeMap::new();
    let mut it = argv.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .unwrap_or_else(|| panic!("{a} needs a value"))
        };
        match a.as_str() {
            "--group" => {
                let g = value();
                opts.groups.push(g);
            }
            "--haproxy-map" => opts.haproxy_map = true,
            "--dont-bind-http-https" => opts.bind_http_https = false,
            "--group-https-by-vhost" => opts.group_https_by_vhost = true,
            "--strict-mode" => opts.strict_mode = true,
            "--health-check" => opts.health_check = true,
            "--ssl-certs" => opts.ssl_certs = RenderOptions::ssl_certs_from_arg(&value()),
            "--haproxy-config" => opts.haproxy_config_path = value(),
            "--min-serv-port-ip-per-task" => {
                opts.min_serv_port_ip_per_task = value().parse().expect("port");
            }
            "--max-serv-port-ip-per-task" => {
                opts.max_serv_port_ip_per_task = value().parse().expect("port");
            }
            "--hosts" => {
                let table = read_json(&dir.join(value()));
                for (k, v) in table.as_object().expect("hosts object") {
                    hosts.insert(
                        k.clone(),
                        v.as_str().and_then(|s| s.parse().ok()).expect("ipv4"),
                    );
                }
            }
            "--templates" => {
                let tdir = dir.join(value());
                for e in fs::read_dir(&tdir).expect("templates dir") {
                    let e = e.expect("entry");
                    let text = fs::read_to_string(e.path()).expect("template file");
                    files.insert(e.file_name().to_string_lossy().into_owned(), text);
                }
            }
            other => panic!("{}: unknown option {other}", dir.display()),
        }
    }
    let apps_json = fs::read(dir.join("apps.json")).expect("apps.json");
    Case {
        name: dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned(),
        dir: dir.to_path_buf(),
        apps_json,
        usage_error: opts.check().err(),
        opts,
        templates: Templates::new(&files, &env),
        hosts,
        expect_error: args["expect_error"].as_bool().unwrap_or(false),
    }
}

fn run_case(case: &Case) -> Result<Rendered, RenderError> {
    if let Some(e) = &case.usage_error {
        return Err(e.clone());
    }
    let apps = Apps::from_slice(&case.apps_json)?;
    render(&apps, &case.opts, &case.templates, &case.hosts)
}

/// All case folders (filtered by `$DCOS_LB_CASE`, a substring of the name).
fn cases(root: Option<&Path>) -> Vec<Case> {
    let filter = std::env::var("DCOS_LB_CASE").unwrap_or_default();
    conformance::case_dirs(root)
        .iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&filter))
        })
        .map(|d| load_case(d))
        .collect()
}

/// A readable account of the first difference between two texts.
fn first_difference(expected: &str, actual: &str) -> String {
    let e: Vec<&str> = expected.split_inclusive('\n').collect();
    let a: Vec<&str> = actual.split_inclusive('\n').collect();
    let i = e.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let from = i.saturating_sub(2);
    let show = |lines: &[&str]| -> String {
        lines
            .iter()
            .enumerate()
            .skip(from)
            .take(i - from + 4)
            .map(|(n, l)| format!("    {:>4}{} {l:?}\n", n + 1, if n == i { ">" } else { " " }))
            .collect()
    };
    format!(
        "  first difference at line {} (expected {} lines, got {}):\n  expected:\n{}  actual:\n{}",
        i + 1,
        e.len(),
        a.len(),
        show(&e),
        show(&a)
    )
}

fn compare(
    what: &str,
    expected_path: &Path,
    actual: Option<&str>,
    failures: &mut Vec<String>,
    name: &str,
) {
    let expected = fs::read_to_string(expected_path).ok();
    match (expected, actual) {
        (Some(e), Some(a)) if e == a => {}
        (Some(e), Some(a)) => failures.push(format!(
            "{name}: {what} differs\n{}",
            first_difference(&e, a)
        )),
        (Some(_), None) => failures.push(format!("{name}: {what} expected but not produced")),
        (None, Some(a)) if !a.is_empty() => {
            failures.push(format!("{name}: {what} produced but not expected"));
        }
        (None, _) => {}
    }
}

#[test]
#[cfg_attr(
    missing_conformance,
    ignore = "needs the conformance data at ../shared/conformance (or DCOS_LB_CONFORMANCE_DIR)"
)]
fn conformance_cases_render_byte_identical() {
    let cases = cases(Some(component::conformance()));
    let mut failures = Vec::new();
    for case in &cases {
        match (run_case(case), case.expect_error) {
            (Ok(out), false) => {
                compare(
                    "haproxy.cfg",
                    &case.dir.join("haproxy.cfg"),
                    Some(&out.haproxy_cfg),
                    &mut failures,
                    &case.name,
                );
                compare(
                    "domain2backend.map",
                    &case.dir.join("domain2backend.map"),
                    out.domain2backend_map.as_deref(),
                    &mut failures,
                    &case.name,
                );
                compare(
                    "app2backend.map",
                    &case.dir.join("app2backend.map"),
                    out.app2backend_map.as_deref(),
                    &mut failures,
                    &case.name,
                );
            }
            (Ok(_), true) => failures.push(format!(
                "{}: rendered, but marathon-lb fails on it",
                case.name
            )),
            (Err(e), false) => failures.push(format!("{}: render failed: {e}", case.name)),
            (Err(e), true) => println!("{}: fails as expected: {e}", case.name),
        }
    }
    for f in &failures {
        println!("{f}");
    }
    println!(
        "conformance: {} passed, {} failed",
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} conformance cases failed",
        failures.len(),
        cases.len()
    );
}

#[test]
#[cfg_attr(
    missing_conformance,
    ignore = "needs the conformance data at ../shared/conformance (or DCOS_LB_CONFORMANCE_DIR)"
)]
fn server_id_vectors() {
    let root = component::conformance();
    let v = read_json(&root.join("server-id-vectors.json"));
    let singles = v["singles"].as_array().expect("singles");
    for s in singles {
        let name = s["name"].as_str().expect("name");
        assert_eq!(
            Some(u64::from(server_id(name, &mut Default::default()))),
            s["id"].as_u64(),
            "{name}"
        );
    }
    let sequences = v["sequences"].as_array().expect("sequences");
    let mut collisions = 0;
    for seq in sequences {
        let mut taken = Default::default();
        let names = seq["names"].as_array().expect("names");
        let ids = seq["ids"].as_array().expect("ids");
        for (n, id) in names.iter().zip(ids) {
            assert_eq!(
                Some(u64::from(server_id(n.as_str().expect("name"), &mut taken))),
                id.as_u64(),
                "{n}"
            );
        }
        collisions += seq["collided"].as_array().map_or(0, Vec::len);
    }
    assert!(!singles.is_empty() && !sequences.is_empty());
    println!(
        "server ids: {} singles, {} sequences, {collisions} collisions",
        singles.len(),
        sequences.len()
    );
}

#[test]
#[cfg_attr(
    any(missing_conformance, missing_haproxy),
    ignore = "needs the conformance data at ../shared/conformance and haproxy: apt-get install -y haproxy"
)]
fn rendered_configs_pass_haproxy_check() {
    let root = component::conformance();
    let haproxy = component::haproxy();
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut accepted = 0;
    let mut rejected_as_expected = 0;
    let mut failures = Vec::new();
    for case in cases(Some(root)) {
        let Ok(out) = run_case(&case) else { continue };
        let cfg = validate::prepare_standins(&out.haproxy_cfg, tmp.path()).expect("stand-ins");
        let cfg_path = tmp.path().join(format!("{}.cfg", case.name));
        fs::write(&cfg_path, &cfg).expect("write cfg");
        let result = Command::new(haproxy)
            .arg("-c")
            .arg("-f")
            .arg(&cfg_path)
            .output()
            .expect("run haproxy");
        // Configurations HAProxy must refuse, and a word its message has.
        let mut removed: Vec<(usize, &str)> = validate::removed_directives(&out.haproxy_cfg);
        removed.extend(
            validate::binds_without_ca_file(&out.haproxy_cfg)
                .into_iter()
                .map(|line| (line, "no CA file specified")),
        );
        let log = String::from_utf8_lossy(&result.stderr).into_owned()
            + &String::from_utf8_lossy(&result.stdout);
        match (result.status.success(), removed.is_empty()) {
            (true, true) => accepted += 1,
            (false, false) => {
                let named = removed.iter().all(|(_, d)| log.contains(d));
                if named {
                    rejected_as_expected += 1;
                } else {
                    failures.push(format!(
                        "{}: rejected, but not for {removed:?}:\n{log}",
                        case.name
                    ));
                }
            }
            (true, false) => failures.push(format!("{}: accepted despite {removed:?}", case.name)),
            (false, true) => failures.push(format!("{}: haproxy -c failed:\n{log}", case.name)),
        }
    }
    for f in &failures {
        println!("{f}");
    }
    println!(
        "haproxy -c: {accepted} accepted, {rejected_as_expected} rejected for removed directives or verify without ca-file, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} configurations failed haproxy -c",
        failures.len()
    );
}

/// The README's first command: `examples/apps.json` with `--group external`.
#[test]
fn example_apps_render() {
    let bytes = fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/apps.json"))
        .expect("examples/apps.json");
    let apps = Apps::from_slice(&bytes).expect("parse");
    let opts = RenderOptions {
        groups: vec!["external".into()],
        ..RenderOptions::default()
    };
    let out = render(
        &apps,
        &opts,
        &Templates::default(),
        &dcos_lb::render::NoResolver,
    )
    .expect("render");
    let cfg = &out.haproxy_cfg;
    assert!(
        cfg.contains("\nbackend external_shop_10001\n"),
        "blue/green merged under the group id"
    );
    assert!(
        cfg.contains("server 10_0_1_11_20101 10.0.1.11:20101 id ") && cfg.contains(" disabled\n")
    );
    assert!(cfg.contains("\nbackend external_redis_10003\n") && !cfg.contains("26380"));
    assert!(
        !cfg.contains("internal_metrics"),
        "group internal is not rendered"
    );
    insta::assert_snapshot!("example_apps_external", cfg);
}
