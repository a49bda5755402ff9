//! Python's `str.format` with named values, as marathon-lb formats its
//! templates: `{{`/`}}`, `{name[key]}` lookups (attribute access is refused
//! with Python's kind of message), conversions (`!s`, `!r`, `!a`) and the
//! format-spec mini-language. Pure: no I/O.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::{Arg, PyVal, push_float_repr};
use crate::render::pyint::PyInt;

/// One piece of a parsed template.
#[derive(Clone, Debug)]
enum Seg {
    /// Text copied as is: `text[start..end]` (a `{{`/`}}` pair contributes
    /// its first brace).
    Lit(usize, usize),
    /// `{name}`: a plain placeholder.
    Name(usize, usize),
    /// Any other replacement field (text between the braces).
    Field(usize, usize),
}

/// A template text parsed once for repeated `str.format` calls.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    text: String,
    /// The pieces, or Python's complaint about the text's braces.
    segs: Result<Vec<Seg>, String>,
}

impl Compiled {
    /// Parses `text` (errors surface when it is formatted, as in Python).
    pub(crate) fn new(text: String) -> Self {
        let segs = parse_segments(&text);
        Compiled { text, segs }
    }

    /// The raw text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// Appends `self.text.format(**args)` to `out`.
    pub(crate) fn format_into(
        &self,
        out: &mut String,
        args: &[(&str, Arg<'_>)],
    ) -> Result<(), String> {
        let segs = self.segs.as_ref().map_err(Clone::clone)?;
        let t = self.text.as_str();
        for seg in segs {
            match *seg {
                Seg::Lit(a, b) => out.push_str(&t[a..b]),
                Seg::Name(a, b) => {
                    let name = &t[a..b];
                    match args.iter().find(|(n, _)| *n == name) {
                        Some((_, Arg::Str(v))) => out.push_str(v),
                        Some((_, Arg::Int(i))) => {
                            let _ = write!(out, "{i}");
                        }
                        Some((_, a)) => PyVal::from_arg(*a).write_str(out),
                        None => return Err(format!("KeyError: unknown placeholder '{name}'")),
                    }
                }
                Seg::Field(a, b) => render_field(out, &t[a..b], args)?,
            }
        }
        Ok(())
    }
}

fn parse_segments(tpl: &str) -> Result<Vec<Seg>, String> {
    let b = tpl.as_bytes();
    let mut segs = Vec::new();
    let mut i = 0;
    let mut lit = 0;
    while i < b.len() {
        match b[i] {
            c @ (b'{' | b'}') if b.get(i + 1) == Some(&c) => {
                segs.push(Seg::Lit(lit, i + 1));
                i += 2;
                lit = i;
            }
            b'{' => {
                if lit < i {
                    segs.push(Seg::Lit(lit, i));
                }
                let end = field_end(tpl, i + 1)?;
                let field = &tpl[i + 1..end];
                let simple = !field.is_empty()
                    && !field.bytes().all(|c| c.is_ascii_digit())
                    && field
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'_');
                segs.push(if simple {
                    Seg::Name(i + 1, end)
                } else {
                    Seg::Field(i + 1, end)
                });
                i = end + 1;
                lit = i;
            }
            b'}' => return Err("Single '}' encountered in format string".into()),
            _ => i += 1,
        }
    }
    if lit < b.len() {
        segs.push(Seg::Lit(lit, b.len()));
    }
    Ok(segs)
}

/// Formats `tpl` like Python's `tpl.format(**args)`, appending to `out`.
/// The error text says what Python would complain about.
pub(crate) fn format_into(
    out: &mut String,
    tpl: &str,
    args: &[(&str, Arg<'_>)],
) -> Result<(), String> {
    Compiled::new(tpl.to_string()).format_into(out, args)
}

/// Index of the `}` closing the replacement field starting at `start`.
fn field_end(tpl: &str, start: usize) -> Result<usize, String> {
    let b = tpl.as_bytes();
    let mut depth = 1;
    let mut in_bracket = false;
    let mut in_spec = false;
    for (j, &c) in b.iter().enumerate().skip(start) {
        match c {
            b'[' if !in_spec => in_bracket = true,
            b']' if !in_spec => in_bracket = false,
            _ if in_bracket => {}
            b':' | b'!' => in_spec = true,
            b'{' => {
                if !in_spec {
                    return Err("unexpected '{' in field name".into());
                }
                depth += 1;
            }
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Ok(j);
                }
            }
            _ => {}
        }
    }
    Err(if start >= b.len() {
        "Single '{' encountered in format string".into()
    } else {
        "expected '}' before end of string".into()
    })
}

/// Evaluates and appends one replacement field (`field` is the text
/// between its braces).
fn render_field(out: &mut String, field: &str, args: &[(&str, Arg<'_>)]) -> Result<(), String> {
    // Split off conversion and spec: the name ends at the first ':' or '!'
    // that is not inside brackets.
    let b = field.as_bytes();
    let mut name_end = b.len();
    let mut in_bracket = false;
    for (j, &c) in b.iter().enumerate() {
        match c {
            b'[' => in_bracket = true,
            b']' => in_bracket = false,
            b':' | b'!' if !in_bracket => {
                name_end = j;
                break;
            }
            _ => {}
        }
    }
    let name = &field[..name_end];
    let rest = &field[name_end..];
    let (conversion, raw_spec) = if let Some(r) = rest.strip_prefix('!') {
        let mut cs = r.chars();
        let conv = cs
            .next()
            .ok_or("end of string while looking for conversion specifier")?;
        let after = cs.as_str();
        if after.is_empty() {
            (Some(conv), "")
        } else if let Some(spec) = after.strip_prefix(':') {
            (Some(conv), spec)
        } else {
            return Err("expected ':' after conversion specifier".into());
        }
    } else {
        (None, rest.strip_prefix(':').unwrap_or(""))
    };
    let value = lookup(name, args)?;
    let value = match conversion {
        None => value,
        Some('s') => {
            let mut s = String::new();
            value.write_str(&mut s);
            PyVal::Str(Cow::Owned(s))
        }
        Some(c @ ('r' | 'a')) => {
            let mut s = String::new();
            value.write_repr(&mut s, c == 'a');
            PyVal::Str(Cow::Owned(s))
        }
        Some(c) => return Err(format!("Unknown conversion specifier {c}")),
    };
    let spec: Cow<'_, str> = if raw_spec.contains('{') {
        let mut s = String::new();
        format_into(&mut s, raw_spec, args)?;
        Cow::Owned(s)
    } else {
        Cow::Borrowed(raw_spec)
    };
    if spec.is_empty() {
        value.write_str(out);
        Ok(())
    } else {
        format_spec(out, &value, &spec)
    }
}

/// Resolves `name`, `name[key]`, `name.attr` chains against the arguments.
fn lookup<'a>(field_name: &str, args: &[(&str, Arg<'a>)]) -> Result<PyVal<'a>, String> {
    let first_end = field_name.find(['.', '[']).unwrap_or(field_name.len());
    let arg_name = &field_name[..first_end];
    if arg_name.is_empty() || arg_name.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "Replacement index {} out of range for positional args tuple",
            if arg_name.is_empty() { "0" } else { arg_name }
        ));
    }
    let mut value = args
        .iter()
        .find(|(n, _)| *n == arg_name)
        .map(|(_, a)| PyVal::from_arg(*a))
        .ok_or_else(|| format!("KeyError: unknown placeholder '{arg_name}'"))?;
    let mut rest = &field_name[first_end..];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            return Err(format!(
                "attribute access '.{}' on {} is not supported",
                &r[..end],
                value.type_name()
            ));
        }
        let r = rest
            .strip_prefix('[')
            .ok_or("Only '.' or '[' may follow ']' in format field specifier")?;
        let close = r.find(']').ok_or("Missing ']' in format string")?;
        let key = &r[..close];
        if key.is_empty() {
            return Err("Empty attribute in format string".into());
        }
        value = index(value, key)?;
        rest = &r[close + 1..];
    }
    Ok(value)
}

