//! Marathon app ids (pure: no I/O): normalising as the dcos CLI does and
//! building percent-encoded API URLs from them.

use url::Url;

/// `"/" + id.trim_matches('/')`, as dcos-core-cli's `NormalizeAppID`.
pub fn normalize(id: &str) -> String {
    format!("/{}", id.trim().trim_matches('/'))
}

/// The segments of a normalised id (`/a/b` → `["a", "b"]`).
pub fn segments(id: &str) -> Vec<String> {
    normalize(id)
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `base` (ending in `/`) plus `prefix` segments, the id's segments and
/// `suffix` segments, each percent-encoded.
pub fn api_url(base: &Url, prefix: &[&str], id: Option<&str>, suffix: &[&str]) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty();
        path.extend(prefix);
        if let Some(id) = id {
            path.extend(segments(id));
        }
        path.extend(suffix);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_like_the_dcos_cli() {
        assert_eq!(normalize("myapp"), "/myapp");
        assert_eq!(normalize("/grp/myapp/"), "/grp/myapp");
        assert_eq!(normalize(" //x// "), "/x");
    }

    #[test]
    fn builds_encoded_urls() {
        let base = Url::parse("https://dcos.example/service/marathon/").expect("url");
        assert_eq!(
            api_url(&base, &["v2", "apps"], Some("grp/my app"), &["tasks"]).as_str(),
            "https://dcos.example/service/marathon/v2/apps/grp/my%20app/tasks"
        );
        assert_eq!(
            api_url(&base, &["v2", "tasks", "delete"], None, &[]).as_str(),
            "https://dcos.example/service/marathon/v2/tasks/delete"
        );
    }
}
