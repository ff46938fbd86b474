//! Calendar arithmetic without a time-zone database: Clink's UTC
//! `Timestamp` and the mediation backend's Asia/Shanghai local times
//! (UTC+8 all year; China has no daylight saving time).

/// Asia/Shanghai's offset from UTC, in seconds.
pub const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;

/// Formats seconds since the Unix epoch as `yyyy-MM-ddTHH:mm:ssZ` (UTC).
pub fn format_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60);
    }
    // Written digit by digit: this runs on every signed request.
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for i in (0..width).rev() {
            b[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m);
    put(8, 2, d);
    put(11, 2, secs / 3600);
    put(14, 2, secs % 3600 / 60);
    put(17, 2, secs % 60);
    String::from_utf8(b.to_vec()).expect("ASCII digits")
}

/// Parses `yyyy-MM-ddTHH:mm:ssZ` back into seconds since the epoch.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    parse_fields(&text[..19])
}

/// Formats milliseconds since the epoch as Asia/Shanghai `yyyy-MM-dd HH:mm:ss`.
pub fn format_shanghai(unix_ms: i64) -> String {
    let secs = unix_ms.div_euclid(1000) + SHANGHAI_OFFSET_SECS;
    let mut s = format_timestamp(secs);
    s.truncate(19);
    s.replace_range(10..11, " ");
    s
}

/// `HH:mm:ss` of an instant, Asia/Shanghai.
pub fn format_shanghai_time(unix_ms: i64) -> String {
    format_shanghai(unix_ms)[11..].to_owned()
}

/// Parses Asia/Shanghai `yyyy-MM-dd HH:mm:ss` into milliseconds since the epoch.
pub fn parse_shanghai(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 19 || b[10] != b' ' {
        return None;
    }
    Some((parse_fields(text)? - SHANGHAI_OFFSET_SECS) * 1000)
}

/// `yyyy-MM-dd?HH:mm:ss` (any separator at 10) into seconds, as if UTC.
fn parse_fields(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = &text[range];
        if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Days since 1970-01-01 of a `yyyy-MM-dd` naming a real day.
pub fn day_number(day: &str) -> Option<i64> {
    let b = day.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| day[r].bytes().try_fold(0i64, |n, c| c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0')));
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `yyyy-MM-dd` of a day counted from 1970-01-01 (the inverse of [`day_number`]).
pub fn day_text(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

// Howard Hinnant's days-from-civil algorithms (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `m:ss`, or `h:mm:ss` from an hour.
pub fn duration(secs: u32) -> String {
    let mut out = String::with_capacity(8);
    push_duration(secs, &mut out);
    out
}

/// [`duration`], written digit by digit (it runs for every turn of a call).
pub fn push_duration(secs: u32, out: &mut String) {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let two = |v: u32, out: &mut String| {
        out.push(char::from(b'0' + (v / 10) as u8));
        out.push(char::from(b'0' + (v % 10) as u8));
    };
    if h > 0 {
        out.push_str(&h.to_string());
        out.push(':');
        two(m, out);
    } else if m >= 10 {
        two(m, out);
    } else {
        out.push(char::from(b'0' + m as u8));
    }
    out.push(':');
    two(s, out);
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations() {
        assert_eq!(duration(0), "0:00");
        assert_eq!(duration(65), "1:05");
        assert_eq!(duration(3_725), "1:02:05");
        assert_eq!(duration(600), "10:00");
        assert_eq!(duration(3_599), "59:59");
        assert_eq!(duration(36_000), "10:00:00");
    }

    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_539_339_492), "2018-10-12T10:18:12Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(parse_timestamp("2018-10-12T10:18:12Z"), Some(1_539_339_492));
        assert_eq!(parse_timestamp("2018-02-30T10:18:12Z"), None);
        assert_eq!(parse_timestamp("2018-10-12 10:18:12"), None);
        assert_eq!(format_shanghai(1_539_339_492_000), "2018-10-12 18:18:12");
        assert_eq!(parse_shanghai("2018-10-12 18:18:12"), Some(1_539_339_492_000));
        assert_eq!(format_shanghai_time(1_539_339_492_999), "18:18:12");
        assert_eq!(parse_shanghai("2018-10-12T18:18:12"), None);
    }

    #[test]
    fn days_count_from_the_epoch_and_back() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-12-01"), Some(20_788));
        assert_eq!(day_number("2024-02-29"), Some(19_782));
        for bad in ["2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "２０２６-01-01", "2026/01/01", ""] {
            assert_eq!(day_number(bad), None, "{bad}");
        }
        for d in ["1999-12-31", "2000-02-29", "2026-03-01", "2100-03-01"] {
            assert_eq!(day_text(day_number(d).unwrap()), d);
        }
    }
}
