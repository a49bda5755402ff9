//! Timestamps as marathon-lb's deployment-group merge reads and compares
//! them: `dateutil.parser.parse` with its defaults (dayfirst=False,
//! yearfirst=False, not fuzzy) over the forms such labels use (ISO 8601,
//! numeric dates with `/`, `-` or `.`, month names, 12/24-hour times,
//! `Z`/`UTC`/`GMT` and `±HH[:MM]` offsets), then Python `datetime`
//! ordering, where naive and zone-aware values do not compare. Pure: no
//! I/O and no clock; what dateutil takes from the clock (the parts of the
//! date a text leaves out, the century of a two-digit year) comes from the
//! caller's [`Date`], and without one such a text is refused.

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

    /// Reads `text` as `dateutil.parser.parse(text)` does on the day
    /// `today`; the error says why dateutil refuses it, or that it needs
    /// today's date and `today` is `None`.
    pub(crate) fn parse(text: &str, today: Option<Date>) -> Result<Stamp, String> {
        let tokens = tokenize(text);
        let mut p = Parser::default();
        p.run(&tokens)?;
        p.finish(today)
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

/// A calendar day (proleptic Gregorian, years 1 to 9999): the day a render
/// reads free-form dates on, as `dateutil` reads them on the day
/// marathon-lb runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    year: i64,
    month: i64,
    day: i64,
}

impl Date {
    /// 0001-01-01.
    const MIN: Date = Date {
        year: 1,
        month: 1,
        day: 1,
    };

    /// The date `year-month-day`, `None` when there is no such day.
    pub fn new(year: i64, month: i64, day: i64) -> Option<Date> {
        ((1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day))
        .then_some(Date { year, month, day })
    }

    /// The day `days` days after 1970-01-01 (negative: before), `None`
    /// outside years 1 to 9999.
    pub fn from_unix_days(days: i64) -> Option<Date> {
        let (year, month, day) = civil_from_days(days);
        Date::new(year, month, day)
    }
}

/// dateutil's `timelex`: runs of letters, numbers (with one `.` or `,`
/// decimal point), and every other character alone; a number or word
/// holding several dots, or a dot next to letters, is split at them.
fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() {
            let n = chars[i..].iter().take_while(|c| c.is_alphabetic()).count();
            out.push(chars[i..i + n].iter().collect());
            i += n;
        } else if c.is_ascii_digit() {
            let mut tok = String::new();
            while let Some(&d) = chars.get(i) {
                let point = d == '.' || (d == ',' && tok.len() >= 2);
                if !(d.is_ascii_digit() || point) {
                    break;
                }
                tok.push(d);
                i += 1;
            }
            let points = tok.matches(['.', ',']).count();
            let before_word = tok.ends_with('.') && chars.get(i).is_some_and(|c| c.is_alphabetic());
            if points > 1 || tok.ends_with(['.', ',']) || before_word {
                let mut part = String::new();
                for d in tok.chars() {
                    if d == '.' || d == ',' {
                        if !part.is_empty() {
                            out.push(std::mem::take(&mut part));
                        }
                        out.push(d.to_string());
                    } else {
                        part.push(d);
                    }
                }
                if !part.is_empty() {
                    out.push(part);
                }
            } else {
                out.push(tok.replace(',', "."));
            }
        } else {
            out.push(if c.is_whitespace() {
                " ".into()
            } else {
                c.to_string()
            });
            i += 1;
        }
    }
    out
}

fn is_jump(t: &str) -> bool {
    matches!(
        t.to_lowercase().as_str(),
        " " | "."
            | ","
            | ";"
            | "-"
            | "/"
            | "'"
            | "at"
            | "on"
            | "and"
            | "ad"
            | "m"
            | "t"
            | "of"
            | "st"
            | "nd"
            | "rd"
            | "th"
    )
}

/// Monday → 0 … Sunday → 6.
fn weekday(t: &str) -> Option<i64> {
    Some(match t.to_lowercase().as_str() {
        "mon" | "monday" => 0,
        "tue" | "tuesday" => 1,
        "wed" | "wednesday" => 2,
        "thu" | "thursday" => 3,
        "fri" | "friday" => 4,
        "sat" | "saturday" => 5,
        "sun" | "sunday" => 6,
        _ => return None,
    })
}

fn month(t: &str) -> Option<i64> {
    Some(match t.to_lowercase().as_str() {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    })
}

/// `am`/`a` → 0, `pm`/`p` → 1.
fn ampm(t: &str) -> Option<u8> {
    match t.to_lowercase().as_str() {
        "am" | "a" => Some(0),
        "pm" | "p" => Some(1),
        _ => None,
    }
}

