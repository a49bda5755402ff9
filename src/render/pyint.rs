//! Python `int` values of any size, as marathon-lb gets them from `int()` of
//! a label: an `i64` when the value fits (nearly always), else its sign and
//! decimal digits. Enough arithmetic for what marathon-lb does with them:
//! ordering, `str()`, radix digits for format specs, conversion to float.
//! No bignum: the digits are kept as text. Pure: no I/O.

use std::cmp::Ordering;
use std::fmt;

/// A Python `int`. A value that fits an `i64` is always `Small`, so equal
/// values have equal representations.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PyInt {
    Small(i64),
    /// A value outside `i64`: its sign and ASCII digits, no leading zero.
    Big {
        negative: bool,
        digits: Box<str>,
    },
}

impl PyInt {
    /// The value of `negative` and the ASCII decimal `digits` (leading
    /// zeros allowed, at least one digit).
    pub(crate) fn from_digits(negative: bool, digits: &str) -> PyInt {
        let digits = match digits.trim_start_matches('0') {
            "" => "0",
            d => d,
        };
        let magnitude = if digits.len() <= 19 {
            digits.parse::<u64>().ok()
        } else {
            None
        };
        match magnitude {
            Some(m) => PyInt::from_magnitude(negative, m),
            None => PyInt::Big {
                negative,
                digits: digits.into(),
            },
        }
    }

    /// The value of `negative` and a magnitude that fits a `u64`.
    pub(crate) fn from_magnitude(negative: bool, magnitude: u64) -> PyInt {
        let small = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        small.map_or_else(
            || PyInt::Big {
                negative,
                digits: magnitude.to_string().into(),
            },
            PyInt::Small,
        )
    }

    /// The value when it fits an `i64`.
    pub(crate) fn small(&self) -> Option<i64> {
        match self {
            PyInt::Small(i) => Some(*i),
            PyInt::Big { .. } => None,
        }
    }

    pub(crate) fn is_negative(&self) -> bool {
        match self {
            PyInt::Small(i) => *i < 0,
            PyInt::Big { negative, .. } => *negative,
        }
    }

    /// The value, saturated to the `i128` range: exact for every result of
    /// adding or subtracting it to `i64` values once it is clamped there.
    pub(crate) fn saturating_i128(&self) -> i128 {
        match self {
            PyInt::Small(i) => i128::from(*i),
            PyInt::Big { negative, digits } => match (digits.parse::<i128>(), negative) {
                (Ok(m), true) => -m,
                (Ok(m), false) => m,
                (Err(_), true) => i128::MIN,
                (Err(_), false) => i128::MAX,
            },
        }
    }

    /// Digits of the absolute value in `radix` (2, 8, 10 or 16; lower case).
    pub(crate) fn magnitude_digits(&self, radix: u32) -> String {
        match self {
            PyInt::Small(i) => match radix {
                2 => format!("{:b}", i.unsigned_abs()),
                8 => format!("{:o}", i.unsigned_abs()),
                16 => format!("{:x}", i.unsigned_abs()),
                _ => i.unsigned_abs().to_string(),
            },
            PyInt::Big { digits, .. } if radix == 10 => digits.to_string(),
            PyInt::Big { digits, .. } => to_radix(digits, radix),
        }
    }

    /// Python's `float(self)`: the nearest double (ties to even), `None`
    /// where Python raises `OverflowError`.
    pub(crate) fn to_f64(&self) -> Option<f64> {
        match self {
            PyInt::Small(i) => Some(*i as f64),
            PyInt::Big { negative, digits } => {
                // Rust's decimal parsing rounds correctly, as CPython's
                // int-to-float does, and overflows exactly where it raises.
                let f: f64 = digits.parse().ok().filter(|f: &f64| f.is_finite())?;
                Some(if *negative { -f } else { f })
            }
        }
    }
}

/// Decimal ASCII digits (no leading zero) rewritten in `radix`, by long
/// division of the digit string.
fn to_radix(decimal: &str, radix: u32) -> String {
    let mut number: Vec<u32> = decimal.bytes().map(|b| u32::from(b - b'0')).collect();
    let mut out = Vec::new();
    while !number.is_empty() {
        let mut rest = 0;
        let mut quotient = Vec::with_capacity(number.len());
        for d in number {
            let cur = rest * 10 + d;
            if !(quotient.is_empty() && cur / radix == 0) {
                quotient.push(cur / radix);
            }
            rest = cur % radix;
        }
        out.push(char::from_digit(rest, radix).unwrap_or('0'));
        number = quotient;
    }
    if out.is_empty() {
        out.push('0');
    }
    out.iter().rev().collect()
}

