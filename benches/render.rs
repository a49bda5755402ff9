//! Render benchmark: synthetic `/v2/apps` bodies of 1 000, 10 000 and
//! 50 000 apps × 3 tasks (a vhost and an HTTP health check each), parsed
//! and rendered; prints milliseconds and apps per second, then the whole
//! `dcos-lb render --apps FILE --group '*' > /dev/null` process: wall,
//! user and system time and peak RSS, median of 9 runs (times and peak
//! RSS from `/usr/bin/time`; without it that table is skipped, with a
//! note).
//!
//! `cargo bench --bench render` runs it; `-- --write-input DIR` instead
//! writes the inputs as `DIR/apps-<N>.json`; `-- --sizes 1000,5000` picks
//! the sizes.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use dcos_lb::render::{Apps, NoResolver, RenderOptions, Templates, render};

/// A Marathon-like `/v2/apps?embed=apps.tasks` body with `n` apps.
fn synthetic_apps(n: usize) -> String {
    let mut s = String::with_capacity(n * 2600);
    s.push_str("{\"apps\":[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let port = 10000 + i;
        let _ = write!(
            s,
            r#"{{"id":"/external/app-{i}","cmd":"python3 -m http.server $PORT0","args":null,"user":null,
"env":{{"LOG_LEVEL":"info"}},"instances":3,"cpus":0.1,"mem":128,"disk":0,"gpus":0,"executor":"",
"constraints":[],"uris":[],"fetch":[],"storeUrls":[],"backoffSeconds":1,"backoffFactor":1.15,
"maxLaunchDelaySeconds":3600,"container":null,"healthChecks":[{{"gracePeriodSeconds":15,
"intervalSeconds":10,"maxConsecutiveFailures":3,"path":"/","portIndex":0,"protocol":"HTTP",
"timeoutSeconds":5,"delaySeconds":15}}],"readinessChecks":[],"dependencies":[],
"upgradeStrategy":{{"minimumHealthCapacity":1,"maximumOverCapacity":1}},
"labels":{{"HAPROXY_GROUP":"external","HAPROXY_0_VHOST":"app-{i}.example.com"}},
"acceptedResourceRoles":null,"ipAddress":null,"version":"2020-09-25T10:00:00.000Z",
"residency":null,"secrets":{{}},"taskKillGracePeriodSeconds":null,"unreachableStrategy":
{{"inactiveAfterSeconds":300,"expungeAfterSeconds":600}},"killSelection":"YOUNGEST_FIRST",
"versionInfo":{{"lastScalingAt":"2020-09-25T10:00:00.000Z","lastConfigChangeAt":"2020-09-25T10:00:00.000Z"}},
"portDefinitions":[{{"port":{port},"protocol":"tcp","name":"http","labels":{{}}}}],
"requirePorts":false,"tasksStaged":0,"tasksRunning":3,"tasksHealthy":3,"tasksUnhealthy":0,
"deployments":[],"tasks":["#
        );
        for t in 0..3 {
            if t > 0 {
                s.push(',');
            }
            let a = (i * 3 + t) % 250 + 1;
            let b = (i * 3 + t) / 250 % 250;
            let _ = write!(
                s,
                r#"{{"id":"external_app-{i}.instance-{t}","slaveId":"agent-{b}","host":"10.0.{b}.{a}",
"state":"TASK_RUNNING","startedAt":"2020-09-25T10:00:01.000Z","stagedAt":"2020-09-25T10:00:00.000Z",
"ports":[{}],"version":"2020-09-25T10:00:00.000Z","ipAddresses":[{{"ipAddress":"10.0.{b}.{a}","protocol":"IPv4"}}],
"appId":"/external/app-{i}","healthCheckResults":[{{"alive":true,"consecutiveFailures":0,
"firstSuccess":"2020-09-25T10:00:05.000Z","lastFailure":null,"lastSuccess":"2020-09-25T10:01:05.000Z",
"lastFailureCause":null,"instanceId":"external_app-{i}.marathon-{t}"}}]}}"#,
                20000 + (i * 7 + t) % 40000
            );
        }
        s.push_str("]}");
    }
    s.push_str("]}");
    s
}