/// Python `value[key]`, `key` being an int when all digits.
fn index<'a>(value: PyVal<'a>, key: &str) -> Result<PyVal<'a>, String> {
    let int_key: Option<usize> = if key.bytes().all(|c| c.is_ascii_digit()) {
        key.parse().ok()
    } else {
        None
    };
    match (&value, int_key) {
        (PyVal::Dict(m), None) => m
            .get(key)
            .map(PyVal::from_json)
            .ok_or_else(|| format!("KeyError: '{key}'")),
        (PyVal::Pairs(p), None) => p
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| PyVal::from_json(v))
            .ok_or_else(|| format!("KeyError: '{key}'")),
        (PyVal::Dict(_) | PyVal::Pairs(_), Some(_)) => Err(format!("KeyError: {key}")),
        (PyVal::List(l), Some(i)) => l
            .get(i)
            .map(PyVal::from_json)
            .ok_or_else(|| "IndexError: list index out of range".into()),
        (PyVal::Str(s), Some(i)) => s
            .chars()
            .nth(i)
            .map(|c| PyVal::Str(Cow::Owned(c.to_string())))
            .ok_or_else(|| "IndexError: string index out of range".into()),
        (v, _) => Err(format!(
            "TypeError: {} indices must be integers or the object is not subscriptable",
            v.type_name()
        )),
    }
}