/// Hour, minute or second word → 0, 1, 2.
fn hms(t: &str) -> Option<u8> {
    match t.to_lowercase().as_str() {
        "h" | "hour" | "hours" => Some(0),
        "m" | "minute" | "minutes" => Some(1),
        "s" | "second" | "seconds" => Some(2),
        _ => None,
    }
}

fn is_utc(t: &str) -> bool {
    matches!(t, "UTC" | "GMT" | "Z" | "z")
}

fn int(t: &str) -> Result<i64, String> {
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{t:?} is not a number"));
    }
    t.parse().map_err(|_| format!("{t:?} is too large"))
}

fn is_number(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
}

/// A number token as Python's `Decimal` reads it: the integer part and
/// the digits after the point.
fn decimal(t: &str) -> Result<(i64, &str), String> {
    let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{t:?} is not a number"));
    }
    Ok((int(whole)?, fraction))
}

/// `int(60 * fraction)` for the digits of a fraction, `None` when it is
/// zero (dateutil then leaves the smaller unit alone): the next unit of
/// `5.5h` or `28.5m`. Exact for the first 30 digits; later ones are
/// dropped.
fn sixtieths(fraction: &str) -> Option<i64> {
    let digits = &fraction[..fraction.len().min(30)];
    let n: u128 = digits.parse().ok().filter(|&n| n > 0)?;
    let scale = 10u128.pow(u32::try_from(digits.len()).ok()?);
    i64::try_from(60 * n / scale).ok()
}

/// `SS[.ffffff]` → (seconds, microseconds), later digits dropped.
fn seconds(t: &str) -> Result<(i64, i64), String> {
    match t.split_once('.') {
        None => Ok((int(t)?, 0)),
        Some((s, f)) => {
            let f6: String = f.chars().chain(std::iter::repeat('0')).take(6).collect();
            Ok((int(s)?, int(&f6)?))
        }
    }
}

/// dateutil's `_ymd`: the date numbers in order, with where the year,
/// month and day are known to be.
#[derive(Default)]
struct Ymd {
    values: Vec<i64>,
    year_at: Option<usize>,
    month_at: Option<usize>,
    day_at: Option<usize>,
    century: bool,
}

#[derive(Clone, Copy, PartialEq)]
enum Label {
    None,
    Year,
    Month,
}

impl Ymd {
    /// Appends a number token (its text says whether it has a century).
    fn push_text(&mut self, t: &str) -> Result<(), String> {
        let v = int(t.split('.').next().unwrap_or(t))?;
        let label = if t.len() > 2 && !t.contains('.') {
            Label::Year
        } else {
            Label::None
        };
        self.push(v, label)
    }

    fn push(&mut self, v: i64, mut label: Label) -> Result<(), String> {
        if label == Label::Year || v > 100 {
            self.century = true;
            if label == Label::Month {
                return Err(format!("{v} cannot be a month"));
            }
            label = Label::Year;
        }
        let at = self.values.len();
        self.values.push(v);
        let slot = match label {
            Label::None => return Ok(()),
            Label::Year => &mut self.year_at,
            Label::Month => &mut self.month_at,
        };
        if slot.replace(at).is_some() {
            return Err(if label == Label::Year {
                "two years".into()
            } else {
                "two months".into()
            });
        }
        Ok(())
    }

    fn could_be_day(&self, v: i64) -> bool {
        if self.day_at.is_some() {
            return false;
        }
        let max = match (self.month_at, self.year_at) {
            (None, _) => 31,
            (Some(m), None) => days_in_month(2000, self.values[m]),
            (Some(m), Some(y)) => days_in_month(self.values[y], self.values[m]),
        };
        (1..=max).contains(&v)
    }

