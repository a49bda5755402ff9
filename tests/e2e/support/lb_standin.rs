//! A marathon-lb stand-in: on every change of the simulator's
//! `/v2/apps?embed=apps.tasks` it renders the config with OUR render (the
//! deployment-group merge and draining servers included) into a real
//! HAProxy in master-worker mode (`haproxy -W`), reloaded gracefully with
//! SIGUSR2 to the master (listeners handed over through the stats socket's
//! `expose-fd listeners`). Its stats listener serves `/haproxy?stats;csv`
//! (HAProxy's own), `/_haproxy_getpids` (`haproxy/getpids.lua`) and
//! `/_haproxy_getconfig` (`haproxy/getconfig.lua`: the config the serving
//! worker loaded, as marathon-lb's), all on 127.0.0.1.
//!
//! Reloads are one at a time and confirmed, as marathon-lb waits for each
//! reload to finish: HAProxy 2.6's master ignores a SIGUSR2 that arrives
//! while it is still re-executing for the previous one (measured: a second
//! signal 5–20 ms after the first is lost, 50 ms after is taken), and then
//! keeps the older config. So after each signal the stand-in reads
//! `/_haproxy_getconfig` until it serves the config just written, and
//! signals again when it does not within [`RELOAD_CONFIRM`].
//!
//! Known differences from marathon-lb: the global and defaults sections
//! are hand-written (not marathon-lb's `HAPROXY_HEAD`), and
//! `/_haproxy_getpids` reads /proc instead of forking `pidof`.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use dcos_lb::render::{self, Apps, NoResolver, RenderOptions, Templates};

const HAPROXY: &str = "/usr/sbin/haproxy";

/// How long one reload may take before the stand-in signals again: the
/// master re-executes and parses a config of a few dozen lines, which takes
/// tens of milliseconds; two seconds leave room for a loaded 2-core machine.
const RELOAD_CONFIRM: Duration = Duration::from_secs(2);

/// A free 127.0.0.1 port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether HAProxy is installed (a CI run without it must fail, not skip).
pub fn haproxy_available() -> bool {
    let present = Path::new(HAPROXY).exists();
    assert!(
        present || std::env::var("CI").is_err(),
        "{HAPROXY} is required with CI=true"
    );
    present
}

fn head(dir: &Path, stats_port: u16) -> String {
    format!(
        "global\n  maxconn 4096\n  stats socket {dir}/socket mode 600 level admin expose-fd listeners\n  \
         lua-load {dir}/getpids.lua\n  lua-load {dir}/getconfig.lua\ndefaults\n  retries 3\n  backlog 1000\n  \
         maxconn 2000\n  timeout connect 3s\n  timeout client 30s\n  timeout server 30s\n  timeout http-keep-alive 1s\n  \
         timeout http-request 15s\n  timeout queue 30s\n  option dontlognull\n  option http-server-close\n  \
         option redispatch\nlisten stats\n  bind 127.0.0.1:{stats_port}\n  balance\n  mode http\n  stats enable\n  \
         monitor-uri /_haproxy_health_check\n  acl getpid path /_haproxy_getpids\n  \
         http-request use-service lua.getpids if getpid\n  acl getconfig path /_haproxy_getconfig\n  \
         http-request use-service lua.getconfig if getconfig\n",
        dir = dir.display()
    )
}

/// One running stand-in.
pub struct LbStandin {
    dir: tempfile::TempDir,
    stats_port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Child>>,
    /// When each reload was signalled (the config changed).
    pub reload_times: Arc<Mutex<Vec<SystemTime>>>,
    master_pid: Arc<AtomicU32>,
}

