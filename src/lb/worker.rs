//! The serving HAProxy worker as the stats page (`/haproxy?stats`) shows
//! it, without forking anything: its pid, its thread count and its uptime.
//! HAProxy writes them in the page's "General process information" block,
//! `pid = </b> N (process #1, nbproc = 1, nbthread = T)` and
//! `uptime = </b> Dd HhMMmSSs`, in every version marathon-lb ships (2.0–2.6).

use std::time::Duration;

/// The worker that answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Worker {
    /// Its process id.
    pub pid: u32,
    /// Its threads (`nbthread`).
    pub threads: u32,
    /// How long it has run, to the second (HAProxy truncates).
    pub uptime: Duration,
}

/// Why a stats page told no worker.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the stats page has no {0} (is this HAProxy's /haproxy?stats?)")]
pub struct WorkerParseError(&'static str);

/// Reads the worker from the HTML stats page.
pub fn parse(html: &str) -> Result<Worker, WorkerParseError> {
    let after = |key: &'static str| {
        html.split_once(key)
            .map(|(_, rest)| rest.trim_start_matches("</b>").trim_start())
            .ok_or(WorkerParseError(key))
    };
    let pid_text = after("pid = ")?;
    let pid = leading_number(pid_text).ok_or(WorkerParseError("pid"))?;
    let threads = after("nbthread = ")
        .ok()
        .and_then(leading_number)
        .unwrap_or(1);
    let uptime = uptime(after("uptime = ")?).ok_or(WorkerParseError("uptime"))?;
    Ok(Worker {
        pid,
        threads,
        uptime,
    })
}

fn leading_number(text: &str) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `0d 0h00m05s` → 5 s.
fn uptime(text: &str) -> Option<Duration> {
    let field = text.split('<').next()?.trim();
    let mut seconds = 0u64;
    let mut number = String::new();
    for c in field.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            ' ' => continue,
            _ => return None,
        };
        seconds += number.parse::<u64>().ok()? * unit;
        number.clear();
    }
    number.is_empty().then_some(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block as HAProxy 2.6.12 writes it (from a running instance).
    const PAGE_2_6: &str = "<h2>Statistics Report for pid 24334</h2>\n\
        <p><b>pid = </b> 24334 (process #1, nbproc = 1, nbthread = 2)<br>\n\
        <b>uptime = </b> 0d 0h00m01s<br>\n";

    #[test]
    fn reads_pid_threads_and_uptime() {
        assert_eq!(
            parse(PAGE_2_6),
            Ok(Worker {
                pid: 24334,
                threads: 2,
                uptime: Duration::from_secs(1)
            })
        );
        let long = PAGE_2_6.replace("0d 0h00m01s", "2d 3h04m05s");
        assert_eq!(
            parse(&long).unwrap().uptime,
            Duration::from_secs(2 * 86_400 + 3 * 3_600 + 4 * 60 + 5)
        );
    }

    #[test]
    fn a_page_without_nbthread_is_one_thread() {
        let old = PAGE_2_6.replace(", nbthread = 2", "");
        assert_eq!(parse(&old).unwrap().threads, 1);
    }

    #[test]
    fn other_pages_are_refused_with_what_is_missing() {
        assert_eq!(parse("<html>nope</html>"), Err(WorkerParseError("pid = ")));
        let bad = PAGE_2_6.replace("0d 0h00m01s", "soon");
        assert_eq!(parse(&bad), Err(WorkerParseError("uptime")));
    }
}
