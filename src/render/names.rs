//! Names and ids marathon-lb derives from text: `sanitize` (HAProxy-safe
//! names), stable server ids from SHA-256 with collision handling, the
//! SHA-1 cookie hash. Pure: no I/O.

use std::collections::HashSet;
use std::fmt::Write as _;

use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Replaces every character that is not ASCII `a-z A-Z 0-9 -` by `_`
/// (one `_` per code point), appending to `out`.
pub(crate) fn push_sanitized(out: &mut String, s: &str) {
    out.extend(s.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '-' {
            c
        } else {
            '_'
        }
    }));
}

/// [`push_sanitized`] into a new string.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_sanitized(&mut out, s);
    out
}

/// Lower-case hex of a digest.
fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// First 10 hex digits of SHA-1 of the server name (sticky cookie value).
pub(crate) fn short_sha1(name: &str) -> String {
    let mut h = hex(&Sha1::digest(name.as_bytes())[..5]);
    h.truncate(10);
    h
}

/// Full lower-case SHA-1 hex of a text.
pub(crate) fn sha1_hex(text: &str) -> String {
    hex(&Sha1::digest(text.as_bytes()))
}

/// marathon-lb's `calculate_server_id`: SHA-256 of the name as a big
/// integer mod 32767; if that is 0 or already in `taken`, retry with
/// `"<name> <sha256 hex>"`. The id found is added to `taken`.
pub fn server_id(name: &str, taken: &mut HashSet<u32>) -> u32 {
    let mut current = name.to_string();
    loop {
        let digest = Sha256::digest(current.as_bytes());
        let id = digest
            .iter()
            .fold(0_u32, |acc, &b| (acc * 256 + u32::from(b)) % 32767);
        if id > 0 && taken.insert(id) {
            return id;
        }
        current = format!("{current} {}", hex(&digest));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_per_code_point() {
        assert_eq!(sanitize("agent-1.cluster/x:80"), "agent-1_cluster_x_80");
        assert_eq!(sanitize("café"), "caf_");
    }

    #[test]
    fn ids_and_hashes() {
        let mut taken = HashSet::new();
        assert_eq!(server_id("agent1_1_1_1_1_1024", &mut taken), 28363);
        assert_eq!(short_sha1("agent1_1_1_1_1_1024").len(), 10);
        assert_eq!(sha1_hex("").len(), 40);
        assert_eq!(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }
}
