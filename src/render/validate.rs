//! Preparing a rendered configuration for `haproxy -c` on a machine that is
//! not a marathon-lb node. Does I/O: [`prepare_standins`] writes stand-in
//! files (Lua services, a self-signed certificate made with the `openssl`
//! command, empty map files) and points the configuration at them.
//! [`removed_directives`] and [`removal_reason`] are pure.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Directives HAProxy 2.1 removed (marathon-lb's image ran HAProxy 2.0).
const REMOVED_IN_2_1: [&str; 23] = [
    "block",
    "reqadd",
    "reqallow",
    "reqdel",
    "reqdeny",
    "reqiallow",
    "reqidel",
    "reqideny",
    "reqipass",
    "reqirep",
    "reqisetbe",
    "reqitarpit",
    "reqpass",
    "reqrep",
    "reqsetbe",
    "reqtarpit",
    "rspadd",
    "rspdel",
    "rspdeny",
    "rspidel",
    "rspideny",
    "rspirep",
    "rsprep",
];

/// Where Debian and source installs put `haproxy`.
const HAPROXY_PATHS: [&str; 3] = [
    "/usr/sbin/haproxy",
    "/usr/bin/haproxy",
    "/usr/local/sbin/haproxy",
];

/// The installed `haproxy` binary, if any.
pub fn haproxy_binary() -> Option<PathBuf> {
    HAPROXY_PATHS
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

/// File name of the stand-in certificate inside the stand-in directory.
const CERT_FILE: &str = "stand-in-cert.pem";

/// Lines (1-based) whose directive HAProxy ≥ 2.1 no longer accepts, with
/// that directive. marathon-lb's default `BACKEND_HSTS_OPTIONS`
/// (`rspadd`), `HTTP_BACKEND_PROXYPASS_GLUE` (`reqirep`) and
/// `HTTP_BACKEND_REVPROXY_GLUE` (`rspirep`) produce them.
pub fn removed_directives(cfg: &str) -> Vec<(usize, &'static str)> {
    cfg.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let word = line.split_whitespace().next()?;
            REMOVED_IN_2_1
                .iter()
                .find(|d| **d == word)
                .map(|d| (i + 1, *d))
        })
        .collect()
}

