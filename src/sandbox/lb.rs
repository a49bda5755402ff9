//! A marathon-lb stand-in: on every change of the simulator's
//! `/v2/apps?embed=apps.tasks` it renders the config with OUR render
//! (marathon-lb's default templates, the deployment-group merge and
//! draining servers included) into a real HAProxy in master-worker mode
//! (`haproxy -W`, as marathon-lb's image runs it), reloaded gracefully with
//! SIGUSR2 to the master after saving `show servers state` where the head's
//! `load-server-state-from-file` reads it, as marathon-lb's reload does.
//!
//! Faithful where draining depends on it: the global and defaults sections
//! are marathon-lb's `HAPROXY_HEAD` as render writes it, so HAProxy runs at
//! its default thread count (one per CPU, no `nbthread`) with marathon-lb's
//! timeouts and no `hard-stop-after`; the 9090 listener is marathon-lb's
//! with its Lua services (`haproxy/*.lua`, under marathon-lb's names):
//! `/_haproxy_getpids` forks a shell from inside the worker as
//! marathon-lb's `pidof` does, `/_haproxy_getconfig` serves the config the
//! worker loaded, the map endpoints read the map files at each request and
//! `/_mlb_signal/*` fork a shell that signals the follower.
//!
//! Reloads are one at a time and confirmed, as marathon-lb waits for each
//! reload to finish: HAProxy 2.6's master ignores a SIGUSR2 that arrives
//! while it is still re-executing for the previous one (measured: a second
//! signal 5–20 ms after the first is lost, 50 ms after is taken), and then
//! keeps the older config. So after each signal the stand-in reads
//! `/_haproxy_getconfig` until it serves the config just written, and
//! signals again when it does not within `RELOAD_CONFIRM` (2 s).
//!
//! Known differences from marathon-lb, each where the machine forces it:
//! - paths and the stats bind: the socket, server-state folder and Lua
//!   files live in the stand-in's temporary folder, and the stats listener
//!   binds a free 127.0.0.1 port instead of `0.0.0.0:9090` (see `localize`);
//! - `/_haproxy_getpids` lists this stand-in's master and its children, not
//!   every `haproxy` on the machine, because tests run several side by side;
//! - `/_mlb_signal/hup` and `usr1` signal the stand-in's follower thread
//!   through a file, as there is no `marathon_lb.py` process to signal;
//! - the follower polls Marathon every 100 ms instead of reading its SSE
//!   stream, and reloads whenever the rendered text changes;
//! - no `:80`/`:443` frontends (marathon-lb's `--dont-bind-http-https`):
//!   they need root and a certificate; `dcos lb render
//!   --dont-bind-http-https --diff` then shows only the lines listed here;
//! - the global `maxconn 50000` is lowered to what the machine's open-file
//!   hard limit allows (see `HEAD_MAXCONN`); the tests open far fewer;
//! - the `log /dev/log` lines stay, and go nowhere when there is no syslog.

#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime};

use crate::render::{self, Apps, NoResolver, RenderOptions, Templates};
use crate::sandbox::folder::Folder;

/// How long one reload may take before the stand-in signals again: the
/// master re-executes and parses a config of a few dozen lines, which takes
/// tens of milliseconds; two seconds leave room for a loaded 2-core machine.
const RELOAD_CONFIRM: Duration = Duration::from_secs(2);

/// The global `maxconn` of marathon-lb's head. HAProxy needs about
/// 2 × maxconn + 31 file descriptors and refuses to start with fewer;
/// marathon-lb's container grants them, a test machine may not (its hard
/// limit is 20 000 here, and raising it needs a capability containers lack).
const HEAD_MAXCONN: u64 = 50_000;

/// The hard limit of open files this process (and so HAProxy) may raise
/// its soft limit to.
fn open_files_hard_limit() -> u64 {
    fs_err::read_to_string("/proc/self/limits")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(4)?.parse().ok())
        .unwrap_or(u64::MAX)
}

/// The global `maxconn` that fits this machine: marathon-lb's, or less
/// when the open-file limit cannot hold it.
fn global_maxconn() -> u64 {
    HEAD_MAXCONN.min(open_files_hard_limit().saturating_sub(100) / 2)
}

/// A free 127.0.0.1 port.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The Lua files the head loads, under marathon-lb's file names.
const LUA: [(&str, &str); 4] = [
    ("getpids.lua", include_str!("haproxy/getpids.lua")),
    ("getconfig.lua", include_str!("haproxy/getconfig.lua")),
    ("getmaps.lua", include_str!("haproxy/getmaps.lua")),
    ("signalmlb.lua", include_str!("haproxy/signalmlb.lua")),
];

