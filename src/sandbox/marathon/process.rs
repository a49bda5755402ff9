//! Task processes: the `task_server` example binary started with Marathon's
//! task environment, free local ports, readiness and termination.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `target/<profile>/examples/task_server`, found next to the running test binary
/// (`target/<profile>/deps/e2e-…`). `cargo test` builds examples first.
pub fn task_server_binary() -> PathBuf {
    let exe = crate::env::current_exe().expect("path of the test binary");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("test binary lives in target/<profile>/deps");
    let binary = profile_dir.join("examples").join("task_server");
    assert!(
        binary.is_file(),
        "{} is missing: build it with `cargo build --example task_server` (cargo test does)",
        binary.display()
    );
    binary
}

/// A port the OS reports free on 127.0.0.1 right now.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0")
}

/// Starts the task server with exactly `env` (the parent environment is not inherited).
pub fn spawn(binary: &Path, env: &[(String, String)]) -> io::Result<Child> {
    Command::new(binary)
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
