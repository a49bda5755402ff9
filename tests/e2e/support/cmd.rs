//! The hermetic `dcos-lb` command for end-to-end tests: an empty environment,
//! a temporary HOME (so `~/.dcos` is private to the test), NO_COLOR, a fixed
//! terminal width and a bounded run time; plus fixture `~/.dcos` trees.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

/// The longest any single `dcos-lb` run may take in a test.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(90);

/// A private HOME with a `~/.dcos` tree, and commands that run inside it.
pub struct TestHome {
    home: TempDir,
}

impl TestHome {
    /// An empty HOME (no `~/.dcos` yet).
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().expect("temporary HOME"),
        }
    }

    /// `~/.dcos`.
    pub fn dcos_dir(&self) -> PathBuf {
        self.home.path().join(".dcos")
    }

    /// Writes `~/.dcos/clusters/<id>/dcos.toml` (and the `attached` marker
    /// when asked); returns the cluster's directory.
    pub fn cluster(&self, id: &str, dcos_toml: &str, attached: bool) -> PathBuf {
        let dir = self.dcos_dir().join("clusters").join(id);
        std::fs::create_dir_all(&dir).expect("cluster dir");
        let toml = dir.join("dcos.toml");
        std::fs::write(&toml, dcos_toml).expect("dcos.toml");
        // Owner-only, as the dcos CLI writes it (a readable one draws a warning).
        std::fs::set_permissions(&toml, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod dcos.toml");
        let marker = dir.join("attached");
        if attached {
            std::fs::write(&marker, "").expect("attached marker");
        } else if marker.exists() {
            std::fs::remove_file(&marker).expect("remove marker");
        }
        dir
    }

    /// The HOME folder (to filter out of snapshots).
    pub fn path(&self) -> &std::path::Path {
        self.home.path()
    }

    /// Writes a file under HOME and returns its path.
    pub fn file(&self, name: &str, content: &str) -> PathBuf {
        let path = self.home.path().join(name);
        std::fs::write(&path, content).expect("write file");
        path
    }

    /// `dcos-lb ARGS` with only HOME, NO_COLOR=1 and COLUMNS=200 set.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("dcos-lb");
        cmd.env_clear()
            .env("HOME", self.home.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "200")
            .args(args)
            .timeout(RUN_TIMEOUT);
        cmd
    }
}

/// A `dcos.toml` for a cluster at `url` with an optional token and name.
pub fn dcos_toml(url: &str, token: Option<&str>, name: &str) -> String {
    let mut toml = format!("[core]\ndcos_url = \"{url}\"\n");
    if let Some(token) = token {
        toml.push_str(&format!("dcos_acs_token = \"{token}\"\n"));
    }
    toml.push_str(&format!("\n[cluster]\nname = \"{name}\"\n"));
    toml
}

/// A command's exit code, stdout and stderr.
pub struct Run {
    /// The exit code.
    pub code: i32,
    /// stdout.
    pub stdout: String,
    /// stderr.
    pub stderr: String,
}

impl Run {
    /// The whole run as one text, for a snapshot where the output is the
    /// contract: the exit code, stdout and stderr, each `(text, placeholder)`
    /// filter applied in order, and every loopback port shown as `[PORT]`.
    pub fn transcript(&self, filters: &[(&str, &str)]) -> String {
        let filter = |text: &str| {
            let mut text = text.to_string();
            for (from, to) in filters {
                text = text.replace(from, to);
            }
            loopback_ports(&text)
        };
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code,
            filter(&self.stdout),
            filter(&self.stderr)
        )
    }
}

/// `text` with the port of every `127.0.0.1:PORT` replaced by `[PORT]`.
fn loopback_ports(text: &str) -> String {
    const HOST: &str = "127.0.0.1:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HOST) {
        let (before, after) = rest.split_at(at + HOST.len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("[PORT]");
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Snapshots a [`Run`]'s whole output (see [`Run::transcript`]) under
/// `name`, in the calling test file's `snapshots/` folder.
macro_rules! assert_run_snapshot {
    ($name:expr, $run:expr, $filters:expr $(,)?) => {
        insta::assert_snapshot!($name, $run.transcript($filters))
    };
}
pub(crate) use assert_run_snapshot;

/// Asserts that a run failed with `code` and that its stderr holds
/// `message`, showing its output when not.
pub fn assert_error(r: &Run, code: i32, message: &str) {
    assert_eq!(r.code, code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(message),
        "expected {message:?} in:\n{}",
        r.stderr
    );
}

/// Asserts that a run's stderr holds `needle`, showing stderr when not.
pub fn assert_stderr_has(r: &Run, needle: &str) {
    assert!(
        r.stderr.contains(needle),
        "expected {needle:?} in stderr:\n{}",
        r.stderr
    );
}

/// Runs a command (owned, or borrowed after adding env) to completion; it
/// must not time out.
pub fn run(mut cmd: impl std::borrow::BorrowMut<Command>) -> Run {
    let output = cmd.borrow_mut().output().expect("dcos-lb ran");
    Run {
        code: output
            .status
            .code()
            .expect("exited, not killed by a signal or timeout"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// An app whose tasks are real `task_server` processes, HTTP-health-checked
/// on `/health` (durations are scaled by the simulator's time scale).
pub fn web_app(id: &str, instances: u64) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "cmd": "./task_server",
        "instances": instances,
        "cpus": 0.1,
        "mem": 32,
        "portDefinitions": [{ "port": 0, "name": "http" }],
        "healthChecks": [{
            "protocol": "MESOS_HTTP", "path": "/health", "portIndex": 0,
            "gracePeriodSeconds": 5, "intervalSeconds": 1, "timeoutSeconds": 2,
            "maxConsecutiveFailures": 3
        }]
    })
}

#[test]
fn a_transcript_filters_paths_and_loopback_ports() {
    let r = Run {
        code: 3,
        stdout: "http://127.0.0.1:41234/x 127.0.0.1:\n".into(),
        stderr: "Error: /tmp/.tmpAB/app.json at 127.0.0.1:9".into(),
    };
    assert_eq!(
        r.transcript(&[("/tmp/.tmpAB", "[HOME]")]),
        "exit: 3\n--- stdout\nhttp://127.0.0.1:[PORT]/x 127.0.0.1:\n--- stderr\nError: [HOME]/app.json at 127.0.0.1:[PORT]"
    );
}