/// marathon-lb's config as our render makes it, moved into this machine:
/// the paths of marathon-lb's container (its stats socket, server-state
/// folder and Lua files) point into the stand-in's folder, and the stats
/// listener binds a free loopback port instead of `0.0.0.0:9090`, and the
/// global `maxconn` fits the open-file limit ([`global_maxconn`]). Nothing
/// else changes: threads, timeouts and options are marathon-lb's. A rule
/// that no longer finds its text panics, so a changed template cannot slip
/// past the stand-in unnoticed.
fn localize(rendered: &str, dir: &Path, stats_port: u16, threads: Option<u32>) -> String {
    let dir = dir.display();
    let rules = [
        (
            "  stats socket /var/run/haproxy/socket expose-fd listeners\n".to_string(),
            format!("  stats socket {dir}/socket expose-fd listeners\n"),
        ),
        (
            "  server-state-base /var/state/haproxy/\n".to_string(),
            format!("  server-state-base {dir}/state/\n"),
        ),
        (
            "  lua-load /marathon-lb/".to_string(),
            format!("  lua-load {dir}/"),
        ),
        (
            format!("  maxconn {HEAD_MAXCONN}\n"),
            format!("  maxconn {}\n", global_maxconn()),
        ),
        (
            "  bind 0.0.0.0:9090\n".to_string(),
            format!("  bind 127.0.0.1:{stats_port}\n"),
        ),
    ];
    let mut cfg = rendered.to_string();
    if let Some(n) = threads {
        assert!(
            cfg.starts_with("global\n"),
            "marathon-lb's head starts with global"
        );
        cfg.insert_str("global\n".len(), &format!("  nbthread {n}\n"));
    }
    for (from, to) in &rules {
        assert!(
            cfg.contains(from.as_str()),
            "marathon-lb's head no longer holds {from:?}; the stand-in must follow it"
        );
        cfg = cfg.replace(from.as_str(), to);
    }
    cfg
}

/// Saves the serving worker's server states where the head's
/// `load-server-state-from-file global` reads them, as marathon-lb's reload
/// does with `show servers state` before each reload.
fn save_server_state(dir: &Path) {
    use std::io::{Read, Write};
    let Ok(mut socket) = std::os::unix::net::UnixStream::connect(dir.join("socket")) else {
        return;
    };
    let mut state = String::new();
    if socket.write_all(b"show servers state\n").is_ok()
        && socket.read_to_string(&mut state).is_ok()
    {
        fs_err::write(dir.join("state/global"), state).unwrap();
    }
}

/// Takes a signal file that `signalmlb.lua` left, if there is one.
/// The address of a `cannot bind socket` alert HAProxy logged after the
/// first `seen` bytes of its log, which then moves past it.
fn bind_failure(dir: &Path, seen: &mut usize) -> Option<String> {
    let text = fs_err::read_to_string(dir.join("haproxy.log")).ok()?;
    let new = text.get(*seen..)?;
    *seen = text.len();
    let line = new
        .lines()
        .rev()
        .find(|l| l.contains("cannot bind socket"))?;
    Some(line.rsplit_once('[')?.1.trim_end_matches(']').to_string())
}

fn take_signal(dir: &Path, name: &str) -> bool {
    std::fs::remove_file(dir.join(format!("signal-{name}"))).is_ok()
}

/// One running stand-in.
pub struct LbStandin {
    dir: Folder,
    stats_port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Child>>,
    /// When each reload was signalled (the config changed).
    pub reload_times: Arc<Mutex<Vec<SystemTime>>>,
    master_pid: Arc<AtomicU32>,
}

impl LbStandin {
    /// Starts `haproxy` and follows `marathon` (the simulator's base URL).
    pub fn start(haproxy: &Path, marathon: &str) -> Self {
        Self::start_with_threads(haproxy, marathon, None)
    }

    /// [`Self::start`], with `nbthread` set in the head as a user would set
    /// it in marathon-lb's `HAPROXY_HEAD` (None: HAProxy's default, one
    /// thread per CPU, as marathon-lb's own head).
    pub fn start_with_threads(haproxy: &Path, marathon: &str, threads: Option<u32>) -> Self {
        Self::launch(haproxy, marathon, threads, None, None)
    }

