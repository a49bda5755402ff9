//! `dcos lb sandbox --state-dir DIR`: the lock that keeps a second sandbox
//! out of a folder one already runs in (`DIR/sandbox.pid`, removed on stop).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::cli::exit::{CliError, ExitCode};

/// The file that names the sandbox running in a state folder.
const PID_FILE: &str = "sandbox.pid";

/// Held while this sandbox runs in the folder; the pid file goes on drop.
#[derive(Debug)]
pub(super) struct StateLock {
    file: PathBuf,
}

impl StateLock {
    /// Takes `dir` (created if missing) for this process, or says which
    /// sandbox holds it. A pid file whose process is gone (a sandbox that
    /// was killed) is taken over.
    pub(super) fn take(dir: &Path) -> Result<Self, CliError> {
        let cannot = |e: std::io::Error| {
            CliError::new(
                ExitCode::Failure,
                format!("cannot use --state-dir {}: {e}", dir.display()),
            )
        };
        fs_err::create_dir_all(dir).map_err(cannot)?;
        let file = dir.join(PID_FILE);
        for _ in 0..2 {
            match fs_err::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&file)
            {
                Ok(mut f) => {
                    writeln!(f, "{}", std::process::id()).map_err(cannot)?;
                    return Ok(Self { file });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs_err::read_to_string(&file).unwrap_or_default();
                    let holder = holder.trim();
                    if running_sandbox(holder) {
                        return Err(CliError::new(
                            ExitCode::Failure,
                            format!(
                                "a sandbox already runs in {} (pid {holder})",
                                dir.display()
                            ),
                        )
                        .hint(format!(
                            "stop it with Ctrl-C in its terminal (or `kill -INT {holder}`), or choose another --state-dir"
                        )));
                    }
                    let _ = fs_err::remove_file(&file);
                }
                Err(e) => return Err(cannot(e)),
            }
        }
        Err(cannot(std::io::Error::other(
            "another sandbox took it while this one started",
        )))
    }
}

impl Drop for StateLock {
    fn drop(&mut self) {
        let _ = fs_err::remove_file(&self.file);
    }
}

/// Whether `pid` is a live `dcos-lb` process (a reused pid of another
/// program does not hold the folder).
fn running_sandbox(pid: &str) -> bool {
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    std::fs::read(Path::new("/proc").join(pid).join("cmdline"))
        .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains("dcos-lb"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_goes_on_drop_and_a_dead_holders_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let first = StateLock::take(dir.path()).unwrap();
        let pid = std::process::id().to_string();
        assert_eq!(
            fs_err::read_to_string(dir.path().join(PID_FILE))
                .unwrap()
                .trim(),
            pid
        );
        drop(first);
        assert!(!dir.path().join(PID_FILE).exists(), "the lock goes on drop");
        fs_err::write(dir.path().join(PID_FILE), "999999999\n").unwrap();
        let taken = StateLock::take(dir.path()).expect("a dead holder's lock is taken over");
        drop(taken);
    }
}
