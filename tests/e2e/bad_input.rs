//! A hostile user's bad inputs across every command that takes input:
//! deploy, split, app add/scale, task kill, render, status, health and the
//! configuration. Each is refused with its documented exit code and a
//! message naming what to fix, and no write request reaches Marathon.

use serde_json::json;

use crate::deploy_input::{world, zdd_app};
use crate::support::cmd::{TestHome, run, web_app};
use crate::support::marathon_sim::MarathonSim;

/// One bad input: what it is, the arguments, extra environment, the exit
/// code and the words the refusal must contain.
struct Row {
    what: &'static str,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
    code: i32,
    words: Vec<&'static str>,
}

fn row(what: &'static str, args: &[&str], code: i32, words: &[&'static str]) -> Row {
    Row {
        what,
        args: args.iter().map(|a| a.to_string()).collect(),
        env: Vec::new(),
        code,
        words: words.to_vec(),
    }
}

impl Row {
    fn env(mut self, key: &'static str, value: &str) -> Self {
        self.env.push((key, value.to_string()));
        self
    }
}

/// Files the rows name, written under HOME.
struct Files {
    good: String,
    bad_json: String,
    array: String,
    no_id: String,
    zero_port: String,
    text_instances: String,
    bad_alt: String,
    existing: String,
    no_apps_key: String,
}

fn files(home: &TestHome) -> Files {
    let labels = json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "10081"});
    let write = |name: &str, text: String| home.file(name, &text).display().to_string();
    let mut zero_port = zdd_app(labels.clone());
    zero_port["portDefinitions"] = json!([{ "port": 0, "name": "http" }]);
    let mut text_instances = zdd_app(labels.clone());
    text_instances["instances"] = json!("3");
    Files {
        good: write("good.json", zdd_app(labels.clone()).to_string()),
        bad_json: write(
            "bad.json",
            "{\n  \"id\": \"/web\",\n  \"cpus\": ,\n}".into(),
        ),
        array: write("array.json", "[]".into()),
        no_id: write("no-id.json", json!({"cmd": "sleep 1"}).to_string()),
        zero_port: write("zero-port.json", zero_port.to_string()),
        text_instances: write("text-instances.json", text_instances.to_string()),
        bad_alt: write(
            "bad-alt.json",
            zdd_app(
                json!({"HAPROXY_DEPLOYMENT_GROUP": "web", "HAPROXY_DEPLOYMENT_ALT_PORT": "ten"}),
            )
            .to_string(),
        ),
        existing: write("existing.json", web_app("/svc", 1).to_string()),
        no_apps_key: write("no-apps.json", json!({"items": []}).to_string()),
    }
}

