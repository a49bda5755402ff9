//! Python semantics marathon-lb's output depends on: `str.format` with named
//! values (incl. `{{`/`}}`, `{name[key]}`, conversions and format specs),
//! `str()`/`repr()` of JSON values, `int()` of a string, truthiness and
//! marathon-lb's label booleans. Pure: no I/O.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_json::{Map, Value};

use super::pyint::PyInt;

/// A value passed to a template placeholder.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Arg<'a> {
    /// A Python `str`.
    Str(&'a str),
    /// A Python `int`.
    Int(i64),
    /// A Python `int` of any size.
    AnyInt(&'a PyInt),
    /// Python `None` (prints `None`).
    None,
    /// A value straight from the Marathon JSON (dict, list, number, …).
    Json(&'a Value),
    /// A JSON object from the Marathon JSON kept as pairs (a Python dict).
    Pairs(&'a [(Cow<'a, str>, Value)]),
}

/// A Python value while a replacement field is being evaluated.
#[derive(Clone, Debug)]
enum PyVal<'a> {
    Str(Cow<'a, str>),
    Int(i64),
    /// An `int` outside `i64`.
    Big(&'a PyInt),
    Float(f64),
    Bool(bool),
    None,
    List(&'a [Value]),
    Dict(&'a Map<String, Value>),
    Pairs(&'a [(Cow<'a, str>, Value)]),
}

impl<'a> PyVal<'a> {
    fn from_json(v: &'a Value) -> Self {
        match v {
            Value::Null => PyVal::None,
            Value::Bool(b) => PyVal::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => PyVal::Int(i),
                None => PyVal::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => PyVal::Str(Cow::Borrowed(s)),
            Value::Array(a) => PyVal::List(a),
            Value::Object(o) => PyVal::Dict(o),
        }
    }

    fn from_arg(a: Arg<'a>) -> Self {
        match a {
            Arg::Str(s) => PyVal::Str(Cow::Borrowed(s)),
            Arg::Int(i) | Arg::AnyInt(&PyInt::Small(i)) => PyVal::Int(i),
            Arg::AnyInt(big) => PyVal::Big(big),
            Arg::None => PyVal::None,
            Arg::Json(v) => PyVal::from_json(v),
            Arg::Pairs(p) => PyVal::Pairs(p),
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            PyVal::Str(_) => "str",
            PyVal::Int(_) | PyVal::Big(_) => "int",
            PyVal::Float(_) => "float",
            PyVal::Bool(_) => "bool",
            PyVal::None => "NoneType",
            PyVal::List(_) => "list",
            PyVal::Dict(_) | PyVal::Pairs(_) => "dict",
        }
    }

    fn write_str(&self, out: &mut String) {
        match self {
            PyVal::Str(s) => out.push_str(s),
            PyVal::Int(i) => {
                let _ = write!(out, "{i}");
            }
            PyVal::Big(n) => {
                let _ = write!(out, "{n}");
            }
            PyVal::Float(f) => push_float_repr(out, *f),
            PyVal::Bool(true) => out.push_str("True"),
            PyVal::Bool(false) => out.push_str("False"),
            PyVal::None => out.push_str("None"),
            PyVal::List(_) | PyVal::Dict(_) | PyVal::Pairs(_) => self.write_repr(out, false),
        }
    }

    fn write_repr(&self, out: &mut String, ascii: bool) {
        match self {
            PyVal::Str(s) => push_str_repr(out, s, ascii),
            PyVal::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    PyVal::from_json(v).write_repr(out, ascii);
                }
                out.push(']');
            }
            PyVal::Dict(map) => {
                push_dict_repr(out, map.iter().map(|(k, v)| (k.as_str(), v)), ascii);
            }
            PyVal::Pairs(pairs) => {
                push_dict_repr(out, pairs.iter().map(|(k, v)| (k.as_ref(), v)), ascii);
            }
            other => other.write_str(out),
        }
    }
}

/// Python's `repr()` of a dict.
fn push_dict_repr<'v>(
    out: &mut String,
    items: impl Iterator<Item = (&'v str, &'v Value)>,
    ascii: bool,
) {
    out.push('{');
    for (i, (k, v)) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_str_repr(out, k, ascii);
        out.push_str(": ");
        PyVal::from_json(v).write_repr(out, ascii);
    }
    out.push('}');
}

/// Appends Python's `str()` of a JSON value.
pub(crate) fn push_py_str(out: &mut String, v: &Value) {
    PyVal::from_json(v).write_str(out);
}

