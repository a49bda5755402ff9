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

/// Starts one task with exactly `env` (the parent environment is not inherited).
pub fn spawn(program: &Path, env: &[(String, String)]) -> io::Result<Child> {
    Command::new(program)
        .arg(TASK_SUBCOMMAND)
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn accepts(port: u16) -> bool {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&addr, Duration::from_millis(50)).is_ok()
}

/// Sends SIGTERM, as Mesos does first when killing a task; SIGKILL follows
/// from the caller after the task's kill grace period.
pub fn terminate(child: &mut Child) {
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !sent {
        child.kill().ok();
    }
}
