//! A case's follow-ups: the team's notes on a case, each optionally a
//! reminder for a day ("3月16日 核实是否收到第二期 14160 元"), kept by the
//! edge in D1. What the board sends, what it gets back, and the rules on input.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Longest note, in characters.
pub const MAX_TEXT: usize = 1000;

/// One note on a case; with `dueDate`, a reminder for that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseNote {
    pub id: i64,
    pub case_id: String,
    /// Who wrote it (the token's user).
    pub author: String,
    pub text: String,
    /// `yyyy-MM-dd`, Asia/Shanghai.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// When it was marked done, ms since the epoch, and by whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    /// ms since the epoch.
    pub created_at: i64,
}

/// `POST /api/cases/{caseId}/notes` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCaseNote {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
}

impl NewCaseNote {
    /// The text trimmed, 1 to [`MAX_TEXT`] characters; the date a real day.
    pub fn validate(&self) -> Result<(), FieldError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(FieldError::new("text", "must not be empty"));
        }
        if text.chars().count() > MAX_TEXT {
            return Err(FieldError::new("text", format!("must be at most {MAX_TEXT} characters")));
        }
        if let Some(d) = &self.due_date {
            check_date(d).map_err(|why| FieldError::new("dueDate", why))?;
        }
        Ok(())
    }
}

/// `GET /api/cases/{caseId}/notes` answer, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseNotes {
    pub notes: Vec<CaseNote>,
}

/// `GET /api/reminders?due=` answer: reminders not done, due on or before the day, soonest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminders {
    pub due: String,
    pub reminders: Vec<CaseNote>,
}

/// `yyyy-MM-dd` naming a real day (years 2000 to 2099).
pub fn check_date(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) || !digits(8..10) {
        return Err("must be a date written yyyy-MM-dd");
    }
    let num = |r: std::ops::Range<usize>| text[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    if !(2000..=2099).contains(&y) {
        return Err("must be a year from 2000 to 2099");
    }
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 => 29,
        2 => 28,
        _ => return Err("must have a month from 01 to 12"),
    };
    if d == 0 || d > days {
        return Err("must be a day of that month");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_need_text_and_a_real_day() {
        let note = |text: &str, due: Option<&str>| NewCaseNote { text: text.into(), due_date: due.map(str::to_owned) };
        assert_eq!(note("核实是否收到第二期 14160 元", Some("2026-03-16")).validate(), Ok(()));
        assert_eq!(note("无日期的备注", None).validate(), Ok(()));
        let field = |n: NewCaseNote| n.validate().unwrap_err().field;
        assert_eq!(field(note("  ", None)), "text");
        assert_eq!(field(note(&"长".repeat(1001), None)), "text");
        assert_eq!(note(&"长".repeat(1000), None).validate(), Ok(()));
        for bad in ["2026-3-16", "2026/03/16", "2026-02-30", "2026-13-01", "2025-02-29", "1999-01-01", "明天", ""] {
            assert_eq!(field(note("x", Some(bad))), "dueDate", "{bad}");
        }
        assert_eq!(note("x", Some("2028-02-29")).validate(), Ok(()));
    }
}

/// A reminder the board offers from an agreement's instalments: the day a
/// payment is due, and what to check then.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedReminder {
    /// `yyyy-MM-dd`.
    pub due_date: String,
    pub text: String,
}

/// The agreement as the edge answers it: the backend's result
/// (`agreeId`, `agreeContent`) and the reminders its instalment dates
/// suggest. Its fields written out rather than `#[serde(flatten)]`: a
/// flattened field is decoded through serde's buffering, which cost the
/// app's bundle 6 KB gzipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementView {
    pub agree_id: String,
    pub agree_content: String,
    #[serde(default)]
    pub suggested_reminders: Vec<SuggestedReminder>,
}

/// The instalments an agreement's text names — a day ("2026年2月6日前",
/// "3月6日前": the year of the date before it, or `default_year`) followed
/// closely by an amount ("支付1500元", "2500元") — as reminders to check that
/// the money arrived, in the order of the text, each (day, amount) once.
pub fn suggested_reminders(text: &str, default_year: u32) -> Vec<SuggestedReminder> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<SuggestedReminder> = vec![];
    let mut year = default_year;
    let mut last_month = 0;
    let mut i = 0;
    while i < chars.len() {
        let Some((y, m, d, end)) = date_at(&chars, i) else {
            i += 1;
            continue;
        };
        match y {
            Some(y) => year = y,
            // A month earlier than the one before it is in the next year.
            None if m < last_month => year += 1,
            None => {}
        }
        last_month = m;
        i = end;
        // "前" then, within a few characters, an amount in 元.
        if chars.get(end) != Some(&'前') {
            continue;
        }
        if let Some(amount) = amount_after(&chars, end + 1) {
            let due_date = format!("{year:04}-{m:02}-{d:02}");
            if check_date(&due_date).is_ok() && !out.iter().any(|r| r.due_date == due_date && r.text.contains(&format!(" {amount} 元"))) {
                out.push(SuggestedReminder { due_date, text: format!("核实是否收到 {amount} 元({m}月{d}日前应付)") });
            }
        }
    }
    out
}

fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut n: u32 = 0;
    while j < chars.len() && chars[j].is_ascii_digit() && j - i < 6 {
        n = n * 10 + chars[j].to_digit(10)?;
        j += 1;
    }
    (j > i).then_some((n, j))
}

/// `[YYYY年]M月D日` at `i` (not inside a longer number).
fn date_at(chars: &[char], i: usize) -> Option<(Option<u32>, u32, u32, usize)> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let (first, j) = number_at(chars, i)?;
    let (year, m, j) = if chars.get(j) == Some(&'年') {
        let (m, k) = number_at(chars, j + 1)?;
        (Some(first), m, k)
    } else {
        (None, first, j)
    };
    if chars.get(j) != Some(&'月') || !(1..=12).contains(&m) {
        return None;
    }
    let (d, k) = number_at(chars, j + 1)?;
    if !matches!(chars.get(k), Some('日' | '号')) || !(1..=31).contains(&d) {
        return None;
    }
    if year.is_some_and(|y| !(2000..=2099).contains(&y)) {
        return None;
    }
    Some((year, m, d, k + 1))
}

/// The first "N元" within 10 characters of `i`, before the next day or sentence end.
fn amount_after(chars: &[char], i: usize) -> Option<String> {
    let mut j = i;
    while j < chars.len() && j - i <= 10 {
        let c = chars[j];
        if matches!(c, '。' | ';' | '\u{FF1B}' | ',' | '\u{FF0C}' | '\n') || date_at(chars, j).is_some() {
            return None;
        }
        if c.is_ascii_digit() && (j == 0 || !chars[j - 1].is_ascii_digit()) {
            let mut k = j;
            while k < chars.len() && (chars[k].is_ascii_digit() || chars[k] == '.') {
                k += 1;
            }
            if chars.get(k) == Some(&'元') {
                return Some(chars[j..k].iter().collect());
            }
            j = k;
            continue;
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;

    fn days(text: &str, year: u32) -> Vec<(String, String)> {
        suggested_reminders(text, year).into_iter().map(|r| (r.due_date, r.text)).collect()
    }

    #[test]
    fn instalments_with_and_without_their_year() {
        // The spec's example: no year in the text.
        let spec = "1. **分期支付**:6月26日前支付1500元,7月26日前支付1500元,8月26日前支付742元。";
        assert_eq!(
            days(spec, 2025),
            vec![
                ("2025-06-26".into(), "核实是否收到 1500 元(6月26日前应付)".into()),
                ("2025-07-26".into(), "核实是否收到 1500 元(7月26日前应付)".into()),
                ("2025-08-26".into(), "核实是否收到 742 元(8月26日前应付)".into()),
            ]
        );
        // The sandbox's agreement: the first date has the year, the next ones follow it.
        let seed = "胡龙光分三期支付:2026年2月6日前支付1500元;2026年3月6日前支付1500元;2026年4月6日前支付742元。";
        assert_eq!(days(seed, 2030).iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(), ["2026-02-06", "2026-03-06", "2026-04-06"]);
        let short = "2026年2月5日前2500元\u{FF0C}2月20日前2500元\u{FF0C}2月28日前2500元";
        assert_eq!(days(short, 2030).len(), 3);
        // December then January: the next year.
        let over = "2026年12月20日前支付1000元,1月20日前支付1000元";
        assert_eq!(days(over, 2026).iter().map(|(d, _)| d.as_str()).collect::<Vec<_>>(), ["2026-12-20", "2027-01-20"]);
    }

    #[test]
    fn dates_without_a_payment_suggest_nothing() {
        assert!(days("袁斌于2026年2月20日前修剪越过院墙的香樟树枝", 2026).is_empty());
        assert!(days("刘树杰2025年12月工资共计人民币3742元", 2026).is_empty());
        assert!(days("2026年2月30日前支付100元", 2026).is_empty(), "not a day");
        assert!(days("", 2026).is_empty());
        // The same instalment named twice is one reminder.
        assert_eq!(days("3月6日前支付1500元。再次确认:3月6日前支付1500元", 2026).len(), 1);
    }
}
