//! HTTPS in front of the Marathon simulator: self-signed certificates made
//! at run time by `openssl req -x509` (as many small clusters make theirs),
//! served by HAProxy terminating TLS and forwarding to the simulator.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

use crate::support::component;
use crate::support::lb_standin::free_port;
use crate::support::marathon_sim::wait_until;

/// How long HAProxy may take to listen: it parses a ten-line config and
/// loads one key; five seconds leave room for a loaded 2-core machine.
const LISTEN_WAIT: Duration = Duration::from_secs(5);

/// A self-signed certificate and its key, in a private directory.
pub struct SelfSigned {
    dir: TempDir,
}

impl SelfSigned {
    /// `openssl req -x509` for `CN=<cn>` with these subjectAltNames
    /// (`DNS:localhost,IP:127.0.0.1`).
    pub fn new(cn: &str, san: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let status = Command::new(component::openssl())
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .arg("-subj")
            .arg(format!("/CN={cn}"))
            .arg("-addext")
            .arg(format!("subjectAltName={san}"))
            .arg("-keyout")
            .arg(dir.path().join("key.pem"))
            .arg("-out")
            .arg(dir.path().join("cert.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl");
        assert!(status.success(), "openssl req -x509 failed");
        Self { dir }
    }

    /// The certificate, PEM: what a user passes as `--ca-file`.
    pub fn cert(&self) -> PathBuf {
        self.dir.path().join("cert.pem")
    }

    fn key(&self) -> PathBuf {
        self.dir.path().join("key.pem")
    }
}

/// HAProxy serving HTTPS with a certificate, forwarding to a backend.
pub struct TlsFront {
    child: Child,
    port: u16,
    _dir: TempDir,
}

impl TlsFront {
    /// Serves `cert` on a free 127.0.0.1 port and forwards to `backend`
    /// (`http://127.0.0.1:PORT`).
    pub fn start(cert: &SelfSigned, backend: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let pem = dir.path().join("server.pem");
        let both = [cert.cert(), cert.key()]
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("read pem"))
            .collect::<String>();
        std::fs::write(&pem, both).expect("write pem");
        let port = free_port();
        let server = backend.trim_start_matches("http://");
        let cfg = dir.path().join("tls.cfg");
        std::fs::write(
            &cfg,
            format!(
                "global\n  maxconn 50\ndefaults\n  mode http\n  timeout connect 5s\n  \
                 timeout client 30s\n  timeout server 30s\nfrontend tls\n  \
                 bind 127.0.0.1:{port} ssl crt {}\n  default_backend sim\nbackend sim\n  \
                 server sim {server}\n",
                pem.display()
            ),
        )
        .expect("write tls.cfg");
        let child = Command::new(component::haproxy())
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        let front = Self {
            child,
            port,
            _dir: dir,
        };
        assert!(
            wait_until(LISTEN_WAIT, || TcpStream::connect(("127.0.0.1", port))
                .is_ok()),
            "HAProxy did not listen for TLS on {port} within {LISTEN_WAIT:?}"
        );
        front
    }

    /// `https://<host>:<port>`.
    pub fn url(&self, host: &str) -> String {
        format!("https://{host}:{}", self.port)
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