impl LbStandin {
    /// Starts HAProxy and follows `marathon` (the simulator's base URL).
    pub fn start(marathon: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let stats_port = free_port();
        fs_err::write(
            dir.path().join("getpids.lua"),
            include_str!("haproxy/getpids.lua"),
        )
        .unwrap();
        fs_err::write(
            dir.path().join("getconfig.lua"),
            include_str!("haproxy/getconfig.lua"),
        )
        .unwrap();
        let templates = Templates::new(
            &BTreeMap::from([("HAPROXY_HEAD".to_string(), head(dir.path(), stats_port))]),
            &BTreeMap::new(),
        );
        let options = RenderOptions {
            groups: vec!["external".into()],
            bind_http_https: false,
            health_check: true,
            haproxy_config_path: dir.path().join("haproxy.cfg").display().to_string(),
            ..RenderOptions::default()
        };
        let cfg_path = dir.path().join("haproxy.cfg");
        let render_now = move |body: &[u8]| -> Option<String> {
            let apps = Apps::from_slice(body).ok()?;
            render::render(&apps, &options, &templates, &NoResolver)
                .ok()
                .map(|r| r.haproxy_cfg)
        };
        let http = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        let apps_url = format!(
            "{}/v2/apps?embed=apps.tasks",
            marathon.trim_end_matches('/')
        );
        let fetch = {
            let http = http.clone();
            move || http.get(&apps_url).send().ok()?.bytes().ok()
        };
        let config_url = format!("http://127.0.0.1:{stats_port}/_haproxy_getconfig");
        let running_config = move || http.get(&config_url).send().ok()?.text().ok();
        let first = render_now(&fetch().expect("the simulator answers")).expect("render works");
        fs_err::write(&cfg_path, &first).unwrap();
        let pid_file = dir.path().join("haproxy.pid");
        let child = Command::new(HAPROXY)
            .args(["-W", "-f"])
            .arg(&cfg_path)
            .arg("-p")
            .arg(&pid_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        let master_pid = Arc::new(AtomicU32::new(child.id()));
        let stop = Arc::new(AtomicBool::new(false));
        let reload_times = Arc::new(Mutex::new(Vec::new()));
        let (stop2, times2, pid2) = (stop.clone(), reload_times.clone(), master_pid.clone());
        let thread = thread::spawn(move || {
            let mut current = first;
            while !stop2.load(Ordering::SeqCst) {
                thread::sleep(Duration::from_millis(100));
                let Some(cfg) = fetch().and_then(|b| render_now(&b)) else {
                    continue;
                };
                if cfg == current {
                    continue;
                }
                fs_err::write(&cfg_path, &cfg).unwrap();
                times2.lock().unwrap().push(SystemTime::now());
                let mut signals = 0;
                while !stop2.load(Ordering::SeqCst) {
                    signal("-USR2", pid2.load(Ordering::SeqCst));
                    signals += 1;
                    let deadline = Instant::now() + RELOAD_CONFIRM;
                    let mut loaded = false;
                    while !loaded && Instant::now() < deadline {
                        thread::sleep(Duration::from_millis(20));
                        loaded = running_config().as_deref() == Some(cfg.as_str());
                    }
                    if loaded {
                        break;
                    }
                    eprintln!(
                        "lb stand-in: HAProxy does not serve the config written {signals} signal(s) ago \
                         after {RELOAD_CONFIRM:?}; signalling again"
                    );
                }
                current = cfg;
            }
            child
        });
        let lb = Self {
            dir,
            stats_port,
            stop,
            thread: Some(thread),
            reload_times,
            master_pid,
        };
        lb.wait_ready();
        lb
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if reqwest::blocking::get(format!("{}/_haproxy_health_check", self.url()))
                .is_ok_and(|r| r.status().is_success())
            {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "haproxy did not start; config:\n{}",
            fs_err::read_to_string(self.config_path()).unwrap_or_default()
        );
    }

    /// Reloads so far.
    pub fn reloads(&self) -> usize {
        self.reload_times.lock().unwrap().len()
    }

    /// The 9090-style base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.stats_port)
    }

    /// The config file HAProxy runs.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("haproxy.cfg")
    }

    /// Freezes every HAProxy process: the LB stops answering.
    pub fn freeze(&self) {
        let master = self.master_pid.load(Ordering::SeqCst);
        signal("-STOP", master);
        let children = fs_err::read_to_string(format!("/proc/{master}/task/{master}/children"))
            .unwrap_or_default();
        for pid in children.split_whitespace().filter_map(|p| p.parse().ok()) {
            signal("-STOP", pid);
        }
    }

    /// Undoes [`Self::freeze`].
    pub fn thaw(&self) {
        let master = self.master_pid.load(Ordering::SeqCst);
        let children = fs_err::read_to_string(format!("/proc/{master}/task/{master}/children"))
            .unwrap_or_default();
        for pid in children.split_whitespace().filter_map(|p| p.parse().ok()) {
            signal("-CONT", pid);
        }
        signal("-CONT", master);
    }
}

fn signal(sig: &str, pid: u32) {
    let _ = Command::new("kill").arg(sig).arg(pid.to_string()).status();
}

impl Drop for LbStandin {
    fn drop(&mut self) {
        self.thaw();
        self.stop.store(true, Ordering::SeqCst);
        if let Some(mut child) = self.thread.take().and_then(|t| t.join().ok()) {
            signal("-TERM", child.id());
            let _ = child.wait();
        }
    }
}
