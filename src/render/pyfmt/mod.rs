//! Python semantics marathon-lb's output depends on: `str()`/`repr()` of
//! JSON values, `int()` of a string, truthiness and marathon-lb's label
//! booleans; `str.format` (the templates) lives in [`format`]. Pure: no I/O.

mod format;
#[cfg(test)]
mod tests;

pub(crate) use format::Compiled;

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