    /// dateutil's `resolve_ymd(yearfirst=False, dayfirst=False)`.
    fn resolve(&self) -> Result<[Option<i64>; 3], String> {
        let v = &self.values;
        let known = [self.year_at, self.month_at, self.day_at];
        let n_known = known.iter().flatten().count();
        if (v.len() == n_known && n_known > 0) || (v.len() == 3 && n_known == 2) {
            let mut at = known;
            if n_known == 2 && v.len() == 3 {
                let free = (0..3).find(|i| !known.contains(&Some(*i)));
                if let Some(slot) = at.iter_mut().find(|a| a.is_none()) {
                    *slot = free;
                }
            }
            return Ok(at.map(|a| a.map(|i| v[i])));
        }
        let (y, m, d) = match (v.len(), self.month_at) {
            (n, _) if n > 3 => return Err("more than three date numbers".into()),
            (0, _) => (None, None, None),
            (1, None) if v[0] > 31 => (Some(v[0]), None, None),
            (1, None) => (None, None, Some(v[0])),
            (1, Some(_)) => (None, Some(v[0]), None),
            (2, Some(mi)) => {
                let other = v[1 - mi];
                if other > 31 {
                    (Some(other), Some(v[mi]), None)
                } else {
                    (None, Some(v[mi]), Some(other))
                }
            }
            (2, None) if v[0] > 31 => (Some(v[0]), Some(v[1]), None),
            (2, None) if v[1] > 31 => (Some(v[1]), Some(v[0]), None),
            (2, None) => (None, Some(v[0]), Some(v[1])),
            (_, Some(0)) if v[1] > 31 => (Some(v[1]), Some(v[0]), Some(v[2])),
            (_, Some(0)) => (Some(v[2]), Some(v[0]), Some(v[1])),
            (_, Some(1)) if v[0] > 31 => (Some(v[0]), Some(v[1]), Some(v[2])),
            (_, Some(1)) => (Some(v[2]), Some(v[1]), Some(v[0])),
            (_, Some(_)) if v[1] > 31 => (Some(v[1]), Some(v[2]), Some(v[0])),
            (_, Some(_)) => (Some(v[0]), Some(v[2]), Some(v[1])),
            _ if v[0] > 31 || self.year_at == Some(0) => (Some(v[0]), Some(v[1]), Some(v[2])),
            _ if v[0] > 12 => (Some(v[2]), Some(v[1]), Some(v[0])),
            _ => (Some(v[2]), Some(v[0]), Some(v[1])),
        };
        Ok([y, m, d])
    }
}

/// The fields dateutil's `_parse` fills in.
#[derive(Default)]
struct Parser {
    ymd: Ymd,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    micros: Option<i64>,
    /// The last weekday name (Monday = 0).
    weekday: Option<i64>,
    tzname: Option<String>,
    offset: Option<i64>,
    flip_sign: bool,
}

impl Parser {
    fn run(&mut self, l: &[String]) -> Result<(), String> {
        let mut i = 0;
        while i < l.len() {
            let t = l[i].as_str();
            if is_number(t) {
                i = self.numeric(l, i)?;
            } else if let Some(w) = weekday(t) {
                self.weekday = Some(w);
            } else if let Some(m) = month(t) {
                self.ymd.push(m, Label::Month)?;
                if matches!(l.get(i + 1).map(String::as_str), Some("-" | "/")) {
                    let sep = &l[i + 1];
                    self.ymd
                        .push_text(l.get(i + 2).map_or("", String::as_str))?;
                    if l.get(i + 3) == Some(sep) {
                        self.ymd
                            .push_text(l.get(i + 4).map_or("", String::as_str))?;
                        i += 2;
                    }
                    i += 2;
                } else if i + 4 < l.len()
                    && l[i + 1] == " "
                    && l[i + 3] == " "
                    && l[i + 2].eq_ignore_ascii_case("of")
                {
                    self.ymd.push(int(&l[i + 4])?, Label::Year)?;
                    i += 4;
                }
            } else if let Some(ap) = ampm(t) {
                match self.hour {
                    None => return Err("AM or PM without an hour".into()),
                    Some(h) if h > 12 => return Err("hour beyond a 12-hour clock".into()),
                    Some(h) => self.hour = Some(adjust_ampm(h, ap)),
                }
            } else if self.hour.is_some()
                && self.tzname.is_none()
                && self.offset.is_none()
                && t.chars().count() <= 5
                && (t.chars().all(|c| c.is_ascii_uppercase()) || is_utc(t))
            {
                self.offset = is_utc(t).then_some(0);
                self.tzname = Some(t.to_string());
                if matches!(l.get(i + 1).map(String::as_str), Some("+" | "-")) {
                    self.flip_sign = true;
                    self.offset = None;
                    if is_utc(t) {
                        self.tzname = None;
                    }
                }
            } else if self.hour.is_some() && (t == "+" || t == "-") {
                let sign = if (t == "+") != self.flip_sign { 1 } else { -1 };
                let n = l.get(i + 1).map_or("", String::as_str);
                let (h, m) = if n.chars().count() == 4 {
                    int(n)?;
                    (int(&n[..2])?, int(&n[2..])?)
                } else if l.get(i + 2).is_some_and(|c| c == ":") {
                    let m = int(l.get(i + 3).map_or("", String::as_str))?;
                    i += 2;
                    (int(n)?, m)
                } else if n.chars().count() <= 2 {
                    (int(n)?, 0)
                } else {
                    return Err(format!("bad zone offset {n:?}"));
                };
                self.offset = Some(sign * (h * 3600 + m * 60));
                i += 1;
            } else if !is_jump(t) {
                return Err(format!("unknown word {t:?}"));
            }
            i += 1;
        }
        Ok(())
    }

