//! Finds the marathon-lb instances: where to look (`-l` URLs, else the
//! `lb.marathon_lb_url` setting, else the marathon-lb app), then every IPv4
//! address of each URL's host (one URL per address, as zdd.py), or the
//! tasks of the marathon-lb app in Marathon (their host and port 9090).

use std::net::{IpAddr, ToSocketAddrs};

use url::Url;

use crate::lb::client::LbError;
use crate::marathon::types::App;

/// marathon-lb's stats port.
pub const STATS_PORT: u32 = 9090;

/// Where the instances are to be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source<'a> {
    /// These URLs, each expanded by [`from_url`].
    Urls(Vec<String>),
    /// The tasks of this Marathon app, by [`from_app`].
    App(&'a str),
}

/// The precedence: `-l` URLs, else the comma-separated
/// `lb.marathon_lb_url` setting, else the `--lb-app` app.
pub fn source<'a>(flag_urls: &[String], setting: Option<&str>, lb_app: &'a str) -> Source<'a> {
    if !flag_urls.is_empty() {
        return Source::Urls(flag_urls.to_vec());
    }
    let from_setting: Vec<String> = setting
        .into_iter()
        .flat_map(|urls| urls.split(','))
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string)
        .collect();
    if from_setting.is_empty() {
        Source::App(lb_app)
    } else {
        Source::Urls(from_setting)
    }
}

/// One URL per IPv4 address of `url`'s host, keeping scheme, port and path.
pub fn from_url(url: &str) -> Result<Vec<String>, LbError> {
    let parsed = Url::parse(url).map_err(|e| LbError::NoInstance(format!("{url}: {e}")))?;
    let host = parsed
        .host_str()
        .ok_or_else(|| LbError::NoInstance(format!("{url} has no host")))?;
    let port = parsed.port_or_known_default().unwrap_or(STATS_PORT as u16);
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| LbError::NoInstance(format!("cannot resolve {host}: {e}")))?;
    let mut ips: Vec<IpAddr> = addrs.map(|a| a.ip()).filter(IpAddr::is_ipv4).collect();
    ips.dedup();
    if ips.is_empty() {
        return Err(LbError::NoInstance(format!("{host} has no IPv4 address")));
    }
    Ok(ips
        .into_iter()
        .map(|ip| {
            let mut each = parsed.clone();
            let _ = each.set_ip_host(ip);
            each.as_str().trim_end_matches('/').to_string()
        })
        .collect())
}

/// `http://<host>:<port>` for every running task of the marathon-lb app,
/// with the host port that maps to 9090 (9090 itself with host networking).
pub fn from_app(app: &App) -> Result<Vec<String>, LbError> {
    let index = app.port_definitions.iter().position(|p| {
        p.get("port").and_then(serde_json::Value::as_u64) == Some(u64::from(STATS_PORT))
    });
    let urls: Vec<String> = app
        .tasks
        .iter()
        .filter(|t| t.is_running())
        .filter_map(|t| {
            let port = match index {
                Some(i) => t.ports.get(i).copied(),
                None if t.ports.contains(&STATS_PORT) || t.ports.is_empty() => Some(STATS_PORT),
                None => None,
            }?;
            Some(format!("http://{}:{port}", t.host))
        })
        .collect();
    if urls.is_empty() {
        return Err(LbError::NoInstance(format!(
            "app {} has no running task",
            app.id
        )));
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    #[test]
    fn flags_win_over_the_setting_which_wins_over_the_app() {
        let flag = vec!["http://a:9090".to_string()];
        assert_eq!(
            source(&flag, Some("http://b:9090"), "/marathon-lb"),
            Source::Urls(flag.clone())
        );
        assert_eq!(
            source(&[], Some(" http://b:9090 ,http://c:9090,"), "/marathon-lb"),
            Source::Urls(vec!["http://b:9090".into(), "http://c:9090".into()])
        );
        assert_eq!(source(&[], Some(" "), "/lb"), Source::App("/lb"));
        assert_eq!(source(&[], None, "/lb"), Source::App("/lb"));
    }

    use super::*;
    use crate::marathon::types::Task;

    #[test]
    fn an_ip_url_gives_itself() {
        assert_eq!(
            from_url("http://127.0.0.1:9090").unwrap(),
            ["http://127.0.0.1:9090"]
        );
    }

    #[test]
    fn tasks_give_host_and_stats_port() {
        let task = |host: &str, ports: Vec<u32>| Task {
            host: host.into(),
            ports,
            state: Some("TASK_RUNNING".into()),
            ..Task::default()
        };
        let mut app = App {
            id: "/marathon-lb".into(),
            ..App::default()
        };
        app.tasks = vec![
            task("10.0.0.1", vec![80, 9090]),
            task("10.0.0.2", vec![80, 9090]),
        ];
        assert_eq!(
            from_app(&app).unwrap(),
            ["http://10.0.0.1:9090", "http://10.0.0.2:9090"]
        );
        app.port_definitions = vec![
            serde_json::json!({"port": 80}),
            serde_json::json!({"port": 9090}),
        ];
        app.tasks = vec![task("a", vec![31000, 31001])];
        assert_eq!(from_app(&app).unwrap(), ["http://a:31001"]);
        app.tasks.clear();
        assert!(from_app(&app).is_err());
    }
}