/// A parsed format spec (`[[fill]align][sign][z][#][0][width][,|_][.prec][type]`).
#[derive(Default)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
}

fn parse_spec(spec: &str) -> Result<Spec, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i)
        && matches!(c, '+' | '-' | ' ')
    {
        s.sign = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'z') {
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alt = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        (*i > start).then(|| {
            chars[start..*i]
                .iter()
                .collect::<String>()
                .parse()
                .unwrap_or(usize::MAX)
        })
    };
    s.width = digits(&mut i).unwrap_or(0);
    if let Some(&c) = chars.get(i)
        && matches!(c, ',' | '_')
    {
        s.grouping = Some(c);
        i += 1;
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        s.precision = Some(digits(&mut i).ok_or("Format specifier missing precision")?);
    }
    if let Some(&c) = chars.get(i) {
        s.ty = Some(c);
        i += 1;
    }
    if i < chars.len() {
        return Err("Invalid format specifier".into());
    }
    if s.zero && s.fill.is_none() && s.align.is_none() {
        s.fill = Some('0');
    }
    Ok(s)
}

/// Python `format(value, spec)` for a non-empty spec.
fn format_spec(out: &mut String, value: &PyVal<'_>, spec: &str) -> Result<(), String> {
    let s = parse_spec(spec)?;
    match value {
        PyVal::Str(text) => format_str(out, text, &s),
        PyVal::Int(i) => format_int(out, &PyInt::Small(*i), &s),
        PyVal::Big(n) => format_int(out, n, &s),
        PyVal::Bool(b) => format_int(out, &PyInt::Small(i64::from(*b)), &s),
        PyVal::Float(f) => format_float(out, *f, &s),
        other => Err(format!(
            "TypeError: unsupported format string passed to {}.__format__",
            other.type_name()
        )),
    }
}

fn format_str(out: &mut String, text: &str, s: &Spec) -> Result<(), String> {
    if s.sign.is_some() {
        return Err("Sign not allowed in string format specifier".into());
    }
    if s.alt {
        return Err("Alternate form (#) not allowed in string format specifier".into());
    }
    if s.align == Some('=') {
        return Err("'=' alignment not allowed in string format specifier".into());
    }
    if let Some(g) = s.grouping {
        return Err(format!("Cannot specify '{g}' with 's'."));
    }
    if let Some(t) = s.ty.filter(|&t| t != 's') {
        return Err(format!(
            "Unknown format code '{t}' for object of type 'str'"
        ));
    }
    let body: Cow<'_, str> = match s.precision {
        Some(p) => Cow::Owned(text.chars().take(p).collect()),
        None => Cow::Borrowed(text),
    };
    pad(out, "", &body, s, '<');
    Ok(())
}

fn format_int(out: &mut String, n: &PyInt, s: &Spec) -> Result<(), String> {
    let (prefix, radix_digits, group_every) = match s.ty {
        None | Some('d') | Some('n') => ("", n.magnitude_digits(10), 3),
        Some('b') => ("0b", n.magnitude_digits(2), 4),
        Some('o') => ("0o", n.magnitude_digits(8), 4),
        Some('x') => ("0x", n.magnitude_digits(16), 4),
        Some('X') => ("0X", n.magnitude_digits(16).to_uppercase(), 4),
        Some('c') => {
            let c = n
                .small()
                .and_then(|i| u32::try_from(i).ok())
                .and_then(char::from_u32)
                .ok_or("%c arg not in range(0x110000)")?;
            pad(out, "", &c.to_string(), s, '>');
            return Ok(());
        }
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
            let f = n
                .to_f64()
                .ok_or("OverflowError: int too large to convert to float")?;
            return format_float(out, f, s);
        }
        Some(t) => {
            return Err(format!(
                "Unknown format code '{t}' for object of type 'int'"
            ));
        }
    };
    if s.precision.is_some() {
        return Err("Precision not allowed in integer format specifier".into());
    }
    let mut sign = sign_str(n.is_negative(), s).to_string();
    if s.alt {
        sign.push_str(prefix);
    }
    let body = group(&radix_digits, s.grouping, group_every);
    pad(out, &sign, &body, s, '>');
    Ok(())
}

