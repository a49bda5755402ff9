//! Task processes: `dcos-lb sandbox-task` started with Marathon's task
//! environment, free local ports, readiness and termination.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `dcos-lb` binary whose hidden `sandbox-task` subcommand is every
/// task: the running executable when it is `dcos-lb` (the sandbox), else the
/// one cargo builds beside a test or bench binary
/// (`target/<profile>/deps/e2e-…` → `target/<profile>/dcos-lb`).
pub fn task_program() -> PathBuf {
    let exe = crate::env::current_exe().expect("the path of the running executable");
    if exe.file_name().is_some_and(|n| n == "dcos-lb") {
        return exe;
    }
    let binary = exe
        .parent()
        .and_then(Path::parent)
        .map(|profile| profile.join("dcos-lb"))
        .expect("a test binary lives in target/<profile>/deps");
    assert!(
        binary.is_file(),
        "{} is missing: cargo builds it for the tests (cargo build --locked)",
        binary.display()
    );
    binary
}

/// The argument that makes `dcos-lb` serve as one task.
pub const TASK_SUBCOMMAND: &str = "sandbox-task";

/// A port the OS reports free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

/// Starts one task with exactly `env` (the parent environment is not
/// inherited), in a process group of its own so that a kill reaches
/// everything it started, as Mesos kills a task's whole cgroup.
pub fn spawn(program: &Path, env: &[(String, String)]) -> io::Result<Child> {
    let mut command = Command::new(program);
    command.arg(TASK_SUBCOMMAND);
    start(command, env, None)
}

/// What an app asks Marathon to run, when it runs a command itself (no
/// container): `cmd` through `/bin/sh -c`, or `args` executed directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnCommand {
    /// `cmd`.
    Shell(String),
    /// `args`.
    Exec(Vec<String>),
}

/// Starts an app's own command in `sandbox` (its working directory, with
/// its stdout and stderr there, as a Mesos sandbox holds them), with `env`
/// plus the caller's `PATH`.
pub fn spawn_own(
    command: &OwnCommand,
    env: &[(String, String)],
    sandbox: &Path,
) -> io::Result<Child> {
    let program = match command {
        OwnCommand::Shell(cmd) => {
            let mut c = Command::new("/bin/sh");
            c.arg("-c").arg(cmd);
            c
        }
        OwnCommand::Exec(args) => {
            let (first, rest) = args
                .split_first()
                .ok_or_else(|| io::Error::other("empty args"))?;
            let mut c = Command::new(first);
            c.args(rest);
            c
        }
    };
    let mut env = env.to_vec();
    if let Some(path) = crate::env::Env::from_process().get("PATH") {
        env.push(("PATH".to_owned(), path.to_owned()));
    }
    start(program, &env, Some(sandbox))
}

fn start(
    mut command: Command,
    env: &[(String, String)],
    sandbox: Option<&Path>,
) -> io::Result<Child> {
    use std::os::unix::process::CommandExt as _;
    let (stdout, stderr) = match sandbox {
        Some(dir) => {
            command.current_dir(dir);
            (
                Stdio::from(fs_err::File::create(dir.join("stdout"))?.into_parts().0),
                Stdio::from(fs_err::File::create(dir.join("stderr"))?.into_parts().0),
            )
        }
        None => (Stdio::null(), Stdio::null()),
    };
    command
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0)
        .spawn()
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn accepts(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(50)).is_ok()
}

/// Sends SIGTERM to the task's process group, as Mesos does first when
/// killing a task; [`kill`] follows from the caller after the task's kill
/// grace period.
pub fn terminate(child: &mut Child) {
    if !signal_group("-TERM", child) {
        child.kill().ok();
    }
}

/// SIGKILLs the task's process group.
pub fn kill(child: &mut Child) {
    if !signal_group("-KILL", child) {
        child.kill().ok();
    }
}

fn signal_group(signal: &str, child: &Child) -> bool {
    Command::new("kill")
        .args([signal, "--", &format!("-{}", child.id())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