/// Lines (1-based) of `bind` lines that ask for client certificates
/// (`verify required`/`optional`) without a `ca-file`: HAProxy refuses
/// them ("verify is enabled but no CA file specified"), whatever its
/// version. A `HAPROXY_{n}_BIND_OPTIONS` label of `verify required` alone
/// produces one.
pub fn binds_without_ca_file(cfg: &str) -> Vec<usize> {
    cfg.lines()
        .enumerate()
        .filter(|(_, line)| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words.first() == Some(&"bind")
                && words.windows(2).any(|w| w[0] == "verify" && w[1] != "none")
                && !words.contains(&"ca-file")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Why a directive from [`removed_directives`] fails, in plain words.
pub fn removal_reason(directive: &str) -> String {
    let instead = if directive.starts_with("rsp") {
        "http-response rules"
    } else if directive == "block" {
        "http-request deny"
    } else {
        "http-request rules"
    };
    format!(
        "`{directive}` was removed in HAProxy 2.1 (marathon-lb's image ships HAProxy 2.0, whose \
         default HSTS, proxypass and revproxy templates still use it); a newer HAProxy rejects \
         the configuration: override the template with {instead}"
    )
}

/// Writes the files a rendered configuration refers to on a marathon-lb
/// node into `dir`, and returns the configuration rewritten to use them
/// (same number of lines, so line numbers in HAProxy's messages still
/// match): each `lua-load` file becomes a stand-in registering every
/// `lua.<name>` service the configuration uses, every `crt <path>` a
/// self-signed certificate (made once per `dir` with the `openssl`
/// command), every `map(<dir>/<file>)` an empty map file.
pub fn prepare_standins(cfg: &str, dir: &Path) -> io::Result<String> {
    fs::create_dir_all(dir)?;
    let services: BTreeSet<&str> = cfg
        .split(|c: char| c.is_whitespace())
        .filter_map(|w| w.strip_prefix("lua."))
        .collect();
    let mut out = String::with_capacity(cfg.len() + 1024);
    let mut lua_written = false;
    let mut need_cert = false;
    for line in cfg.split_inclusive('\n') {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"lua-load") && words.len() == 2 {
            let name = Path::new(words[1]).file_name().map_or_else(
                || "stand-in.lua".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            let path = dir.join(&name);
            let body = if lua_written {
                "-- stand-in for a marathon-lb Lua file\n".to_string()
            } else {
                services
                    .iter()
                    .map(|s| {
                        format!(
                            "core.register_service(\"{s}\", \"http\", function(applet)\n  \
                             applet:set_status(200)\n  applet:start_response()\nend)\n"
                        )
                    })
                    .collect()
            };
            fs::write(&path, body)?;
            lua_written = true;
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(&format!("{indent}lua-load {}", path.display()));
            out.push_str(&line[line.trim_end().len()..]);
            continue;
        }
        let mut rewritten = rewrite_maps(line, dir)?;
        if words.contains(&"crt") {
            need_cert = true;
            rewritten = rewrite_certs(&rewritten, &dir.join(CERT_FILE));
        }
        out.push_str(&rewritten);
    }
    if need_cert && !dir.join(CERT_FILE).is_file() {
        make_certificate(dir)?;
    }
    Ok(out)
}

/// Replaces the path after every `crt` word.
fn rewrite_certs(line: &str, cert: &Path) -> String {
    let mut out = String::with_capacity(line.len());
    let mut after_crt = false;
    let mut rest = line;
    while !rest.is_empty() {
        let ws = rest.len() - rest.trim_start().len();
        out.push_str(&rest[..ws]);
        rest = &rest[ws..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        if word.is_empty() {
            break;
        }
        if after_crt {
            out.push_str(&cert.display().to_string());
        } else {
            out.push_str(word);
        }
        after_crt = word == "crt";
        rest = &rest[end..];
    }
    out
}

/// Points every `map(<path>)` at an empty file of the same name in `dir`.
fn rewrite_maps(line: &str, dir: &Path) -> io::Result<String> {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(start) = rest.find("map(") {
        let (before, after) = rest.split_at(start + 4);
        out.push_str(before);
        let Some(close) = after.find(')') else {
            rest = after;
            continue;
        };
        let name = Path::new(&after[..close]).file_name().map_or_else(
            || "stand-in.map".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        let path = dir.join(name);
        if !path.is_file() {
            fs::write(&path, "")?;
        }
        out.push_str(&path.display().to_string());
        rest = &after[close..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A self-signed certificate with its key, made with the `openssl` command.
fn make_certificate(dir: &Path) -> io::Result<()> {
    let key = dir.join("stand-in-key.pem");
    let crt = dir.join("stand-in-crt.pem");
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args([
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=dcos-lb-stand-in",
            "-keyout",
        ])
        .arg(&key)
        .arg("-out")
        .arg(&crt)
        .output()?;
    if !status.status.success() {
        return Err(io::Error::other(format!(
            "openssl could not make a stand-in certificate: {}",
            String::from_utf8_lossy(&status.stderr).trim()
        )));
    }
    let pem = fs::read_to_string(&crt)? + &fs::read_to_string(&key)?;
    fs::write(dir.join(CERT_FILE), pem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_removed_directives_by_first_word() {
        let cfg = "backend a\n  rspadd  X\n  # rspadd commented\n  http-request set-header rspadd\n  reqirep a b\n";
        assert_eq!(removed_directives(cfg), vec![(2, "rspadd"), (5, "reqirep")]);
        assert!(removal_reason("rspirep").contains("HAProxy 2.1"));
        assert!(removal_reason("reqirep").contains("http-request"));
    }

    #[test]
    fn finds_verify_without_ca_file() {
        let cfg = "  bind *:1 ssl crt /a verify required\n  bind *:2 ssl crt /a verify required ca-file /c\n  bind *:3 ssl crt /a verify none\n";
        assert_eq!(binds_without_ca_file(cfg), vec![1]);
    }

    #[test]
    fn rewrites_lua_maps_and_certs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = "global\n  lua-load /marathon-lb/getpids.lua\n  lua-load /marathon-lb/getmaps.lua\n\
                   listen s\n  http-request use-service lua.getpids if x\n\
                   frontend f\n  use_backend %[req.hdr(host),lower,map(/etc/haproxy/domain2backend.map)]\n";
        let out = prepare_standins(cfg, dir.path()).expect("stand-ins");
        assert_eq!(out.lines().count(), cfg.lines().count());
        let lua = fs::read_to_string(dir.path().join("getpids.lua")).expect("lua");
        assert!(lua.contains("register_service(\"getpids\""));
        assert!(dir.path().join("domain2backend.map").is_file());
        assert!(out.contains(&format!("map({}/domain2backend.map)", dir.path().display())));
        let line = rewrite_certs(
            "  bind *:443 ssl crt /a.pem crt /b.pem\n",
            Path::new("/x.pem"),
        );
        assert_eq!(line, "  bind *:443 ssl crt /x.pem crt /x.pem\n");
    }
}
