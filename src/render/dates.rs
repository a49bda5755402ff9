//! ISO 8601 timestamps as marathon-lb's deployment-group merge compares
//! them (`dateutil.parser.parse`, Python `datetime` ordering: naive and
//! zone-aware values do not compare). Pure: no I/O.

use std::cmp::Ordering;

/// A parsed timestamp: microseconds since 0001-01-01T00:00 of its own
/// clock, plus its UTC offset in seconds when it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    micros: i64,
    offset: Option<i64>,
}

impl Stamp {
    /// Python's `datetime.min` (naive).
    pub(crate) const MIN: Stamp = Stamp {
        micros: 0,
        offset: None,
    };

    /// Parses `YYYY-MM-DD`, optionally followed by `T` or a space and
    /// `HH[:MM[:SS[.ffffff]]]` (colons optional), optionally followed by
    /// `Z` or `±HH[:MM]`. `None` when the text is not such a timestamp.
    pub(crate) fn parse(text: &str) -> Option<Stamp> {
        let s = text.trim();
        let (date, rest) = split_digits(s, 4)?;
        let year = date;
        let s = rest.strip_prefix('-').unwrap_or(rest);
        let (month, s) = split_digits(s, 2)?;
        let s = s.strip_prefix('-').unwrap_or(s);
        let (day, s) = split_digits(s, 2)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let mut micros =
            (days_from_civil(year, month, day) - days_from_civil(1, 1, 1)) * 86_400_000_000;
        let mut s = s;
        if let Some(t) = s.strip_prefix(['T', 't', ' ']) {
            let (h, r) = split_digits(t, 2)?;
            let r2 = r.strip_prefix(':').unwrap_or(r);
            let (m, r) = split_digits(r2, 2).unwrap_or((0, r));
            let r2 = r.strip_prefix(':').unwrap_or(r);
            let (sec, mut r) = split_digits(r2, 2).unwrap_or((0, r));
            let mut frac = 0;
            if let Some(f) = r.strip_prefix(['.', ',']) {
                let n = f.bytes().take_while(u8::is_ascii_digit).count();
                if n == 0 {
                    return None;
                }
                let digits = &f[..n.min(6)];
                frac =
                    digits.parse::<i64>().ok()? * 10_i64.pow(6 - u32::try_from(digits.len()).ok()?);
                r = &f[n..];
            }
            if h > 23 || m > 59 || sec > 59 {
                return None;
            }
            micros += ((h * 60 + m) * 60 + sec) * 1_000_000 + frac;
            s = r;
        }
        let offset = match s {
            "" => None,
            "Z" | "z" => Some(0),
            _ => {
                let sign = match s.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let (h, r) = split_digits(&s[1..], 2)?;
                let r = r.strip_prefix(':').unwrap_or(r);
                let (m, r) = if r.is_empty() {
                    (0, r)
                } else {
                    split_digits(r, 2)?
                };
                if !r.is_empty() || h > 23 || m > 59 {
                    return None;
                }
                Some(sign * (h * 3600 + m * 60))
            }
        };
        Some(Stamp { micros, offset })
    }

    /// Python's `<`/`>` ordering; `None` where Python raises (naive vs
    /// zone-aware).
    pub(crate) fn compare(&self, other: &Stamp) -> Option<Ordering> {
        match (self.offset, other.offset) {
            (None, None) => Some(self.micros.cmp(&other.micros)),
            (Some(a), Some(b)) => {
                Some((self.micros - a * 1_000_000).cmp(&(other.micros - b * 1_000_000)))
            }
            _ => None,
        }
    }
}

fn split_digits(s: &str, n: usize) -> Option<(i64, &str)> {
    let d = s.get(..n)?;
    if !d.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((d.parse().ok()?, &s[n..]))
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_iso_forms() {
        let a = Stamp::parse("2016-02-01T14:13:42.499089").unwrap();
        let b = Stamp::parse("2016-02-01T14:13:42.5").unwrap();
        assert_eq!(a.compare(&b), Some(Ordering::Less));
        assert_eq!(a.compare(&Stamp::MIN), Some(Ordering::Greater));
        let z = Stamp::parse("2016-02-01T14:13:42.499Z").unwrap();
        let plus = Stamp::parse("2016-02-01T15:13:42.499+01:00").unwrap();
        assert_eq!(z.compare(&plus), Some(Ordering::Equal));
        assert_eq!(z.compare(&a), None);
        assert_eq!(z.compare(&Stamp::MIN), None);
        assert!(Stamp::parse("2016-02-01").is_some());
        assert!(Stamp::parse("20160201T141342").is_some());
        assert!(Stamp::parse("2016-02-01 14:13").is_some());
        for bad in [
            "",
            "yesterday",
            "2016-13-01",
            "2016-02-30",
            "2016-02-01T25:00",
            "2016-02-01Tx",
        ] {
            assert_eq!(Stamp::parse(bad), None, "{bad}");
        }
    }
}
