//! QA insights (`GET /api/insights/qa`): how the AI's calls score over
//! time, per quality-inspection item, computed by the edge with SQL over
//! D1. The query (a date range, day or week buckets, the backend's task
//! name, who placed the call, the cases' dispute kind), the answer, and the answer as CSV.

use serde::{Deserialize, Serialize};

use crate::time::{day_number, day_text};
use crate::wire::url::{encode_component, query_pairs};
use crate::FieldError;

/// Longest range, in days.
pub const MAX_DAYS: i64 = 366;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsightsQuery {
    /// First and last day, `yyyy-MM-dd` (Asia/Shanghai), both included.
    pub from: String,
    pub to: String,
    /// `day` or `week` (weeks start on Monday).
    pub bucket: String,
    /// The backend's task name (`协议确认`, `履约回访` …).
    pub task: Option<String>,
    /// Who placed the calls through the board.
    pub mediator: Option<String>,
    /// The cases' dispute kind (`DisputeType`'s wire value, `wage_arrears` …).
    pub dispute: Option<String>,
}

impl InsightsQuery {
    /// Reads `from=&to=&bucket=&task=&mediator=&dispute=`; a missing range is the 30
    /// days up to `today`. A bad value is refused naming its parameter.
    pub fn from_query(query: &str, today: &str) -> Result<Self, FieldError> {
        let mut q = InsightsQuery { from: String::new(), to: String::new(), bucket: "day".into(), task: None, mediator: None, dispute: None };
        // Absent is the default; present, a date (an empty one is no date).
        let (mut from_given, mut to_given) = (false, false);
        for (k, v) in query_pairs(query)? {
            match k {
                "from" => (q.from, from_given) = (v, true),
                "to" => (q.to, to_given) = (v, true),
                "bucket" => q.bucket = v,
                "task" => q.task = (!v.is_empty()).then_some(v),
                "mediator" => q.mediator = (!v.is_empty()).then_some(v),
                "dispute" => q.dispute = (!v.is_empty()).then_some(v),
                _ => {}
            }
        }
        let today_n = day_number(today).ok_or_else(|| FieldError::new("today", "is not a date"))?;
        if q.to.is_empty() && !to_given {
            q.to = today.to_owned();
        }
        let to = day_number(&q.to).ok_or_else(|| FieldError::new("to", "must be a date yyyy-MM-dd"))?;
        if q.from.is_empty() && !from_given {
            q.from = day_text(to.min(today_n) - 29);
        }
        let from = day_number(&q.from).ok_or_else(|| FieldError::new("from", "must be a date yyyy-MM-dd"))?;
        if from > to {
            return Err(FieldError::new("from", "must not be after to"));
        }
        if to - from + 1 > MAX_DAYS {
            return Err(FieldError::new("from", format!("the range must be at most {MAX_DAYS} days")));
        }
        if q.bucket != "day" && q.bucket != "week" {
            return Err(FieldError::new("bucket", "must be day or week"));
        }
        for (name, v) in [("task", &q.task), ("mediator", &q.mediator), ("dispute", &q.dispute)] {
            if v.as_ref().is_some_and(|v| v.chars().count() > 64) {
                return Err(FieldError::new(name, "must be at most 64 characters"));
            }
        }
        Ok(q)
    }

    pub fn to_query(&self) -> String {
        let mut out = format!("from={}&to={}&bucket={}", self.from, self.to, self.bucket);
        for (k, v) in [("task", &self.task), ("mediator", &self.mediator), ("dispute", &self.dispute)] {
            if let Some(v) = v {
                out.push_str(&format!("&{k}={}", encode_component(v)));
            }
        }
        out
    }
}

/// One bucket of a trend: its first day, the average share of the full
/// score in whole percent, and how many scores it averages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Point {
    pub bucket: String,
    pub avg: i64,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemInsight {
    pub item: String,
    /// Average share of the full score, whole percent, over the range.
    pub avg: i64,
    pub count: i64,
    /// How many scores fell in 0–19%, 20–39%, 40–59%, 60–79%, 80–100%.
    pub distribution: Vec<i64>,
    pub series: Vec<Point>,
}

impl ItemInsight {
    /// Last bucket's average minus the first's (None with fewer than two buckets).
    pub fn change(&self) -> Option<i64> {
        trend_change(&self.series)
    }
}

pub fn trend_change(series: &[Point]) -> Option<i64> {
    match (series.first(), series.last()) {
        (Some(a), Some(b)) if series.len() > 1 => Some(b.avg - a.avg),
        _ => None,
    }
}

