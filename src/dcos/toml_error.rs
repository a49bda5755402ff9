//! A `dcos.toml` parse error told without the secrets the file holds. The
//! toml crate quotes the offending source line, which may be the token's, so
//! the message is rebuilt from its parts: the line and column to fix, the
//! parser's words, and the line with the value of any secret key redacted.

/// Words that make a line secret when they appear in it (keys such as
/// `dcos_acs_token`, `password`, `private_key`, `client_secret`).
const SECRET_WORDS: [&str; 6] = [
    "token",
    "password",
    "passwd",
    "secret",
    "private",
    "credential",
];

/// What replaces a secret value.
pub const REDACTED: &str = "<redacted>";

/// Values shorter than this are not scrubbed from the parser's words: they
/// would hide ordinary words and reveal nothing.
const MIN_SECRET_LEN: usize = 4;

/// `line L, column C: <parser's words>` and the offending line, with every
/// secret value of `text` redacted.
pub fn describe(text: &str, err: &toml::de::Error) -> String {
    let secrets = secret_values(text);
    let message = scrub(err.message().trim_end(), &secrets);
    let Some(start) = err.span().map(|s| s.start.min(text.len())) else {
        return message;
    };
    let before = text.get(..start).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line_no = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    let line = text[line_start..].lines().next().unwrap_or_default();
    format!(
        "line {line_no}, column {column}: {message}\n  {line_no} | {}",
        shown_line(line, &secrets)
    )
}

fn is_secret_line(line: &str) -> bool {
    let lower = line.to_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// The line as shown: a secret line keeps only its key.
fn shown_line(line: &str, secrets: &[String]) -> String {
    if !is_secret_line(line) {
        return scrub(line, secrets);
    }
    match line.split_once('=') {
        Some((key, _)) => format!("{} = {REDACTED}", key.trim_end()),
        None => REDACTED.to_string(),
    }
}

/// The pieces of every value on a secret line, and of the lines a multi-line
/// value of such a line runs on to.
fn secret_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !is_secret_line(line) {
            continue;
        }
        let value = line.split_once('=').map_or(line, |(_, v)| v).trim();
        pieces(value, &mut values);
        if let Some(closer) = unclosed(value) {
            for next in lines.by_ref() {
                pieces(next, &mut values);
                if next.contains(closer) {
                    break;
                }
            }
        }
    }
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    values
}

/// The closing delimiter a value opens and does not close on its line.
fn unclosed(value: &str) -> Option<&'static str> {
    ["\"\"\"", "'''", "["].into_iter().find_map(|open| {
        let closer = if open == "[" { "]" } else { open };
        let rest = value.strip_prefix(open)?;
        (!rest.contains(closer)).then_some(closer)
    })
}

fn pieces(value: &str, into: &mut Vec<String>) {
    into.extend(
        value
            .split(|c: char| c.is_whitespace() || "\"'[]{},=".contains(c))
            .filter(|p| p.len() >= MIN_SECRET_LEN)
            .map(str::to_string),
    );
}

fn scrub(text: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .fold(text.to_string(), |t, s| t.replace(s.as_str(), REDACTED))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.secret-value.sig";

    fn error_for(text: &str) -> String {
        let err = toml::from_str::<crate::dcos::config::DcosToml>(text).expect_err("bad toml");
        describe(text, &err)
    }

    #[test]
    fn every_syntax_error_kind_names_the_line_and_hides_the_token() {
        for (text, line) in [
            (format!("[core]\ndcos_acs_token = \"{TOKEN}\n"), 2),
            (format!("[core]\ndcos_acs_token = {TOKEN}\n"), 2),
            (
                format!("[core]\ndcos_acs_token = \"{TOKEN}\"\ndcos_acs_token = \"{TOKEN}\"\n"),
                3,
            ),
            (format!("[core]\ndcos_acs_token = [\"{TOKEN}\"]\n"), 2),
        ] {
            let detail = error_for(&text);
            assert!(!detail.contains("secret-value"), "{detail}");
            assert!(
                detail.starts_with(&format!("line {line}, column ")),
                "{detail}"
            );
            assert!(
                detail.contains(&format!("{line} | dcos_acs_token = {REDACTED}")),
                "{detail}"
            );
        }
    }

    #[test]
    fn an_unclosed_multi_line_secret_is_hidden_on_every_line_it_runs_on() {
        let detail = error_for(&format!(
            "[core]\ndcos_acs_token = \"\"\"{TOKEN}\n{TOKEN}\n"
        ));
        assert!(detail.starts_with("line 4, column 1: "), "{detail}");
        assert!(!detail.contains("secret-value"), "{detail}");
        let secrets = secret_values(&format!("password = '''\n{TOKEN}\n'''\nx = 1\n"));
        assert_eq!(secrets, vec![TOKEN.to_string()]);
    }

    #[test]
    fn a_line_without_secrets_is_shown_as_it_is() {
        let detail = error_for("[core]\ndcos_url = \"https://a.example\ntimeout = 5\n");
        assert!(
            detail.contains("2 | dcos_url = \"https://a.example"),
            "{detail}"
        );
    }

    #[test]
    fn secret_values_are_scrubbed_from_the_parsers_words() {
        let secrets = secret_values(&format!("password = \"{TOKEN}\"\n"));
        assert_eq!(
            scrub(&format!("invalid type: string \"{TOKEN}\""), &secrets),
            format!("invalid type: string \"{REDACTED}\"")
        );
    }
}