/// Python's `repr()` of a string: single quotes unless the text has a `'`
/// and no `"`; backslash escapes for quotes, controls and (with `ascii`)
/// every non-ASCII character.
fn push_str_repr(out: &mut String, s: &str, ascii: bool) {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if ascii && (c as u32) > 0x7f => {
                let n = c as u32;
                if n <= 0xff {
                    let _ = write!(out, "\\x{n:02x}");
                } else if n <= 0xffff {
                    let _ = write!(out, "\\u{n:04x}");
                } else {
                    let _ = write!(out, "\\U{n:08x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Appends Python's `repr()` of a float (shortest round-trip digits, fixed
/// notation for exponents -4..16, else `1e+20` style).
pub(crate) fn push_float_repr(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f < 0.0 { "-inf" } else { "inf" });
        return;
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if f.is_sign_negative() {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = usize::try_from(exp).unwrap_or(0) + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                usize::try_from(-exp - 1).unwrap_or(0),
            ));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// Python truthiness of a JSON value.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// Python `==` between a JSON value and an integer (`0.0 == 0`,
/// `True == 1`, floats compared exactly).
pub(crate) fn eq_int(v: &Value, i: &PyInt) -> bool {
    match v {
        Value::Bool(b) => *i == PyInt::Small(i64::from(*b)),
        Value::Number(n) => {
            if let Some(x) = n.as_i64() {
                *i == PyInt::Small(x)
            } else if let Some(x) = n.as_u64() {
                *i == PyInt::from_magnitude(false, x)
            } else {
                // An integral double printed in full is its exact value.
                n.as_f64()
                    .filter(|f| f.is_finite() && f.fract() == 0.0)
                    .is_some_and(|f| *i == PyInt::from_digits(f < 0.0, &format!("{:.0}", f.abs())))
            }
        }
        _ => false,
    }
}

/// marathon-lb's label booleans: true iff the lower-cased value is one of
/// `true`, `t`, `yes`, `y`.
pub(crate) fn label_bool(s: &str) -> bool {
    matches!(s.to_lowercase().as_str(), "true" | "t" | "yes" | "y")
}

/// Python `int()` of a string: surrounding whitespace, one sign, decimal
/// digits of any script (Unicode category Nd, as `int()` reads them) with
/// single `_` between digits, and no size limit (marathon-lb 1.15's Python
/// 3.7 has no digit limit either). `Err` says why Python raises.
pub(crate) fn py_int(s: &str) -> Result<PyInt, &'static str> {
    let t = s.trim();
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    const INVALID: &str = "not an integer";
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return Err(INVALID);
    }
    let mut digits = body.chars().filter(|&c| c != '_').map(decimal_digit);
    let mut magnitude: u64 = 0;
    while let Some(d) = digits.next() {
        let d = d.ok_or(INVALID)?;
        match magnitude
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(d)))
        {
            Some(m) => magnitude = m,
            None => {
                // Beyond 64 bits: go on in decimal text.
                let mut text = magnitude.to_string();
                text.push(char::from(b'0' + d));
                for d in digits {
                    text.push(char::from(b'0' + d.ok_or(INVALID)?));
                }
                return Ok(PyInt::from_digits(neg, &text));
            }
        }
    }
    Ok(PyInt::from_magnitude(neg, magnitude))
}

/// The first code point of each run of ten decimal digits 0–9 (Unicode
/// category Nd, Unicode 14 as in Python's `unicodedata`): every Nd
/// character is one of these plus its value.
const DIGIT_ZEROS: [u32; 66] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0,
    0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit of any script; `None` for anything else
/// (superscripts and Roman numerals are numeric but not Nd).
fn decimal_digit(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let cp = u32::from(c);
    let zero = DIGIT_ZEROS[DIGIT_ZEROS.partition_point(|&z| z <= cp).checked_sub(1)?];
    u8::try_from(cp - zero).ok().filter(|&d| d < 10)
}