/// A QA item a low-scoring call lost points on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub item: String,
    pub score: String,
    pub full_score: String,
    pub problem: Option<String>,
    pub suggestion: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LowCall {
    pub job_id: Option<String>,
    pub case_id: Option<String>,
    pub day: String,
    pub percent: i64,
    pub score: String,
    pub full_score: String,
    pub problems: Vec<Problem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagCount {
    pub tag: String,
    pub value: String,
    pub count: i64,
}

/// `GET /api/insights/qa` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QaInsights {
    pub query: InsightsQuery,
    /// Each call's QA total as a share of its full total.
    pub total: ItemInsight,
    pub items: Vec<ItemInsight>,
    /// The ten lowest-scoring calls, lowest first.
    pub lowest: Vec<LowCall>,
    /// Summary enum-tag values and how many calls had each.
    pub tags: Vec<TagCount>,
    /// The task names seen, for the filter.
    pub tasks: Vec<String>,
}

/// Rows as CSV (RFC 4180: fields with a comma, quote or line break are
/// quoted, quotes doubled; CRLF line ends), with a BOM so spreadsheet
/// programs read the Chinese as UTF-8.
pub fn csv(rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    for row in rows {
        let fields: Vec<String> = row
            .iter()
            .map(|f| {
                // A leading =, +, - or @ is written as text, not run as a formula.
                // (A signed whole number such as +60 or -12 is a number.)
                let digits = f.get(1..).unwrap_or_default();
                let signed_number = f.starts_with(['+', '-']) && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
                let f = if f.starts_with(['=', '+', '-', '@']) && !signed_number { format!("'{f}") } else { f.clone() };
                if f.contains([',', '"', '\n', '\r']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f
                }
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_defaults_to_thirty_days_and_refuses_by_parameter() {
        let q = InsightsQuery::from_query("", "2026-12-01").unwrap();
        assert_eq!((q.from.as_str(), q.to.as_str(), q.bucket.as_str()), ("2026-11-02", "2026-12-01", "day"));
        let q = InsightsQuery::from_query("?from=2026-11-01&to=2026-11-30&bucket=week&task=%E5%B1%A5%E7%BA%A6%E5%9B%9E%E8%AE%BF&mediator=zhangmin&dispute=wage_arrears", "2026-12-01").unwrap();
        assert_eq!((q.task.as_deref(), q.mediator.as_deref(), q.dispute.as_deref(), q.bucket.as_str()), (Some("履约回访"), Some("zhangmin"), Some("wage_arrears"), "week"));
        assert_eq!(InsightsQuery::from_query("dispute=", "2026-12-01").unwrap().dispute, None);
        assert_eq!(InsightsQuery::from_query(&q.to_query(), "2026-12-01").unwrap(), q);
        let field = |s: &str| InsightsQuery::from_query(s, "2026-12-01").unwrap_err().field;
        assert_eq!(field("from=2026-11-31"), "from");
        assert_eq!(field("to=tomorrow"), "to");
        assert_eq!(field("to="), "to");
        assert_eq!(field("from="), "from");
        assert_eq!(field("from=2026-12-02&to=2026-12-01"), "from");
        assert_eq!(field("from=2025-01-01&to=2026-12-01"), "from");
        assert_eq!(field("bucket=month"), "bucket");
        assert_eq!(field(&format!("task={}", "任".repeat(65))), "task");
        assert_eq!(field("mediator=%zz"), "mediator");
        assert_eq!(field(&format!("dispute={}", "x".repeat(65))), "dispute");
    }

    #[test]
    fn a_trend_is_its_last_bucket_against_its_first() {
        let p = |b: &str, avg: i64| Point { bucket: b.into(), avg, count: 1 };
        assert_eq!(trend_change(&[p("a", 60), p("b", 50), p("c", 72)]), Some(12));
        assert_eq!(trend_change(&[p("a", 60)]), None);
    }

    #[test]
    fn csv_quotes_what_needs_it_and_defuses_formulas() {
        let rows = vec![vec!["项目".to_owned(), "说明".to_owned()], vec!["开场, 规范".into(), "他说\"好\"".into()], vec!["=HYPERLINK(1)".into(), "-12".into()], vec!["+60".into(), "+SUM(A1)".into(), "-".into()]];
        assert_eq!(csv(&rows), "\u{feff}项目,说明\r\n\"开场, 规范\",\"他说\"\"好\"\"\"\r\n'=HYPERLINK(1),-12\r\n+60,'+SUM(A1),'-\r\n");
    }
}
