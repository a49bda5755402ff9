//! Tests of Python's semantics as the templates see them.

use super::format::format_into;
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