/// Runs of the whole process per size.
const PROCESS_RUNS: usize = 9;

/// One run of the whole process: wall seconds (measured here, to the
/// millisecond), user and system seconds and peak RSS in MiB (from `time`).
struct ProcessRun {
    wall: f64,
    user: f64,
    sys: f64,
    rss_mib: f64,
}

/// One `dcos-lb render` of `input` (the bench profile's binary) under
/// `time`; `None` when it cannot run or fails.
fn process_run(time: &Path, input: &Path) -> Option<ProcessRun> {
    let start = Instant::now();
    let out = Command::new(time)
        .args([
            "-f",
            "%U %S %M",
            env!("CARGO_BIN_EXE_dcos-lb"),
            "render",
            "--apps",
        ])
        .arg(input)
        .args(["--group", "*"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let wall = start.elapsed().as_secs_f64();
    if !out.status.success() {
        return None;
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut fields = stderr.lines().last()?.split_whitespace();
    let mut next = || fields.next()?.parse::<f64>().ok();
    Some(ProcessRun {
        wall,
        user: next()?,
        sys: next()?,
        rss_mib: next()? / 1024.0,
    })
}

/// The middle value (the upper one of an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Prints the whole-process table for `sizes`, each input written to a
/// temporary file.
fn whole_process(sizes: &[usize]) {
    let time = Path::new("/usr/bin/time");
    if !time.is_file() {
        println!(
            "\nwhole process: skipped, /usr/bin/time (which reports the peak RSS) is not installed"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temporary directory");
    println!(
        "\ndcos-lb render --apps FILE --group '*' > /dev/null, median of {PROCESS_RUNS} runs:"
    );
    println!("apps × 3 tasks | wall ms | user ms | sys ms | peak RSS MiB");
    for &n in sizes {
        let input = dir.path().join(format!("apps-{n}.json"));
        std::fs::write(&input, synthetic_apps(n)).expect("write input");
        let runs: Option<Vec<ProcessRun>> = (0..PROCESS_RUNS)
            .map(|_| process_run(time, &input))
            .collect();
        let Some(runs) = runs else {
            println!("{n:>14} | dcos-lb render failed");
            continue;
        };
        let pick = |field: fn(&ProcessRun) -> f64| median(runs.iter().map(field).collect());
        println!(
            "{n:>14} | {:>7.0} | {:>7.0} | {:>6.0} | {:>12.1}",
            pick(|r| r.wall) * 1000.0,
            pick(|r| r.user) * 1000.0,
            pick(|r| r.sys) * 1000.0,
            pick(|r| r.rss_mib)
        );
        std::fs::remove_file(&input).expect("remove input");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value_of = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sizes: Vec<usize> = value_of("--sizes")
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000, 50_000]);
    if let Some(dir) = value_of("--write-input") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("create input dir");
        for n in sizes {
            let path = dir.join(format!("apps-{n}.json"));
            std::fs::write(&path, synthetic_apps(n)).expect("write input");
            println!("wrote {}", path.display());
        }
        return;
    }
    let opts = RenderOptions {
        groups: vec!["external".into()],
        ..RenderOptions::default()
    };
    let templates = Templates::default();
    println!("apps × 3 tasks | input MiB | parse ms | render ms | total ms | apps/s | cfg MiB");
    for &n in &sizes {
        let input = synthetic_apps(n);
        let t0 = Instant::now();
        let apps = Apps::from_slice(input.as_bytes()).expect("parse");
        let t1 = Instant::now();
        let out = render(&apps, &opts, &templates, &NoResolver).expect("render");
        let t2 = Instant::now();
        let total = (t2 - t0).as_secs_f64();
        println!(
            "{n:>14} | {:>9.1} | {:>8.1} | {:>9.1} | {:>8.1} | {:>6.0} | {:>7.1}",
            input.len() as f64 / 1_048_576.0,
            (t1 - t0).as_secs_f64() * 1000.0,
            (t2 - t1).as_secs_f64() * 1000.0,
            total * 1000.0,
            n as f64 / total,
            out.haproxy_cfg.len() as f64 / 1_048_576.0
        );
    }
    whole_process(&sizes);
}
