//! The template set of one render: built-in texts overridden by template
//! files and `HAPROXY_<NAME>` environment values, which the caller reads and
//! passes in as maps. Pure: no I/O.

use std::collections::BTreeMap;

use super::RenderError;
use super::defaults::{ALL, COUNT, HEAD_AFTER_OPTIONS, TABLE, Tpl, TplInfo};

/// Global options spliced into the default `HEAD` when
/// `HAPROXY_GLOBAL_DEFAULT_OPTIONS` is not set.
const DEFAULT_GLOBAL_OPTIONS: &str = "redispatch,http-server-close,dontlognull";

/// Template texts in force for a render (per-port labels aside).
#[derive(Clone, Debug)]
pub struct Templates {
    texts: Vec<String>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new(&BTreeMap::new(), &BTreeMap::new())
    }
}

impl Templates {
    /// Builds the template set like marathon-lb's `ConfigTemplater`.
    ///
    /// For each template `NAME`: `env["HAPROXY_NAME"]` when set and
    /// non-empty (literal `\n` two-character sequences become newlines),
    /// else `files["HAPROXY_NAME"]` (the content of that file in the
    /// templates directory; `\r\n` and lone `\r` become `\n` like Python's
    /// text mode), else the built-in text. The built-in `HEAD` gets the
    /// option lines of `env["HAPROXY_GLOBAL_DEFAULT_OPTIONS"]` (default
    /// `redispatch,http-server-close,dontlognull`) spliced in; an overridden
    /// `HEAD` is used as is. `env` may hold the whole environment: only
    /// these keys are read.
    pub fn new(files: &BTreeMap<String, String>, env: &BTreeMap<String, String>) -> Self {
        let texts = TABLE
            .iter()
            .map(|info| {
                let key = format!("HAPROXY_{}", info.name);
                if let Some(v) = env.get(&key).filter(|v| !v.is_empty()) {
                    v.replace("\\n", "\n")
                } else if let Some(f) = files.get(&key) {
                    f.replace("\r\n", "\n").replace('\r', "\n")
                } else if info.name == "HEAD" {
                    let opts = env
                        .get("HAPROXY_GLOBAL_DEFAULT_OPTIONS")
                        .map_or(DEFAULT_GLOBAL_OPTIONS, String::as_str);
                    format!(
                        "{}{}{HEAD_AFTER_OPTIONS}",
                        info.text,
                        global_option_lines(opts)
                    )
                } else {
                    info.text.to_string()
                }
            })
            .collect();
        Templates { texts }
    }

    /// The names `HAPROXY_<NAME>` of every template: the environment
    /// variables and template file names [`Templates::new`] looks up.
    pub fn names() -> impl Iterator<Item = String> {
        TABLE.iter().map(|info| format!("HAPROXY_{}", info.name))
    }

    /// The global text of a template.
    pub(crate) fn get(&self, t: Tpl) -> &str {
        &self.texts[t as usize]
    }

    /// marathon-lb refuses a `HEAD` containing the word `daemon` or lacking
    /// `expose-fd listeners`.
    pub(crate) fn check_head(&self) -> Result<(), RenderError> {
        let head = self.get(Tpl::Head);
        if head.split_whitespace().any(|w| w == "daemon") || !head.contains("expose-fd listeners") {
            return Err(RenderError::Head);
        }
        Ok(())
    }
}

/// Static data of a template.
pub(crate) fn info(t: Tpl) -> &'static TplInfo {
    &TABLE[t as usize]
}

/// The template whose per-port label has this `NAME` (`HAPROXY_{n}_NAME`);
/// `MAP_*` templates share the label of their non-map twin, which is found
/// first.
pub(crate) fn by_label(name: &str) -> Option<Tpl> {
    debug_assert_eq!(ALL.len(), COUNT);
    ALL.iter()
        .copied()
        .find(|t| info(*t).label == Some(name) && !info(*t).name.starts_with("MAP_"))
}

/// `  option            <opt>\n` per comma-separated option, trimmed,
/// de-duplicated and sorted.
fn global_option_lines(options: &str) -> String {
    let mut lines: Vec<String> = options
        .split(',')
        .map(|o| format!("  option            {}\n", o.trim()))
        .collect();
    lines.sort();
    lines.dedup();
    lines.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn default_head_has_sorted_unique_options() {
        let t = Templates::new(
            &BTreeMap::new(),
            &env(&[("HAPROXY_GLOBAL_DEFAULT_OPTIONS", "tcplog, httplog,tcplog")]),
        );
        let head = t.get(Tpl::Head);
        assert!(head.contains(
            "timeout tarpit          60s\n  option            httplog\n  option            tcplog\nlisten stats\n"
        ));
        assert!(t.check_head().is_ok());
    }

    #[test]
    fn env_beats_file_beats_default() {
        let files = env(&[
            ("HAPROXY_BACKEND_HEAD", "file\r\nbody\r"),
            ("HAPROXY_FRONTEND_HEAD", "from file"),
        ]);
        let t = Templates::new(
            &files,
            &env(&[
                ("HAPROXY_BACKEND_HEAD", "env\\nbody"),
                ("HAPROXY_FRONTEND_HEAD", ""),
            ]),
        );
        assert_eq!(t.get(Tpl::BackendHead), "env\nbody");
        assert_eq!(t.get(Tpl::FrontendHead), "from file");
        let t = Templates::new(&files, &BTreeMap::new());
        assert_eq!(t.get(Tpl::BackendHead), "file\nbody\n");
        assert_eq!(
            Templates::default().get(Tpl::BackendHead),
            "\nbackend {backend}\n  balance {balance}\n  mode {mode}\n"
        );
    }

    #[test]
    fn overridden_head_gets_no_options_and_is_checked() {
        let ok = "global\n  stats socket /x expose-fd listeners\n";
        let t = Templates::new(&BTreeMap::new(), &env(&[("HAPROXY_HEAD", ok)]));
        assert_eq!(t.get(Tpl::Head), ok);
        assert!(t.check_head().is_ok());
        for bad in [
            "global\n  daemon\n  expose-fd listeners\n",
            "global\n  # daemon\nexpose-fd listeners",
            "global\n",
        ] {
            let t = Templates::new(&env(&[("HAPROXY_HEAD", bad)]), &BTreeMap::new());
            assert_eq!(t.check_head(), Err(RenderError::Head), "{bad:?}");
        }
        let t = Templates::new(
            &env(&[("HAPROXY_HEAD", "daemonize expose-fd listeners")]),
            &BTreeMap::new(),
        );
        assert!(t.check_head().is_ok());
    }

    #[test]
    fn labels_map_to_non_map_templates() {
        assert_eq!(by_label("HTTP_FRONTEND_ACL"), Some(Tpl::HttpFrontendAcl));
        assert_eq!(by_label("MAP_HTTP_FRONTEND_ACL"), None);
        assert_eq!(by_label("HTTP_BACKEND_REDIR"), None);
        assert_eq!(
            info(Tpl::MapHttpFrontendAcl).label,
            Some("HTTP_FRONTEND_ACL")
        );
        assert_eq!(Templates::names().count(), COUNT);
    }
}
