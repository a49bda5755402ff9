//! The HTTP/1.1 front: a std `TcpListener`, one thread per connection with
//! keep-alive, request parsing (Content-Length and chunked bodies), and the
//! checks every request goes through before the Marathon routes: request log,
//! DC/OS cluster endpoints (`/acs/api/v1/auth/*`, `/metadata`, `/pkgpanda/…`),
//! authentication, forbidden paths and injected faults.
//!
//! A hand-written server rather than tiny_http: tiny_http's chunked encoder
//! buffers 8 KiB before sending, which would hold SSE events back, and it
//! cannot drop one stream's connection on demand.

use super::engine::ApiError;
use super::events;
use super::fault::FaultKind;
use super::wire::{Outcome, Reply, Request, decode};
use super::{Recorded, Shared, api, auth, clock};
use serde_json::{Value, json};
use std::io::{self, BufRead, BufReader, Write};
use std::net::{Shutdown, TcpStream};
use std::thread;

/// Where the DC/OS Admin Router serves Marathon.
pub const DCOS_PREFIX: &str = "/service/marathon";

/// Serves one connection until the client closes it, a stream ends, or shutdown.
pub fn serve_connection(shared: &Shared, stream: TcpStream) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let remote = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let mut reader = BufReader::new(read_half);
    let mut writer = stream;
    while let Ok(Some(request)) = read_request(&mut reader, &remote) {
        let keep_alive = request.keep_alive;
        match handle(shared, &request) {
            Outcome::Reply(reply) => {
                if write_reply(&mut writer, &request, &reply, keep_alive).is_err() || !keep_alive {
                    break;
                }
            }
            Outcome::Events(rx) => {
                events::serve(&mut writer, &rx, &remote, &shared.shutdown).ok();
                break;
            }
        }
    }
    writer.shutdown(Shutdown::Both).ok();
}

/// Reads one request; `Ok(None)` when the client closed the connection.
fn read_request(reader: &mut impl BufRead, remote: &str) -> io::Result<Option<Request>> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "bad request line",
        ));
    };
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
        method: method.to_ascii_uppercase(),
        path: decode(path, false),
        query: query.to_owned(),
        headers: Vec::new(),
        body: Vec::new(),
        remote: remote.to_owned(),
        keep_alive: version == "HTTP/1.1",
    };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            return Ok(None);
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            request
                .headers
                .push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    if let Some(connection) = request.header("connection") {
        let connection = connection.to_ascii_lowercase();
        request.keep_alive = connection.contains("keep-alive")
            || (request.keep_alive && !connection.contains("close"));
    }
    if request
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        request.body = read_chunked(reader)?;
    } else if let Some(length) = request
        .header("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        request.body = body;
    }
    Ok(Some(request))
}

fn read_chunked(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size_line = String::new();
        reader.read_line(&mut size_line)?;
        let size_text = size_line.trim().split(';').next().unwrap_or("0");
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad chunk size"))?;
        if size == 0 {
            let mut trailer = String::new();
            while reader.read_line(&mut trailer)? > 2 {
                trailer.clear();
            }
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf)?;
    }
}

fn write_reply(
    out: &mut impl Write,
    request: &Request,
    reply: &Reply,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if request.method != "HEAD" {
        out.write_all(&reply.body)?;
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Every request: log, cluster endpoints, auth, forbidden paths, faults, then Marathon.
fn handle(shared: &Shared, request: &Request) -> Outcome {
    shared.record(Recorded {
        method: request.method.clone(),
        path: request.path.clone(),
        query: request.query.clone(),
        authorization: request.header("authorization").map(str::to_owned),
        body: String::from_utf8_lossy(&request.body).into_owned(),
    });
    let path = request
        .path
        .strip_prefix(DCOS_PREFIX)
        .map_or(
            request.path.as_str(),
            |p| if p.is_empty() { "/" } else { p },
        );
    if path == request.path.as_str()
        && let Some(outcome) = cluster_endpoint(shared, request)
    {
        return outcome;
    }
    if let Err(challenge) = shared
        .tokens()
        .check(&shared.config, request.header("authorization"))
    {
        return Reply::json(401, &json!({ "message": "Invalid username or password." }))
            .with_header("WWW-Authenticate", challenge)
            .into();
    }
    if shared
        .config
        .forbidden_paths
        .iter()
        .any(|p| path.starts_with(p.as_str()))
    {
        return Reply::json(
            403,
            &json!({ "message": "Not Authorized to perform this action!" }),
        )
        .into();
    }
    match shared.take_fault(&request.method, path) {
        Some(FaultKind::Latency(delay)) => thread::sleep(delay),
        Some(FaultKind::Status(status)) => {
            let message = format!("simulated failure: HTTP {status}");
            return Reply::json(status, &json!({ "message": message })).into();
        }
        Some(FaultKind::Locked) => return ApiError::locked(&clock::uuid()).into(),
        Some(FaultKind::DropEventStreams) | None => {}
    }
    api::route(shared, request, path)
}

/// DC/OS endpoints at the cluster root: login, providers, metadata, token check.
fn cluster_endpoint(shared: &Shared, request: &Request) -> Option<Outcome> {
    let reply = match (request.method.as_str(), request.path.as_str()) {
        ("POST", "/acs/api/v1/auth/login") => {
            let body = request.json().unwrap_or(Value::Null);
            match shared.tokens().login(&shared.config, &body) {
                Some(token) => Reply::json(200, &json!({ "token": token })).with_header(
                    "Set-Cookie",
                    &format!("dcos-acs-auth-cookie={token}; Path=/; HttpOnly"),
                ),
                None => Reply::json(401, &auth::login_failed()),
            }
        }
        ("GET", "/acs/api/v1/auth/providers") => Reply::json(200, &providers()),
        ("GET", "/metadata") => Reply::json(
            200,
            &json!({ "CLUSTER_ID": super::CLUSTER_ID, "PUBLIC_IPV4": "127.0.0.1" }),
        ),
        ("GET" | "HEAD", "/pkgpanda/active.buildinfo.full.json") => {
            match shared
                .tokens()
                .check(&shared.config, request.header("authorization"))
            {
                Ok(()) => Reply::json(200, &json!({})),
                Err(challenge) => Reply::json(401, &json!({ "message": "Unauthorized" }))
                    .with_header("WWW-Authenticate", challenge),
            }
        }
        _ => return None,
    };
    Some(reply.into())
}

/// The login providers of a DC/OS Enterprise cluster.
fn providers() -> Value {
    json!({
        "dcos-users": {
            "authentication-type": "dcos-uid-password",
            "client-method": "dcos-usercredential-post-receive-authtoken",
            "config": { "start_flow_url": "/acs/api/v1/auth/login" },
            "description": "Default DC/OS login provider",
        },
        "dcos-services": {
            "authentication-type": "dcos-uid-servicekey",
            "client-method": "dcos-servicecredential-post-receive-authtoken",
            "config": { "start_flow_url": "/acs/api/v1/auth/login" },
            "description": "Default DC/OS login provider",
        },
    })
}