    /// dateutil's `_parse_numeric_token`; returns the index of the last
    /// token used.
    fn numeric(&mut self, l: &[String], idx: usize) -> Result<usize, String> {
        let s = l[idx].as_str();
        let next = l.get(idx + 1).map(String::as_str);
        let digits = s.len();
        let point = s.find('.');
        if self.ymd.values.len() == 3
            && (digits == 2 || digits == 4)
            && self.hour.is_none()
            && next.is_none_or(|n| n != ":" && hms(n).is_none())
        {
            self.hour = Some(int(&s[..2])?);
            if digits == 4 {
                self.minute = Some(int(&s[2..])?);
            }
        } else if digits == 6 || (digits > 6 && point == Some(6)) {
            if self.ymd.values.is_empty() && point.is_none() {
                for part in [&s[..2], &s[2..4], &s[4..]] {
                    self.ymd.push_text(part)?;
                }
            } else {
                self.hour = Some(int(&s[..2])?);
                self.minute = Some(int(&s[2..4])?);
                self.set_seconds(&s[4..])?;
            }
        } else if point.is_none() && matches!(digits, 8 | 12 | 14) {
            self.ymd.push(int(&s[..4])?, Label::Year)?;
            self.ymd.push_text(&s[4..6])?;
            self.ymd.push_text(&s[6..8])?;
            if digits > 8 {
                self.hour = Some(int(&s[8..10])?);
                self.minute = Some(int(&s[10..12])?);
                if digits > 12 {
                    self.second = Some(int(&s[12..])?);
                }
            }
        } else if let Some(at) = find_hms(l, idx) {
            let unit = if at > idx {
                hms(&l[at]).unwrap_or(0)
            } else {
                hms(&l[at]).unwrap_or(0) + 1
            };
            match unit {
                0 => {
                    let (h, fraction) = decimal(s)?;
                    self.hour = Some(h);
                    if let Some(m) = sixtieths(fraction) {
                        self.minute = Some(m);
                    }
                }
                1 => self.set_minutes(s)?,
                2 => self.set_seconds(s)?,
                _ => {}
            }
            return Ok(idx.max(at));
        } else if idx + 2 < l.len() && next == Some(":") {
            self.hour = Some(decimal(s)?.0);
            self.set_minutes(&l[idx + 2])?;
            if idx + 4 < l.len() && l[idx + 3] == ":" {
                self.set_seconds(&l[idx + 4])?;
                return Ok(idx + 4);
            }
            return Ok(idx + 2);
        } else if let Some(sep @ ("-" | "/" | ".")) = next {
            self.ymd.push_text(s)?;
            let mut last = idx + 1;
            if let Some(second) = l.get(idx + 2).filter(|t| !is_jump(t)) {
                match month(second) {
                    Some(m) if !is_number(second) => self.ymd.push(m, Label::Month)?,
                    _ => self.ymd.push_text(second)?,
                }
                last = idx + 2;
                if l.get(idx + 3).is_some_and(|t| t == sep) {
                    let third = l.get(idx + 4).map_or("", String::as_str);
                    match month(third) {
                        Some(m) => self.ymd.push(m, Label::Month)?,
                        None => self.ymd.push_text(third)?,
                    }
                    last = idx + 4;
                }
            }
            return Ok(last);
        } else if next.is_none_or(is_jump) {
            if let Some(ap) = l.get(idx + 2).and_then(|t| ampm(t)) {
                self.hour = Some(adjust_ampm(int(s)?, ap));
                return Ok(idx + 2);
            }
            self.ymd.push_text(s)?;
        } else if let Some(ap) = next.and_then(ampm) {
            let h = int(s)?;
            if h >= 24 {
                return Err(format!("{s} is not an hour"));
            }
            self.hour = Some(adjust_ampm(h, ap));
            return Ok(idx + 1);
        } else if self.ymd.could_be_day(int(s)?) {
            self.ymd.push_text(s)?;
        } else {
            return Err(format!("{s:?} fits nowhere"));
        }
        Ok(idx)
    }

    /// Minutes `MM[.fff]`: a fraction gives the seconds (as sixtieths),
    /// and without one the seconds are unset again, as dateutil does.
    fn set_minutes(&mut self, t: &str) -> Result<(), String> {
        let (m, fraction) = decimal(t)?;
        self.minute = Some(m);
        self.second = sixtieths(fraction);
        Ok(())
    }