    /// [`Self::start`] against a Marathon that wants `token` (as
    /// marathon-lb reads a DC/OS Marathon with its service account's).
    pub fn start_with_token(haproxy: &Path, marathon: &str, token: &str) -> Self {
        Self::launch(haproxy, marathon, None, Some(token), None)
    }

    /// [`Self::start_with_token`], keeping HAProxy's config, log and
    /// server state in `dir` (`dcos lb sandbox --state-dir`).
    pub fn start_kept(haproxy: &Path, marathon: &str, token: &str, dir: PathBuf) -> Self {
        Self::launch(haproxy, marathon, None, Some(token), Some(dir))
    }

    fn launch(
        haproxy: &Path,
        marathon: &str,
        threads: Option<u32>,
        token: Option<&str>,
        kept: Option<PathBuf>,
    ) -> Self {
        let dir = Folder::new(kept).unwrap();
        let stats_port = free_port();
        for (name, text) in LUA {
            fs_err::write(dir.path().join(name), text).unwrap();
        }
        fs_err::create_dir_all(dir.path().join("state")).unwrap();
        let templates = Templates::new(&BTreeMap::new(), &BTreeMap::new());
        let options = RenderOptions {
            groups: vec!["external".into()],
            bind_http_https: false,
            health_check: true,
            haproxy_config_path: dir.path().join("haproxy.cfg").display().to_string(),
            ..RenderOptions::default()
        };
        let cfg_path = dir.path().join("haproxy.cfg");
        let home = dir.path().to_path_buf();
        let render_now = move |body: &[u8]| -> Option<String> {
            let apps = Apps::from_slice(body).ok()?;
            render::render(&apps, &options, &templates, &NoResolver)
                .ok()
                .map(|r| localize(&r.haproxy_cfg, &home, stats_port, threads))
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
            let authorization = token.map(|t| format!("token={t}"));
            move || {
                let mut request = http.get(&apps_url);
                if let Some(value) = &authorization {
                    request = request.header("Authorization", value);
                }
                request.send().ok()?.bytes().ok()
            }
        };
        let config_url = format!("http://127.0.0.1:{stats_port}/_haproxy_getconfig");
        let running_config = move || http.get(&config_url).send().ok()?.text().ok();
        let first = render_now(&fetch().expect("the simulator answers")).expect("render works");
        fs_err::write(&cfg_path, &first).unwrap();
        let pid_file = dir.path().join("haproxy.pid");
        let log = fs_err::File::create(dir.path().join("haproxy.log")).unwrap();
        let child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -n \"$(ulimit -H -n)\" && exec \"$0\" \"$@\"")
            .arg(haproxy)
            .args(["-W", "-f"])
            .arg(&cfg_path)
            .arg("-p")
            .arg(&pid_file)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.into_parts().0)
            .spawn()
            .expect("start haproxy");
        let master_pid = Arc::new(AtomicU32::new(child.id()));
        let stop = Arc::new(AtomicBool::new(false));
        let reload_times = Arc::new(Mutex::new(Vec::new()));
        let (stop2, times2, pid2) = (stop.clone(), reload_times.clone(), master_pid.clone());
        let home = dir.path().to_path_buf();
        let thread = thread::spawn(move || {
            let mut current = first;
            let mut log_seen = 0;
            while !stop2.load(Ordering::SeqCst) {
                if !take_signal(&home, "hup") {
                    thread::sleep(Duration::from_millis(100));
                }
                let restart = take_signal(&home, "usr1");
                let Some(cfg) = fetch().and_then(|b| render_now(&b)) else {
                    continue;
                };
                if cfg == current && !restart {
                    continue;
                }
                save_server_state(&home);
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
                    if let Some(bind) = bind_failure(&home, &mut log_seen) {
                        // marathon-lb's reload fails the same way; HAProxy
                        // keeps serving the previous config meanwhile.
                        eprintln!(
                            "lb stand-in: HAProxy cannot bind {bind} for the new config, so it keeps the \
                             previous one (marathon-lb fails this reload too): free that port, or give the \
                             app another service port"
                        );
                        thread::sleep(RELOAD_CONFIRM);
                        continue;
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
            "haproxy did not answer /_haproxy_health_check within 10 s; it wrote:\n{}\nconfig:\n{}",
            fs_err::read_to_string(self.dir.path().join("haproxy.log")).unwrap_or_default(),
            fs_err::read_to_string(self.config_path()).unwrap_or_default()
        );
    }

    /// How often `/_haproxy_getpids` was asked (each call forks in HAProxy).
    pub fn getpids_calls(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("getpids.calls")).map_or(0, |c| c.len())
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