impl Ord for PyInt {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (PyInt::Small(a), PyInt::Small(b)) => a.cmp(b),
            // A big value lies beyond every i64, on its side of zero.
            (PyInt::Big { negative, .. }, PyInt::Small(_)) => {
                if *negative {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            (PyInt::Small(_), PyInt::Big { .. }) => other.cmp(self).reverse(),
            (
                PyInt::Big {
                    negative: na,
                    digits: a,
                },
                PyInt::Big {
                    negative: nb,
                    digits: b,
                },
            ) => match (na, nb) {
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                _ => {
                    let by_magnitude = (a.len(), a).cmp(&(b.len(), b));
                    if *na {
                        by_magnitude.reverse()
                    } else {
                        by_magnitude
                    }
                }
            },
        }
    }
}

impl PartialOrd for PyInt {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Python's `str()`.
impl fmt::Display for PyInt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PyInt::Small(i) => write!(f, "{i}"),
            PyInt::Big { negative, digits } => {
                if *negative {
                    f.write_str("-")?;
                }
                f.write_str(digits)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> PyInt {
        match text.strip_prefix('-') {
            Some(d) => PyInt::from_digits(true, d),
            None => PyInt::from_digits(false, text),
        }
    }

    /// `str(int(x))` is the normalized digits; values that fit an `i64`,
    /// including -2**63, are `Small`.
    #[test]
    fn normalizes_like_str_of_int() {
        assert_eq!(int("000"), PyInt::Small(0));
        assert_eq!(int("-0"), PyInt::Small(0));
        assert_eq!(int("9223372036854775807"), PyInt::Small(i64::MAX));
        assert_eq!(int("-9223372036854775808"), PyInt::Small(i64::MIN));
        assert_eq!(
            int("0009223372036854775808").to_string(),
            "9223372036854775808"
        );
        assert_eq!(
            int("-18446744073709551616").to_string(),
            "-18446744073709551616"
        );
        assert_eq!(
            int("000123456789012345678901234567890").to_string(),
            "123456789012345678901234567890"
        );
    }

    /// Python orders ints by value: sorted([10**20, -10**20, 5, -2**63,
    /// 2**63, -(10**19)]) == [-10**20, -(10**19), -2**63, 5, 2**63, 10**20].
    #[test]
    fn orders_by_value() {
        let mut v: Vec<PyInt> = [
            "100000000000000000000",
            "-100000000000000000000",
            "5",
            "-9223372036854775808",
            "9223372036854775808",
            "-10000000000000000000",
        ]
        .into_iter()
        .map(int)
        .collect();
        v.sort();
        let text: Vec<String> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "-100000000000000000000",
                "-10000000000000000000",
                "-9223372036854775808",
                "5",
                "9223372036854775808",
                "100000000000000000000"
            ]
        );
        assert!(int("99999999999999999999") < int("100000000000000000000"));
        assert!(int("-99999999999999999999") > int("-100000000000000000000"));
    }

    /// Python: format(10**20, 'x') == '56bc75e2d63100000', format(2**64,
    /// 'o') == '2000000000000000000000', format(2**64 + 1, 'b') == '1'
    /// followed by 63 zeros and '1'; float(10**20) == 1e+20,
    /// float(2**64 + 1) == 1.8446744073709552e+19, float(10**400) raises.
    #[test]
    fn radix_digits_and_floats() {
        assert_eq!(
            int("100000000000000000000").magnitude_digits(16),
            "56bc75e2d63100000"
        );
        assert_eq!(
            int("-18446744073709551616").magnitude_digits(8),
            "2000000000000000000000"
        );
        assert_eq!(
            int("18446744073709551617").magnitude_digits(2),
            format!("1{}1", "0".repeat(63))
        );
        assert_eq!(int("-12").magnitude_digits(16), "c");
        assert_eq!(int("100000000000000000000").to_f64(), Some(1e20));
        assert_eq!(
            int("-18446744073709551617").to_f64(),
            Some(-18446744073709551616.0)
        );
        assert_eq!(int(&format!("1{}", "0".repeat(400))).to_f64(), None);
        assert_eq!(
            int("-100000000000000000000").saturating_i128(),
            -(10i128.pow(20))
        );
        assert_eq!(int(&"9".repeat(60)).saturating_i128(), i128::MAX);
        assert_eq!(
            int(&format!("-{}", "9".repeat(60))).saturating_i128(),
            i128::MIN
        );
    }
}