    fn set_seconds(&mut self, t: &str) -> Result<(), String> {
        let (s, us) = seconds(t)?;
        self.second = Some(s);
        self.micros = Some(us);
        Ok(())
    }

    /// dateutil's result building: two-digit years put within 50 years
    /// of today's, missing date parts taken from today (a day past the
    /// month's end becomes its last day), a weekday without a day moving
    /// forward to that weekday, then `datetime(...)` checks and the offset.
    fn finish(self, today: Option<Date>) -> Result<Stamp, String> {
        let [year, month, day] = self.ymd.resolve()?;
        let fields = [
            self.hour,
            self.minute,
            self.second,
            self.micros,
            self.weekday,
        ];
        if year.is_none()
            && month.is_none()
            && day.is_none()
            && fields.iter().all(Option::is_none)
            && self.tzname.is_none()
            && self.offset.is_none()
        {
            return Err("no date or time in it".into());
        }
        let short_year = year.is_some_and(|y| y < 100) && !self.ymd.century;
        let today = match today {
            Some(t) => t,
            None if short_year => {
                return Err(
                    "two-digit year, whose century dateutil picks from today's date, \
                            which this render was not given"
                        .into(),
                );
            }
            None if year.is_none() || month.is_none() || day.is_none() => {
                return Err(
                    "no full date, whose missing parts dateutil takes from today's \
                            date, which this render was not given"
                        .into(),
                );
            }
            None => Date::MIN,
        };
        let year = match year {
            Some(y) if short_year => {
                let y = y + today.year / 100 * 100;
                if y >= today.year + 50 {
                    y - 100
                } else if y < today.year - 50 {
                    y + 100
                } else {
                    y
                }
            }
            Some(y) => y,
            None => today.year,
        };
        if !(1..=9999).contains(&year) {
            return Err(format!("year {year} is out of range"));
        }
        let month = month.unwrap_or(today.month);
        if !(1..=12).contains(&month) {
            return Err("month must be in 1..12".into());
        }
        let given_day = day.is_some();
        let day = day.unwrap_or_else(|| today.day.min(days_in_month(year, month)));
        if day < 1 || day > days_in_month(year, month) {
            return Err("day is out of range for month".into());
        }
        let mut days = days_from_civil(year, month, day);
        if let Some(w) = self.weekday.filter(|_| !given_day) {
            days += (w - weekday_of(days)).rem_euclid(7);
        }
        if days > days_from_civil(9999, 12, 31) {
            return Err("year 10000 is out of range".into());
        }
        let (h, m, s) = (
            self.hour.unwrap_or(0),
            self.minute.unwrap_or(0),
            self.second.unwrap_or(0),
        );
        if h > 23 || m > 59 || s > 59 {
            return Err("hour, minute or second out of range".into());
        }
        let days = days - days_from_civil(1, 1, 1);
        let micros =
            ((days * 24 + h) * 60 + m) * 60_000_000 + s * 1_000_000 + self.micros.unwrap_or(0);
        let offset = match (self.offset, self.tzname.as_deref()) {
            (Some(_), Some(name)) if is_utc(name) => Some(0),
            (o, _) => o,
        };
        Ok(Stamp { micros, offset })
    }
}

/// dateutil's `_find_hms_idx` (with jumps allowed): where the unit word
/// of a number is, before or after it.
fn find_hms(l: &[String], idx: usize) -> Option<usize> {
    let at = |i: usize| l.get(i).and_then(|t| hms(t));
    if at(idx + 1).is_some() {
        Some(idx + 1)
    } else if l.get(idx + 1).is_some_and(|t| t == " ") && at(idx + 2).is_some() {
        Some(idx + 2)
    } else if idx > 0 && at(idx - 1).is_some() {
        Some(idx - 1)
    } else if idx > 1 && idx == l.len() - 1 && l[idx - 1] == " " && at(idx - 2).is_some() {
        Some(idx - 2)
    } else {
        None
    }
}

fn adjust_ampm(hour: i64, ampm: u8) -> i64 {
    match (hour, ampm) {
        (h, 1) if h < 12 => h + 12,
        (12, 0) => 0,
        (h, _) => h,
    }
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

/// Monday = 0 … Sunday = 6 of a day counted from 1970-01-01 (a Thursday).
fn weekday_of(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
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

/// The proleptic Gregorian (year, month, day) of a day counted from
/// 1970-01-01: the inverse of [`days_from_civil`]. Also zdd.py's start
/// stamp (`cli::deploy`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests;
