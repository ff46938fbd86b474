//! The whole audit trail (`GET /api/audit`, supervisors and admins): who did
//! what, filtered by user, action, case and a range of days (Asia/Shanghai),
//! newest first, a page at a time (`before` = the last id of the page before).

use crate::time::day_number;
use crate::wire::mediation::require_id;
use crate::wire::url::{encode_component, query_pairs};
use crate::FieldError;

/// Rows per page unless asked otherwise, and at most.
pub const DEFAULT_LIMIT: i64 = 200;
pub const MAX_LIMIT: i64 = 500;

/// The actions the edge writes, in the order the board offers them.
pub const ACTIONS: [&str; 13] = [
    "call",
    "update_status",
    "takeover",
    "agreement",
    "ocr",
    "note",
    "note_done",
    "reveal",
    "attention_ack",
    "assign",
    "rule_update",
    "dead_letter_replay",
    "dead_letter_discard",
];

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub action: Option<String>,
    pub case_id: Option<String>,
    /// First and last day, `yyyy-MM-dd`, both included.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Only entries with a smaller id (the next page).
    pub before: Option<i64>,
    pub limit: i64,
}

const SHANGHAI_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

impl AuditQuery {
    /// Reads `user=&action=&caseId=&from=&to=&before=&limit=`; a bad value is
    /// refused naming its parameter. Unknown parameters are ignored.
    pub fn from_query(query: &str) -> Result<Self, FieldError> {
        let mut q = AuditQuery { limit: DEFAULT_LIMIT, ..AuditQuery::default() };
        for (k, v) in query_pairs(query)? {
            let given = (!v.is_empty()).then_some(v.clone());
            match k {
                "user" => q.user = given,
                "action" => q.action = given,
                "caseId" => q.case_id = given,
                // Present, a date or a number must be one (an empty one is none).
                "from" => q.from = Some(v),
                "to" => q.to = Some(v),
                "before" => q.before = Some(v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| FieldError::new("before", "must be a positive whole number"))?),
                "limit" => {
                    q.limit = v.parse::<i64>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| FieldError::new("limit", format!("must be a whole number from 1 to {MAX_LIMIT}")))?
                }
                _ => {}
            }
        }
        if q.user.as_ref().is_some_and(|u| u.chars().count() > 64) {
            return Err(FieldError::new("user", "must be at most 64 characters"));
        }
        if q.action.as_ref().is_some_and(|a| a.len() > 64 || !a.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')) {
            return Err(FieldError::new("action", "must be an action name such as call or takeover"));
        }
        if let Some(c) = &q.case_id {
            require_id("caseId", c)?;
        }
        for (name, day) in [("from", &q.from), ("to", &q.to)] {
            if day.as_ref().is_some_and(|d| day_number(d).is_none()) {
                return Err(FieldError::new(name, "must be a date yyyy-MM-dd"));
            }
        }
        if let (Some(from), Some(to)) = (q.from.as_deref().and_then(day_number), q.to.as_deref().and_then(day_number)) {
            if from > to {
                return Err(FieldError::new("from", "must not be after to"));
            }
        }
        Ok(q)
    }

    /// Milliseconds since the epoch: the first moment of `from`, and the
    /// first moment after `to` (Asia/Shanghai days).
    pub fn range_ms(&self) -> (Option<i64>, Option<i64>) {
        let start = |d: &str| day_number(d).map(|n| n * DAY_MS - SHANGHAI_MS);
        (self.from.as_deref().and_then(start), self.to.as_deref().and_then(start).map(|t| t + DAY_MS))
    }

    /// The query as the board's URL and the API read it (no `before`: a page's own).
    pub fn to_query(&self) -> String {
        let mut parts = vec![];
        for (k, v) in [("user", &self.user), ("action", &self.action), ("caseId", &self.case_id), ("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v {
                parts.push(format!("{k}={}", encode_component(v)));
            }
        }
        if self.limit != DEFAULT_LIMIT {
            parts.push(format!("limit={}", self.limit));
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_every_filter_and_round_trips() {
        let q = AuditQuery::from_query("?user=wanglei&action=dead_letter_replay&caseId=C-1&from=2026-12-01&to=2026-12-06&before=90&limit=5&x=1").unwrap();
        assert_eq!(
            q,
            AuditQuery { user: Some("wanglei".into()), action: Some("dead_letter_replay".into()), case_id: Some("C-1".into()), from: Some("2026-12-01".into()), to: Some("2026-12-06".into()), before: Some(90), limit: 5 }
        );
        assert_eq!(q.to_query(), "user=wanglei&action=dead_letter_replay&caseId=C-1&from=2026-12-01&to=2026-12-06&limit=5");
        assert_eq!(AuditQuery::from_query(&q.to_query()).unwrap(), AuditQuery { before: None, ..q });
        assert_eq!(AuditQuery::from_query("").unwrap(), AuditQuery { limit: 200, ..AuditQuery::default() });
        assert_eq!(AuditQuery::from_query("user=%E7%8E%8B%E7%A3%8A&action=").unwrap().user.as_deref(), Some("王磊"));
    }

    #[test]
    fn days_are_shanghai_days() {
        let q = AuditQuery::from_query("from=2026-12-06&to=2026-12-06").unwrap();
        // 2026-12-06 00:00 +08:00 is 2026-12-05 16:00 UTC.
        assert_eq!(q.range_ms(), (Some(1_796_486_400_000), Some(1_796_572_800_000)));
        assert_eq!(crate::time::format_shanghai(1_796_486_400_000), "2026-12-06 00:00:00");
        assert_eq!(AuditQuery::default().range_ms(), (None, None));
    }

    #[test]
    fn bad_values_are_refused_by_parameter() {
        let field = |s: &str| AuditQuery::from_query(s).unwrap_err().field;
        assert_eq!(field("limit=0"), "limit");
        assert_eq!(field("limit=501"), "limit");
        assert_eq!(field("limit=x"), "limit");
        assert_eq!(field("before=-3"), "before");
        assert_eq!(field("from=2026-02-30"), "from");
        assert_eq!(field("to=today"), "to");
        assert_eq!(field("from=2026-12-02&to=2026-12-01"), "from");
        assert_eq!(field("action=Call"), "action");
        assert_eq!(field("caseId=a%20b"), "caseId");
        assert_eq!(field(&format!("user={}", "u".repeat(65))), "user");
        assert_eq!(field("user=%zz"), "user");
        assert_eq!(field("to="), "to");
        assert_eq!(field("before="), "before");
        assert_eq!(field("limit="), "limit");
        assert_eq!(AuditQuery::from_query("user=&action=&caseId=").unwrap(), AuditQuery::from_query("").unwrap());
    }
}
