//! A real pseudo-terminal for end-to-end tests: `dcos-lb` runs inside a
//! private tmux server (its own socket and config in a temporary directory,
//! killed on drop) as `sh -c 'dcos-lb …; echo EXIT=$? ECHO=on|off'`. Tests type into the
//! pane and read its screen; every wait polls the screen and is bounded.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use tempfile::TempDir;

use crate::support::component;
use crate::support::marathon_sim::wait_until;

/// The longest any single wait on the screen may take.
const WAIT: Duration = Duration::from_secs(15);

/// One `dcos-lb` run in a 200×50 terminal. Kills its tmux server on drop.
pub struct Pty {
    socket: PathBuf,
    _dir: TempDir,
}

/// Quotes a word for `sh`.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

impl Pty {
    /// Starts `dcos-lb ARGS` with only HOME (`home`), NO_COLOR, TERM and
    /// COLUMNS set; stdin and stderr are the terminal, and so is stdout
    /// unless `stdout_to` names a file to redirect it to.
    pub fn run(home: &Path, args: &[&str], stdout_to: Option<&Path>) -> Self {
        let dir = tempfile::tempdir().expect("tmux directory");
        let config = dir.path().join("tmux.conf");
        // The pane stays readable after dcos-lb and the shell exit.
        std::fs::write(&config, "set -g remain-on-exit on\n").expect("tmux.conf");
        let mut script = format!(
            "env -i HOME={} NO_COLOR=1 TERM=screen COLUMNS=200 {}",
            quote(&home.to_string_lossy()),
            quote(env!("CARGO_BIN_EXE_dcos-lb")),
        );
        for arg in args {
            script.push(' ');
            script.push_str(&quote(arg));
        }
        if let Some(file) = stdout_to {
            script.push_str(&format!(" > {}", quote(&file.to_string_lossy())));
        }
        // Then the exit code and whether the terminal echoes again.
        script.push_str(
            "; code=$?; if stty -a | tr ' ' '\\n' | grep -qx echo; \
             then echo=on; else echo=off; fi; echo EXIT=$code ECHO=$echo",
        );
        let pty = Self {
            socket: dir.path().join("socket"),
            _dir: dir,
        };
        let started = pty.tmux(&[
            "-f",
            &config.to_string_lossy(),
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "sh",
            "-c",
            &script,
        ]);
        assert!(
            started.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        pty
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new(component::tmux())
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// The visible screen, one line per row.
    pub fn screen(&self) -> String {
        let capture = self.tmux(&["capture-pane", "-p"]);
        assert!(capture.status.success(), "tmux capture-pane failed");
        String::from_utf8_lossy(&capture.stdout).into_owned()
    }

    /// Waits until the screen shows `text`; returns the screen.
    pub fn wait_for(&self, text: &str) -> String {
        let mut screen = String::new();
        let shown = wait_until(WAIT, || {
            screen = self.screen();
            screen.contains(text)
        });
        assert!(shown, "{text:?} did not appear; the screen:\n{screen}");
        screen
    }

    /// Types `text` literally, then Enter.
    pub fn type_line(&self, text: &str) {
        let typed = self.tmux(&["send-keys", "-l", text]);
        assert!(typed.status.success(), "tmux send-keys failed");
        self.press("Enter");
    }

    /// Presses a key by its tmux name (`C-c` for Ctrl-C, `C-d` for Ctrl-D).
    pub fn press(&self, key: &str) {
        let sent = self.tmux(&["send-keys", key]);
        assert!(sent.status.success(), "tmux send-keys {key} failed");
    }

    /// Whether the terminal echoes what is typed (`stty -a` on the pane's tty).
    pub fn echoes(&self) -> bool {
        let tty = self.tmux(&["display-message", "-p", "#{pane_tty}"]);
        let tty = String::from_utf8_lossy(&tty.stdout).trim().to_string();
        let stty = Command::new("stty")
            .args(["-a", "-F", &tty])
            .output()
            .expect("stty runs");
        assert!(stty.status.success(), "stty -F {tty} failed");
        let settings = String::from_utf8_lossy(&stty.stdout).into_owned();
        settings.split_whitespace().any(|s| s == "echo")
    }

    /// Waits until the terminal stops echoing (a hidden prompt is reading).
    pub fn wait_for_hidden_input(&self) {
        assert!(
            wait_until(WAIT, || !self.echoes()),
            "echo was never turned off; the screen:\n{}",
            self.screen()
        );
    }

    /// Waits until `dcos-lb` exited and the shell printed its status.
    pub fn finished(&self) -> Finished {
        let screen = self.wait_for("EXIT=");
        let status = screen
            .lines()
            .find_map(|line| line.trim().strip_prefix("EXIT="))
            .and_then(|status| status.split_once(" ECHO="))
            .unwrap_or_else(|| panic!("no exit status on the screen:\n{screen}"));
        Finished {
            code: status
                .0
                .parse()
                .unwrap_or_else(|_| panic!("bad exit code on the screen:\n{screen}")),
            echoes: status.1 == "on",
            screen,
        }
    }
}

/// How a `dcos-lb` run in the terminal ended.
pub struct Finished {
    /// Its exit code.
    pub code: i32,
    /// Whether the terminal echoed typed text again afterwards.
    pub echoes: bool,
    /// The screen at the end.
    pub screen: String,
}

impl Finished {
    /// Asserts the exit code and that `message` stands on a line of its own.
    pub fn assert_error(&self, code: i32, message: &str) {
        assert_eq!(self.code, code, "{}", self.screen);
        assert!(
            self.screen.lines().any(|line| line == message),
            "no line {message:?}:\n{}",
            self.screen
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}
