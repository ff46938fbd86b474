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