fn format_float(out: &mut String, f: f64, s: &Spec) -> Result<(), String> {
    let prec = s.precision.unwrap_or(6);
    let a = f.abs();
    let body = match s.ty {
        None if s.precision.is_none() => {
            let mut r = String::new();
            push_float_repr(&mut r, a);
            r
        }
        Some('f' | 'F') => format!("{a:.prec$}"),
        Some('%') => format!("{:.prec$}%", a * 100.0),
        Some(t @ ('e' | 'E')) => sci(a, prec, t == 'E'),
        None | Some('g' | 'G') => {
            let p = prec.max(1);
            let exp = if a == 0.0 {
                0
            } else {
                let rounded = sci(a, p - 1, false);
                rounded
                    .split_once('e')
                    .and_then(|(_, e)| e.parse::<i32>().ok())
                    .unwrap_or(0)
            };
            let upper = s.ty == Some('G');
            let text = if exp >= -4 && i64::from(exp) < p as i64 {
                let decimals = usize::try_from(p as i64 - 1 - i64::from(exp)).unwrap_or(0);
                format!("{a:.decimals$}")
            } else {
                sci(a, p - 1, upper)
            };
            if s.alt { text } else { strip_zeros(&text) }
        }
        Some(t) => {
            return Err(format!(
                "Unknown format code '{t}' for object of type 'float'"
            ));
        }
    };
    let sign = sign_str(f.is_sign_negative() && !f.is_nan(), s);
    let (int_part, frac) = match body.find(|c: char| !c.is_ascii_digit()) {
        Some(p) => body.split_at(p),
        None => (body.as_str(), ""),
    };
    let grouped = format!("{}{frac}", group(int_part, s.grouping, 3));
    pad(out, sign, &grouped, s, '>');
    Ok(())
}

/// Python-style scientific notation (`1.500000e+06`).
fn sci(a: f64, prec: usize, upper: bool) -> String {
    let r = format!("{a:.prec$e}");
    let (m, e) = r.split_once('e').unwrap_or((&r, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    format!(
        "{m}{}{}{:02}",
        if upper { 'E' } else { 'e' },
        if e < 0 { '-' } else { '+' },
        e.abs()
    )
}

fn strip_zeros(text: &str) -> String {
    let (m, e) = match text.find(['e', 'E']) {
        Some(p) => text.split_at(p),
        None => (text, ""),
    };
    let m = if m.contains('.') {
        m.trim_end_matches('0').trim_end_matches('.')
    } else {
        m
    };
    format!("{m}{e}")
}

fn sign_str(negative: bool, s: &Spec) -> &'static str {
    match (negative, s.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

fn group(digits: &str, sep: Option<char>, every: usize) -> String {
    let Some(sep) = sep else {
        return digits.to_string();
    };
    let n = digits.len();
    let mut g = String::with_capacity(n + n / every);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(every) {
            g.push(sep);
        }
        g.push(c);
    }
    g
}

/// Pads `sign + body` to the spec's width with its fill and alignment.
fn pad(out: &mut String, sign: &str, body: &str, s: &Spec, default_align: char) {
    let len = sign.chars().count() + body.chars().count();
    let fill = s.fill.unwrap_or(' ');
    let align = s.align.unwrap_or(if s.zero && default_align == '>' {
        '='
    } else {
        default_align
    });
    let padding = s.width.saturating_sub(len);
    let (left, right) = match align {
        '<' => (0, padding),
        '^' => (padding / 2, padding - padding / 2),
        _ => (padding, 0),
    };
    if align == '=' {
        out.push_str(sign);
        out.extend(std::iter::repeat_n(fill, left));
    } else {
        out.extend(std::iter::repeat_n(fill, left));
        out.push_str(sign);
    }
    out.push_str(body);
    out.extend(std::iter::repeat_n(fill, right));
}
