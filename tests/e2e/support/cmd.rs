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
