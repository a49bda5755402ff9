//! Tests of the marathon-lb stand-in itself: what the deploy tests rely on
//! it to do as marathon-lb does.

use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::json;

use crate::support::lb_standin::{LbStandin, free_port, haproxy_available};
use crate::support::marathon_sim::{MarathonSim, SimConfig};

/// Changes of the apps, each a config that differs from the last.
const CHANGES: u32 = 8;

/// Each change is at least one reload (a few dozen milliseconds, at most
/// the stand-in's 2 s confirmation bound before it signals again), and the
/// stand-in looks for changes every 100 ms; ten reload bounds are room for
/// a loaded 2-core machine.
const CONVERGE: Duration = Duration::from_secs(2 * 10);

/// Marathon changing faster than HAProxy reloads (HAProxy 2.6's master
/// drops a SIGUSR2 that arrives while it still re-executes) still ends with
/// HAProxy running the config of Marathon's last state, as
/// `/_haproxy_getconfig` (the config the worker loaded) shows.
#[test]
fn haproxy_ends_on_the_latest_config_when_changes_outpace_reloads() {
    if !haproxy_available() {
        return;
    }
    let sim = MarathonSim::start(SimConfig {
        time_scale: 0.1,
        ..SimConfig::default()
    });
    let port = free_port();
    let app = |instances: u32| {
        json!({
            "id": "/burst", "cmd": "./task_server", "instances": instances, "cpus": 0.1, "mem": 32,
            "portDefinitions": [{"port": port, "protocol": "tcp"}],
            "labels": {"HAPROXY_GROUP": "external", "HAPROXY_0_BIND_ADDR": "127.0.0.1"}
        })
    };
    sim.create_app(app(1));
    let lb = LbStandin::start(&sim.url());
    let http = Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let scale = |n: u32| {
        let status = http
            .put(format!("{}/v2/apps/burst?force=true", sim.url()))
            .json(&json!({"instances": n}))
            .send()
            .unwrap()
            .status();
        assert!(status.is_success(), "scale to {n}: {status}");
    };
    for change in 0..CHANGES {
        scale(2 + change % 3);
        std::thread::sleep(Duration::from_millis(60));
    }
    let last = 2 + (CHANGES - 1) % 3;
    let servers = |cfg: &str| {
        cfg.lines()
            .filter(|l| l.trim_start().starts_with("server "))
            .count()
    };
    let deadline = Instant::now() + CONVERGE;
    let mut running = String::new();
    loop {
        running = http
            .get(format!("{}/_haproxy_getconfig", lb.url()))
            .send()
            .and_then(|r| r.text())
            .unwrap_or(running);
        let written = fs_err::read_to_string(lb.config_path()).unwrap();
        if running == written && servers(&running) == last as usize {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "within {CONVERGE:?}: HAProxy to run the config with {last} servers that the stand-in \
             wrote; it runs one with {} server(s), the file has {}:\n{running}",
            servers(&running),
            servers(&written)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(lb.reloads() >= 1, "no reload was signalled");
}