/// Python `int()` of a JSON value (numbers truncate, strings parse).
pub(crate) fn py_int_value(v: &Value) -> Option<i64> {
    match v {
        Value::Bool(b) => Some(i64::from(*b)),
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                .map(|f| f.trunc() as i64)
        }),
        // Task ports stay `i64`s: a string beyond that is refused.
        Value::String(s) => py_int(s).ok()?.small(),
        _ => None,
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn f(tpl: &str, args: &[(&str, Arg<'_>)]) -> Result<String, String> {
        let mut s = String::new();
        format_into(&mut s, tpl, args).map(|()| s)
    }

    #[test]
    fn named_values_and_braces() {
        let args = [("a", Arg::Str("x")), ("n", Arg::Int(42)), ("z", Arg::None)];
        assert_eq!(f("{a}-{n}-{z} {{x}}", &args).unwrap(), "x-42-None {x}");
        assert_eq!(
            f("!{{ ssl_fc }} host_{a}", &args).unwrap(),
            "!{ ssl_fc } host_x"
        );
    }

    #[test]
    fn errors_like_python() {
        let args = [("a", Arg::Str("x"))];
        assert!(f("{b}", &args).unwrap_err().contains("'b'"));
        assert!(f("{}", &args).unwrap_err().contains("index 0"));
        assert!(f("{0}", &args).unwrap_err().contains("index 0"));
        assert!(f("a } b", &args).unwrap_err().contains("Single '}'"));
        assert!(f("a {", &args).unwrap_err().contains("Single '{'"));
        assert!(f("{a", &args).unwrap_err().contains("expected '}'"));
        assert!(f("{a!x}", &args).is_err());
        assert!(f("{a.upper}", &args).is_err());
        assert!(f("{a:d}", &args).is_err());
    }

    #[test]
    fn indexing_json_and_strings() {
        let hc = json!({"path": "/health", "protocol": "HTTP", "ports": [1, 2]});
        let args = [("healthCheck", Arg::Json(&hc)), ("s", Arg::Str("abc"))];
        assert_eq!(f("{healthCheck[path]}", &args).unwrap(), "/health");
        assert_eq!(f("{healthCheck[ports][1]}", &args).unwrap(), "2");
        assert_eq!(f("{s[1]}", &args).unwrap(), "b");
        assert!(f("{healthCheck[nope]}", &args).is_err());
        assert_eq!(
            f("{healthCheck}", &args).unwrap(),
            "{'path': '/health', 'protocol': 'HTTP', 'ports': [1, 2]}"
        );
    }

    #[test]
    fn conversions_and_specs() {
        let args = [
            ("a", Arg::Str("it's")),
            ("n", Arg::Int(1234567)),
            ("m", Arg::Int(-5)),
        ];
        assert_eq!(f("{a!r}", &args).unwrap(), "\"it's\"");
        assert_eq!(f("[{a:>6}]", &args).unwrap(), "[  it's]");
        assert_eq!(f("[{a:*^8}]", &args).unwrap(), "[**it's**]");
        assert_eq!(f("[{a:.2}]", &args).unwrap(), "[it]");
        assert_eq!(f("{n:,}", &args).unwrap(), "1,234,567");
        assert_eq!(f("{n:x}", &args).unwrap(), "12d687");
        assert_eq!(f("{n:#x}", &args).unwrap(), "0x12d687");
        assert_eq!(f("{m:05}", &args).unwrap(), "-0005");
        assert_eq!(f("{m:+}", &args).unwrap(), "-5");
        assert_eq!(f("{n:.2f}", &args).unwrap(), "1234567.00");
        assert_eq!(f("{n:e}", &args).unwrap(), "1.234567e+06");
        assert_eq!(f("{n:g}", &args).unwrap(), "1.23457e+06");
        let w = 3;
        let args2 = [("w", Arg::Int(w)), ("a", Arg::Str("x"))];
        assert_eq!(f("[{a:>{w}}]", &args2).unwrap(), "[  x]");
    }

    /// Python, with p = 10**20 and m = -10**20: '{p:,}' gives
    /// '100,000,000,000,000,000,000', '{m:_x}' '-5_6bc7_5e2d_6310_0000',
    /// '{p:#x}' '0x56bc75e2d63100000', '{m:025}'
    /// '-000100000000000000000000', '{p:e}' '1.000000e+20', '{p:.3f}'
    /// '100000000000000000000.000', '{p!r}' '100000000000000000000';
    /// '{p:c}' and '{q:f}' with q = 10**400 raise OverflowError.
    #[test]
    fn big_ints_format_like_python() {
        let p = py_int("100000000000000000000").unwrap();
        let m = py_int("-100000000000000000000").unwrap();
        let q = py_int(&format!("1{}", "0".repeat(400))).unwrap();
        let args = [
            ("p", Arg::AnyInt(&p)),
            ("m", Arg::AnyInt(&m)),
            ("q", Arg::AnyInt(&q)),
        ];
        assert_eq!(
            f("{p} {m}", &args).unwrap(),
            "100000000000000000000 -100000000000000000000"
        );
        assert_eq!(f("{p:,}", &args).unwrap(), "100,000,000,000,000,000,000");
        assert_eq!(f("{m:_x}", &args).unwrap(), "-5_6bc7_5e2d_6310_0000");
        assert_eq!(f("{p:#x}", &args).unwrap(), "0x56bc75e2d63100000");
        assert_eq!(f("{m:025}", &args).unwrap(), "-000100000000000000000000");
        assert_eq!(f("{p:e}", &args).unwrap(), "1.000000e+20");
        assert_eq!(f("{p:.3f}", &args).unwrap(), "100000000000000000000.000");
        assert_eq!(f("{p!r}", &args).unwrap(), "100000000000000000000");
        assert!(f("{p:c}", &args).is_err());
        assert!(f("{q:f}", &args).unwrap_err().contains("OverflowError"));
        assert!(f("{p[0]}", &args).unwrap_err().contains("int"));
    }

    #[test]
    fn python_numbers() {
        let mut s = String::new();
        for v in [10.0, 0.5, 1e20, 1.5e-7, 0.0001, 123456789012345.6, -2.25] {
            push_float_repr(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "10.0 0.5 1e+20 1.5e-07 0.0001 123456789012345.6 -2.25 ");
        assert_eq!(py_int(" +1_000 "), Ok(PyInt::Small(1000)));
        assert_eq!(py_int("-7"), Ok(PyInt::Small(-7)));
        assert_eq!(py_int("007"), Ok(PyInt::Small(7)));
        // Python: int('\u0661\u0662') == 12, int('\uff11\uff10') == 10,
        // int('\U0001d7ce\U0001d7d7') == 9, int('\u0967_\u0968') == 12,
        // int(' \u0665 ') == 5, int('1\u06f0') == 10; int('\u00b2') and
        // int('\u2160') raise ValueError.
        assert_eq!(py_int("\u{661}\u{662}"), Ok(PyInt::Small(12)));
        assert_eq!(py_int("\u{ff11}\u{ff10}"), Ok(PyInt::Small(10)));
        assert_eq!(py_int("\u{1d7ce}\u{1d7d7}"), Ok(PyInt::Small(9)));
        assert_eq!(py_int("\u{967}_\u{968}"), Ok(PyInt::Small(12)));
        assert_eq!(py_int(" \u{665} "), Ok(PyInt::Small(5)));
        assert_eq!(py_int("1\u{6f0}"), Ok(PyInt::Small(10)));
        assert_eq!(py_int("-\u{1fbf9}"), Ok(PyInt::Small(-9)));
        for bad in ["\u{b2}", "\u{2160}", "\u{65f}", "\u{66a}", "\u{1fbfa}"] {
            assert_eq!(py_int(bad), Err("not an integer"), "{bad:?}");
        }
        for bad in ["", "1.5", "_1", "1__0", "0x10", "1_", "abc", "+"] {
            assert_eq!(py_int(bad), Err("not an integer"), "{bad}");
        }
        // int('9223372036854775807') fits an i64, and so does
        // int('-9223372036854775808'); beyond, Python reads any size:
        // str(int('9223372036854775808')) == '9223372036854775808',
        // str(int('-\u0661' + '0' * 20)) == '-1' + '0' * 20, and
        // str(int(' 000_18446744073709551616 ')) == '18446744073709551616'.
        // A bad digit after them is still a ValueError.
        assert_eq!(py_int("9223372036854775807"), Ok(PyInt::Small(i64::MAX)));
        assert_eq!(py_int("-9223372036854775808"), Ok(PyInt::Small(i64::MIN)));
        let big = |t: &str| py_int(t).map(|n| n.to_string());
        assert_eq!(
            big("9223372036854775808").as_deref(),
            Ok("9223372036854775808")
        );
        assert_eq!(
            big("-\u{661}00000000000000000000").as_deref(),
            Ok("-100000000000000000000")
        );
        assert_eq!(
            big(" 000_18446744073709551616 ").as_deref(),
            Ok("18446744073709551616")
        );
        assert_eq!(py_int("99999999999999999999x"), Err("not an integer"));
        assert_eq!(py_int("9999999999999999999\u{b2}"), Err("not an integer"));
        assert!(label_bool("YES") && label_bool("t") && !label_bool("1") && !label_bool(""));
        let zero = PyInt::Small(0);
        assert!(eq_int(&json!(0.0), &zero) && !eq_int(&json!("0"), &zero));
        assert!(eq_int(&json!(true), &PyInt::Small(1)));
        // 2**64 == 18446744073709551616.0 and 10**20 == 1e20 in Python,
        // 2**63 == 9223372036854775808 (a JSON integer beyond i64).
        let two_64 = PyInt::from_digits(false, "18446744073709551616");
        assert!(eq_int(&json!(18446744073709551616.0), &two_64));
        assert!(eq_int(
            &json!(1e20),
            &PyInt::from_digits(false, "100000000000000000000")
        ));
        assert!(eq_int(
            &json!(9223372036854775808u64),
            &PyInt::from_digits(false, "9223372036854775808")
        ));
        assert!(!eq_int(&json!(1e20), &two_64));
        assert!(truthy(&json!("x")) && !truthy(&json!(0)) && !truthy(&json!({})));
    }
}
