//! Tests of the dateutil-compatible parse and of the ordering marathon-lb
//! compares with.

use super::*;

fn stamp(f: [i64; 7], offset: Option<i64>) -> Stamp {
    let [y, mo, d, h, mi, s, us] = f;
    let days = days_from_civil(y, mo, d) - days_from_civil(1, 1, 1);
    Stamp {
        micros: ((days * 24 + h) * 60 + mi) * 60_000_000 + s * 1_000_000 + us,
        offset,
    }
}

/// Each text reads as its fields and offset on the day `today`.
fn assert_reads(cases: &[(&str, [i64; 7], Option<i64>)], today: Option<Date>) {
    for &(text, fields, offset) in cases {
        assert_eq!(
            Stamp::parse(text, today),
            Ok(stamp(fields, offset)),
            "{text:?}"
        );
    }
}

/// dateutil's documented examples (parser docs, "examples") and the
/// label forms of issue 12; expected fields are what
/// `dateutil.parser.parse` 2.9 returns for each (checked against it).
#[test]
fn reads_what_dateutil_reads() {
    let cases: [(&str, [i64; 7], Option<i64>); 57] = [
        (
            "Thu Sep 25 10:36:28 2003",
            [2003, 9, 25, 10, 36, 28, 0],
            None,
        ),
        ("2003-09-25T10:49:41", [2003, 9, 25, 10, 49, 41, 0], None),
        ("2003-09-25T10:49", [2003, 9, 25, 10, 49, 0, 0], None),
        ("2003-09-25T10", [2003, 9, 25, 10, 0, 0, 0], None),
        ("20030925T104941", [2003, 9, 25, 10, 49, 41, 0], None),
        ("20030925T1049", [2003, 9, 25, 10, 49, 0, 0], None),
        ("20030925T10", [2003, 9, 25, 10, 0, 0, 0], None),
        ("20030925", [2003, 9, 25, 0, 0, 0, 0], None),
        (
            "2003-09-25 10:49:41,502",
            [2003, 9, 25, 10, 49, 41, 502000],
            None,
        ),
        ("199709020908", [1997, 9, 2, 9, 8, 0, 0], None),
        ("19970902090807", [1997, 9, 2, 9, 8, 7, 0], None),
        ("09-25-2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("25-09-2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("10-09-2003", [2003, 10, 9, 0, 0, 0, 0], None),
        ("2003.09.25", [2003, 9, 25, 0, 0, 0, 0], None),
        ("09.25.2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("25.09.2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("10.09.2003", [2003, 10, 9, 0, 0, 0, 0], None),
        ("2003/09/25", [2003, 9, 25, 0, 0, 0, 0], None),
        ("09/25/2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("25/09/2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("10/09/2003", [2003, 10, 9, 0, 0, 0, 0], None),
        ("2003 09 25", [2003, 9, 25, 0, 0, 0, 0], None),
        ("09 25 2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("25 09 2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("10 09 2003", [2003, 10, 9, 0, 0, 0, 0], None),
        ("25 Sep 2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("Sep 25 2003", [2003, 9, 25, 0, 0, 0, 0], None),
        ("3rd of May 2001", [2001, 5, 3, 0, 0, 0, 0], None),
        ("5th of March 2001", [2001, 3, 5, 0, 0, 0, 0], None),
        ("1st of May 2003", [2003, 5, 1, 0, 0, 0, 0], None),
        ("July 4, 1976 12:01:02 am", [1976, 7, 4, 0, 1, 2, 0], None),
        ("1996.July.10 AD 12:08 PM", [1996, 7, 10, 12, 8, 0, 0], None),
        ("July 4, 1976", [1976, 7, 4, 0, 0, 0, 0], None),
        ("7 4 1976", [1976, 7, 4, 0, 0, 0, 0], None),
        ("4 jul 1976", [1976, 7, 4, 0, 0, 0, 0], None),
        ("19760704", [1976, 7, 4, 0, 0, 0, 0], None),
        ("0:01:02 on July 4, 1976", [1976, 7, 4, 0, 1, 2, 0], None),
        ("Mon Jan  2 04:24:27 1995", [1995, 1, 2, 4, 24, 27, 0], None),
        (
            "Jan 1 1999 11:23:34.578",
            [1999, 1, 1, 11, 23, 34, 578000],
            None,
        ),
        ("2019/06/02 10:00", [2019, 6, 2, 10, 0, 0, 0], None),
        ("June 2, 2019 10:00", [2019, 6, 2, 10, 0, 0, 0], None),
        ("2 jun 2019 5pm", [2019, 6, 2, 17, 0, 0, 0], None),
        (
            "2019-06-02T10:00:00.123456789Z",
            [2019, 6, 2, 10, 0, 0, 123456],
            Some(0),
        ),
        (
            "2019-06-02 10:00 +0200",
            [2019, 6, 2, 10, 0, 0, 0],
            Some(7200),
        ),
        (
            "2019-06-02 10:00 -03:30",
            [2019, 6, 2, 10, 0, 0, 0],
            Some(-12600),
        ),
        (
            "2019-06-02 10:00 GMT+3",
            [2019, 6, 2, 10, 0, 0, 0],
            Some(-10800),
        ),
        ("2019-06-02 10:00 UTC", [2019, 6, 2, 10, 0, 0, 0], Some(0)),
        ("2019-06-02 10:00 EST", [2019, 6, 2, 10, 0, 0, 0], None),
        (
            "2003-09-25T10:49:41.5-03:00",
            [2003, 9, 25, 10, 49, 41, 500000],
            Some(-10800),
        ),
        (
            "2016-02-01T14:13:42.499089",
            [2016, 2, 1, 14, 13, 42, 499089],
            None,
        ),
        ("Jan-01-2019", [2019, 1, 1, 0, 0, 0, 0], None),
        ("2019-Jan-05", [2019, 1, 5, 0, 0, 0, 0], None),
        ("5-Jan-2019", [2019, 1, 5, 0, 0, 0, 0], None),
        ("2019/06/02 12:30:15 pm", [2019, 6, 2, 12, 30, 15, 0], None),
        ("2019/06/02 12 am", [2019, 6, 2, 0, 0, 0, 0], None),
        ("2003 Sep 25 10h36m28s", [2003, 9, 25, 10, 36, 28, 0], None),
    ];
    assert_reads(&cases, None);
    for (text, _, _) in cases {
        for (cut, _) in text.char_indices() {
            for tail in ["", "+", "-€x", " 99999999999999999999", ":", " pm"] {
                let _ = Stamp::parse(&format!("{}{tail}", &text[..cut]), TODAY);
            }
        }
    }
}

/// dateutil reads a fraction of an hour or a minute as sixtieths of
/// the next unit (`int(60 * (value % 1))` in `Decimal`): `5.5h` is
/// 5:30, `5.1h` 5:06, `10.999999h` 10:59, `28.5m` and `10:28.5` are
/// 28 min 30 s, `10:28.5:15` ends with 15 s, and a minute without a
/// fraction unsets the seconds (`10h 5s 3m` is 10:03:00), all as
/// `dateutil.parser.parse` 2.9 returns them.
#[test]
fn fractions_of_hours_and_minutes() {
    for (text, [h, m, s, us]) in [
        ("2019/06/02 28.5s", [0, 0, 28, 500_000]),
        ("2019/06/02 28.1234567s", [0, 0, 28, 123_456]),
        ("2019/06/02 5.5h", [5, 30, 0, 0]),
        ("2019/06/02 5.1h", [5, 6, 0, 0]),
        ("2019/06/02 10.999999h", [10, 59, 0, 0]),
        ("2019/06/02 10h 28.5m", [10, 28, 30, 0]),
        ("2019/06/02 10h28.0001m", [10, 28, 0, 0]),
        ("2019/06/02 10:28.5", [10, 28, 30, 0]),
        ("2019/06/02 10:15.25", [10, 15, 15, 0]),
        ("2019/06/02 10:28.5:15", [10, 28, 15, 0]),
        ("2019/06/02 10:28.5 pm", [22, 28, 30, 0]),
        ("2019/06/02 10.5:30", [10, 30, 0, 0]),
        ("2019/06/02 10h 5s 3m", [10, 3, 0, 0]),
        ("2019/06/02 1.5h 20m", [1, 20, 0, 0]),
    ] {
        assert_eq!(
            Stamp::parse(text, None),
            Ok(stamp([2019, 6, 2, h, m, s, us], None)),
            "{text:?}"
        );
    }
}

/// A Thursday, and the last day of a 31-day month.
const TODAY: Option<Date> = Some(Date {
    year: 2026,
    month: 12,
    day: 31,
});

/// dateutil's defaults from the clock: `parse(text,
/// default=datetime(2026, 12, 31))` with its two-digit-year window
/// around 2026 (parserinfo's year) returns these; and around 2070,
/// `19` is 2119 (2019 is more than 50 years back), `20` is 2020.
#[test]
fn takes_what_is_missing_from_today() {
    let cases: [(&str, [i64; 7], Option<i64>); 20] = [
        ("10:00", [2026, 12, 31, 10, 0, 0, 0], None),
        ("10 pm", [2026, 12, 31, 22, 0, 0, 0], None),
        ("June 2", [2026, 6, 2, 0, 0, 0, 0], None),
        // The default day 31 is past June's and September's end.
        ("June", [2026, 6, 30, 0, 0, 0, 0], None),
        ("Sep 2003", [2003, 9, 30, 0, 0, 0, 0], None),
        ("Feb 2024", [2024, 2, 29, 0, 0, 0, 0], None),
        ("2 Feb", [2026, 2, 2, 0, 0, 0, 0], None),
        ("5", [2026, 12, 5, 0, 0, 0, 0], None),
        ("99", [1999, 12, 31, 0, 0, 0, 0], None),
        ("10/09/03", [2003, 10, 9, 0, 0, 0, 0], None),
        ("Wed, July 10, 96", [1996, 7, 10, 0, 0, 0, 0], None),
        // 2076 is not below 2026 + 50, so a century back; 2075 is.
        ("June 2 76", [1976, 6, 2, 0, 0, 0, 0], None),
        ("June 2 75", [2075, 6, 2, 0, 0, 0, 0], None),
        // A weekday without a day: that weekday, today or later.
        ("Thu 10:00", [2026, 12, 31, 10, 0, 0, 0], None),
        ("Mon", [2027, 1, 4, 0, 0, 0, 0], None),
        ("Sat 10:00 +01:00", [2027, 1, 2, 10, 0, 0, 0], Some(3600)),
        ("Monday 2019/06/02", [2019, 6, 2, 0, 0, 0, 0], None),
        // On a 12-hour clock 13 stays 13 where the number takes the
        // `am`/`pm` itself (dateutil's "12 am" and "12am" branches).
        ("13 pm", [2026, 12, 31, 13, 0, 0, 0], None),
        ("13pm", [2026, 12, 31, 13, 0, 0, 0], None),
        ("30", [2026, 12, 30, 0, 0, 0, 0], None),
    ];
    assert_reads(&cases, TODAY);
    assert!(Stamp::parse("Feb 30", TODAY).is_err());
    let later = [
        ("June 2 19", [2119, 6, 2, 0, 0, 0, 0], None),
        ("06/02/19", [2119, 6, 2, 0, 0, 0, 0], None),
        ("June 2 20", [2020, 6, 2, 0, 0, 0, 0], None),
        ("Sun", [2070, 1, 19, 0, 0, 0, 0], None),
    ];
    assert_reads(&later, Date::new(2070, 1, 15));
}

/// 1970-01-01 is day 0; 2000-03-01 day 11017; 2026-12-31 day 20818;
/// 0001-01-01 day -719162; and back: every day maps to itself.
#[test]
fn dates_from_unix_days() {
    assert_eq!(Date::from_unix_days(0), Date::new(1970, 1, 1));
    assert_eq!(Date::from_unix_days(11_017), Date::new(2000, 3, 1));
    assert_eq!(Date::from_unix_days(20_818), TODAY);
    assert_eq!(Date::from_unix_days(-719_162), Date::new(1, 1, 1));
    assert_eq!(Date::from_unix_days(-719_163), None);
    assert_eq!(Date::new(2025, 2, 29), None);
    for d in (-719_162..2_932_897).step_by(997) {
        let (y, m, day) = civil_from_days(d);
        assert_eq!(days_from_civil(y, m, day), d);
    }
}

/// Where dateutil raises (whatever the day), among them an hour past
/// 12 that a later `am`/`pm` applies to (its "Invalid hour specified
/// for 12-hour clock."), and an `am`/`pm` with no hour; and where it
/// would read today's date or century and the render was given none.
#[test]
fn refuses_what_dateutil_refuses_or_takes_from_today() {
    for bad in [
        "",
        " at ",
        "yesterday",
        "2019/06/02 24:00",
        "2019/13/02",
        "2019/02/30",
        "2016-02-01Tx",
        "2019/06/02 10:00 +05:00:00",
        "2019/06/02 13 pm",
        "2019/06/02 13:00 pm",
        "13:00 pm",
        "13:30 am",
        "2019/06/02 pm",
        "2019/06/02 10.5pm",
        "2019/06/02 24 pm",
        "Feb 30",
    ] {
        assert!(Stamp::parse(bad, None).is_err(), "{bad:?}");
        assert!(Stamp::parse(bad, TODAY).is_err(), "{bad:?}");
    }
    for needs_today in [
        "10 pm",
        "June 2",
        "10:00",
        "Sep 2003",
        "10/09/03",
        "Wed, July 10, 96",
    ] {
        assert!(Stamp::parse(needs_today, None).is_err(), "{needs_today:?}");
        assert!(Stamp::parse(needs_today, TODAY).is_ok(), "{needs_today:?}");
    }
}

/// Python's `datetime` ordering: offsets count, naive and aware values
/// do not compare (TypeError).
#[test]
fn compares_as_python_datetimes() {
    let a = Stamp::parse("2016-02-01T14:13:42.499089", None).unwrap();
    let b = Stamp::parse("2016/02/01 2:13:42.5 PM", None).unwrap();
    assert_eq!(a.compare(&b), Some(Ordering::Less));
    assert_eq!(a.compare(&Stamp::MIN), Some(Ordering::Greater));
    let z = Stamp::parse("2016-02-01T14:13:42.499Z", None).unwrap();
    let plus = Stamp::parse("Feb 1 2016 15:13:42.499 +01:00", None).unwrap();
    assert_eq!(z.compare(&plus), Some(Ordering::Equal));
    assert_eq!(z.compare(&a), None);
    assert_eq!(z.compare(&Stamp::MIN), None);
}