fn rows(f: &Files) -> Vec<Row> {
    const LB: &str = "http://127.0.0.1:9";
    let deploy = |file: &str, extra: &[&str]| -> Vec<String> {
        let mut args = vec!["deploy", file, "-f", "-l", LB];
        args.extend_from_slice(extra);
        args.iter().map(|a| a.to_string()).collect()
    };
    let deploy_row = |what, file: &str, extra: &[&str], code, words: &[&'static str]| Row {
        what,
        args: deploy(file, extra),
        env: Vec::new(),
        code,
        words: words.to_vec(),
    };
    vec![
        // deploy
        deploy_row(
            "deploy: no such file",
            "/no/such/app.json",
            &[],
            3,
            &["/no/such/app.json"],
        ),
        deploy_row(
            "deploy: malformed JSON",
            &f.bad_json,
            &[],
            3,
            &["bad.json", "line 3"],
        ),
        deploy_row(
            "deploy: a JSON array",
            &f.array,
            &[],
            3,
            &["array.json", "must be a JSON object"],
        ),
        deploy_row("deploy: no id", &f.no_id, &[], 4, &["valid App ID"]),
        row(
            "deploy: service port 0",
            &["deploy", &f.zero_port, "--dry-run", "-l", LB],
            3,
            &["the service port is 0", "servicePort"],
        ),
        deploy_row(
            "deploy: instances as a string",
            &f.text_instances,
            &[],
            3,
            &["\"instances\""],
        ),
        deploy_row(
            "deploy: ALT_PORT not a number",
            &f.bad_alt,
            &[],
            3,
            &["HAPROXY_DEPLOYMENT_ALT_PORT", "ten"],
        ),
        deploy_row(
            "deploy: --max-wait text",
            &f.good,
            &["--max-wait", "soon"],
            2,
            &["--max-wait"],
        ),
        deploy_row(
            "deploy: -i text",
            &f.good,
            &["-i", "one"],
            2,
            &["--initial-instances"],
        ),
        deploy_row(
            "deploy: --linear-increase -1",
            &f.good,
            &["--linear-increase", "-1"],
            2,
            &["--linear-increase"],
        ),
        deploy_row(
            "deploy: -l not a URL",
            &f.good,
            &["-l", "not a url"],
            2,
            &["--marathon-lb", "\"not a url\" is not a URL"],
        ),
        deploy_row(
            "deploy: --complete-prev with no split",
            &f.good,
            &["--complete-prev"],
            3,
            &["web"],
        ),
        row("deploy: no file given", &["deploy", "-f"], 2, &["APP.json"]),
        // split
        row(
            "split: no --new-instances",
            &["split", &f.good, "-f", "-l", LB],
            2,
            &["--new-instances"],
        ),
        row(
            "split: -n 0",
            &["split", &f.good, "-n", "0", "-f", "-l", LB],
            3,
            &["--new-instances must be at least 1"],
        ),
        row(
            "split: -n -1",
            &["split", &f.good, "-n", "-1", "-f", "-l", LB],
            2,
            &["--new-instances"],
        ),
        row(
            "split: -n text",
            &["split", &f.good, "-n", "two", "-f", "-l", LB],
            2,
            &["--new-instances"],
        ),
        row(
            "split: both finishing directions",
            &["split", &f.good, "-c", "-p", "-f", "-l", LB],
            2,
            &["--complete-prev"],
        ),
        row(
            "split: -i 0",
            &["split", &f.good, "-n", "1", "-i", "0", "-f", "-l", LB],
            2,
            &["--initial-instances", "at least 1"],
        ),
        row(
            "split: -i -2",
            &["split", &f.good, "-n", "1", "-i", "-2", "-f", "-l", LB],
            2,
            &["--initial-instances", "at least 1"],
        ),
        row(
            "split: -c with -n",
            &["split", &f.good, "-c", "-n", "2", "-f", "-l", LB],
            2,
            &["--new-instances"],
        ),
        row(
            "split: a group that is not split",
            &["split", "--group", "web", "-n", "2", "-f", "-l", LB],
            3,
            &["group web is not split yet"],
        ),
        row(
            "split: a first deploy",
            &["split", &f.good, "-n", "2", "--dry-run", "-l", LB],
            3,
            &["--new-instances needs a running app"],
        ),
        // app add
        row(
            "app add: no such file",
            &["app", "add", "/no/such/app.json"],
            3,
            &["/no/such/app.json", "check that it exists"],
        ),
        row(
            "app add: malformed JSON",
            &["app", "add", &f.bad_json],
            3,
            &["line 3 column"],
        ),
        row(
            "app add: a JSON array",
            &["app", "add", &f.array],
            3,
            &["must be a JSON object"],
        ),
        row(
            "app add: no id",
            &["app", "add", &f.no_id],
            3,
            &["application ID must be set"],
        ),
        row(
            "app add: an id that exists",
            &["app", "add", &f.existing],
            7,
            &["'/svc' already exists"],
        ),
        // app scale
        row(
            "app scale: negative",
            &["app", "scale", "/svc", "-1"],
            2,
            &["INSTANCES"],
        ),
        row(
            "app scale: negative names the argument",
            &["app", "scale", "/svc", "-3"],
            2,
            &["invalid value '-3' for '<INSTANCES>'"],
        ),
        row(
            "app scale: text",
            &["app", "scale", "/svc", "many"],
            2,
            &["many"],
        ),
        row(
            "app scale: too large",
            &["app", "scale", "/svc", "99999999999"],
            2,
            &["99999999999"],
        ),
        row(
            "app scale: no count",
            &["app", "scale", "/svc"],
            2,
            &["INSTANCES"],
        ),
        row(
            "app scale: unknown app",
            &["app", "scale", "/nosuch", "2"],
            6,
            &["/nosuch"],
        ),
        // task kill
        row("task kill: no task", &["task", "kill"], 2, &["TASK"]),
        row(
            "task kill: no --yes",
            &["task", "kill", "svc.instance-x._app.1"],
            1,
            &["pass --yes to confirm"],
        ),
        row(
            "task kill --scale: no --yes",
            &["task", "kill", "--scale", "svc.instance-x._app.1"],
            1,
            &["pass --yes to confirm"],
        ),
        // render
        row(
            "render: no --group",
            &["render", "--apps", &f.existing],
            2,
            &["--group"],
        ),
        row(
            "render: no such --apps file",
            &[
                "render",
                "--group",
                "external",
                "--apps",
                "/no/such/apps.json",
            ],
            3,
            &["--apps", "/no/such/apps.json"],
        ),
        row(
            "render: malformed --apps",
            &["render", "--group", "external", "--apps", &f.bad_json],
            3,
            &["bad.json"],
        ),
        row(
            "render: --apps without `apps`",
            &["render", "--group", "external", "--apps", &f.no_apps_key],
            3,
            &["no-apps.json", "no `apps` member"],
        ),
        row(
            "render: port bound text",
            &[
                "render",
                "--group",
                "external",
                "--apps",
                &f.no_apps_key,
                "--min-serv-port-ip-per-task",
                "low",
            ],
            2,
            &["--min-serv-port-ip-per-task"],
        ),
        row(
            "render: no such --templates",
            &[
                "render",
                "--group",
                "external",
                "--apps",
                &f.no_apps_key,
                "--templates",
                "/no/such/templates",
            ],
            1,
            &["/no/such/templates"],
        ),
        // status
        row(
            "status: unknown group",
            &["status", "nosuch", "-l", LB],
            1,
            &["nosuch"],
        ),
        row(
            "status: -l ftp",
            &["status", "-l", "ftp://lb"],
            2,
            &["--marathon-lb", "http(s) URL"],
        ),
        row(
            "status: --count text",
            &["status", "--count", "few"],
            2,
            &["--count"],
        ),
        row(
            "status: bad --jq",
            &["status", "--jq", ".["],
            2,
            &["invalid jq filter"],
        ),
        // health
        row(
            "health: unknown app",
            &["health", "/nosuch"],
            6,
            &["/nosuch"],
        ),
        row(
            "health: bad --filter",
            &["health", "/svc", "--filter", ".tasks[] | nosuch(1)"],
            2,
            &["undefined filter"],
        ),
        row(
            "health: --interval text",
            &["health", "/svc", "--wait", "--interval", "often"],
            2,
            &["--interval"],
        ),
        row(
            "health: --interval 0",
            &["health", "/svc", "--wait", "--interval", "0"],
            2,
            &["--interval", "at least 1"],
        ),
        row("health: no app", &["health"], 2, &["APP"]),
        // config
        row(
            "config: --timeout 0",
            &["app", "scale", "/svc", "2", "--timeout", "0"],
            1,
            &["--timeout"],
        ),
        row(
            "config: --url ftp",
            &["app", "scale", "/svc", "2", "--url", "ftp://x"],
            1,
            &["invalid URL 'ftp://x' from --url"],
        ),
        row(
            "config: DCOS_TIMEOUT text",
            &["app", "scale", "/svc", "2"],
            1,
            &["DCOS_TIMEOUT"],
        )
        .env("DCOS_TIMEOUT", "soon"),
        row(
            "config: missing --ca-file",
            &["app", "scale", "/svc", "2", "--ca-file", "/no/such/ca.pem"],
            1,
            &["/no/such/ca.pem"],
        ),
        row(
            "config: DCOS_CLUSTER unknown",
            &["app", "scale", "/svc", "2"],
            1,
            &["gamma", "DCOS_CLUSTER"],
        )
        .env("DCOS_CLUSTER", "gamma"),
        row(
            "config: --auth-credentials without a colon",
            &[
                "app",
                "scale",
                "/svc",
                "2",
                "-m",
                "http://127.0.0.1:9",
                "--auth-credentials",
                "admin",
            ],
            11,
            &["USER:PASSWORD"],
        ),
        row(
            "config: missing --dcos-auth-credentials",
            &[
                "app",
                "scale",
                "/svc",
                "2",
                "--dcos-auth-credentials",
                "/no/such/sa.json",
            ],
            11,
            &["/no/such/sa.json"],
        ),
        row(
            "config: --color sometimes",
            &["app", "scale", "/svc", "2", "--color", "sometimes"],
            2,
            &["--color"],
        ),
    ]
}

fn check(sim: &MarathonSim, home: &TestHome, row: &Row) -> Option<String> {
    let args: Vec<&str> = row.args.iter().map(String::as_str).collect();
    let mut cmd = home.cmd(&args);
    for (key, value) in &row.env {
        cmd.env(key, value);
    }
    let r = run(cmd);
    let missing: Vec<&str> = row
        .words
        .iter()
        .copied()
        .filter(|w| !r.stderr.contains(w))
        .collect();
    let writes = sim.write_requests();
    (r.code != row.code || !missing.is_empty() || !writes.is_empty()).then(|| {
        format!(
            "{}: exit {} (want {}), missing {missing:?}, writes {writes:?}\n{}",
            row.what, r.code, row.code, r.stderr
        )
    })
}

#[test]
fn bad_inputs_are_refused_with_what_to_fix_and_nothing_written() {
    let (sim, home) = world();
    sim.create_app(web_app("/svc", 1));
    sim.clear_requests();
    let files = files(&home);
    let rows = rows(&files);
    assert!(rows.len() >= 40, "{} rows", rows.len());
    let failures: Vec<String> = rows.iter().filter_map(|r| check(&sim, &home, r)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
