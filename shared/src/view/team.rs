//! The team view a supervisor reads beside the queue: per mediator who holds
//! cases (took them over, or was assigned them), how many cases, how many of
//! those cases' latest calls started today and how many of them connected,
//! and how many open attention entries their cases have. Computed from the
//! board rows and the queue the supervisor already has, not asked for again.

use crate::wire::attention::AttentionEntry;
use crate::wire::mediation::{BoardRecord, StatusCategory};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamRow {
    pub mediator: String,
    pub cases: i64,
    /// Cases whose latest call started today (`start_time` on `today`, yyyy-MM-dd).
    pub called_today: i64,
    pub connected_today: i64,
    /// Open attention entries of the mediator's cases.
    pub attention: i64,
}

impl TeamRow {
    /// Share of today's calls that connected, whole percent (None without calls).
    pub fn connected_share(&self) -> Option<i64> {
        (self.called_today > 0).then(|| (self.connected_today * 100 + self.called_today / 2) / self.called_today)
    }
}

/// One row per mediator, most cases first (then by name). A case is the
/// holder's (`takeover_user`), else its assignee's in the queue.
pub fn team_rows(records: &[BoardRecord], entries: &[AttentionEntry], today: &str) -> Vec<TeamRow> {
    use std::collections::BTreeMap;
    // Looked up per row and per entry: maps, not scans (10,000 rows, 200 entries).
    let mut assignee_of: BTreeMap<&str, &str> = BTreeMap::new();
    for e in entries {
        if let (Some(c), Some(a)) = (e.case_id.as_deref(), e.assignee.as_deref()) {
            assignee_of.entry(c).or_insert(a);
        }
    }
    let mut rows: Vec<TeamRow> = vec![];
    let mut row_of: BTreeMap<String, usize> = BTreeMap::new();
    let mut holder_of: BTreeMap<&str, usize> = BTreeMap::new();
    for r in records {
        let holder = r.takeover_user.as_deref().filter(|u| !u.is_empty()).or_else(|| assignee_of.get(r.case_id.as_str()).copied());
        let Some(who) = holder else { continue };
        let i = *row_of.entry(who.to_owned()).or_insert_with(|| {
            rows.push(TeamRow { mediator: who.to_owned(), cases: 0, called_today: 0, connected_today: 0, attention: 0 });
            rows.len() - 1
        });
        holder_of.insert(r.case_id.as_str(), i);
        let row = &mut rows[i];
        row.cases += 1;
        if !today.is_empty() && r.start_time.starts_with(today) {
            row.called_today += 1;
            if r.call_status.as_ref().is_some_and(|s| s.category() == StatusCategory::Connected) {
                row.connected_today += 1;
            }
        }
    }
    for e in entries.iter().filter(|e| e.acked_at.is_none()) {
        let by_case = e.case_id.as_deref().and_then(|c| holder_of.get(c).copied());
        if let Some(i) = by_case.or_else(|| e.assignee.as_ref().and_then(|a| row_of.get(a).copied())) {
            rows[i].attention += 1;
        }
    }
    rows.sort_by(|a, b| b.cases.cmp(&a.cases).then_with(|| a.mediator.cmp(&b.mediator)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::attention::{Evidence, Severity};
    use crate::wire::mediation::CallStatus;

    fn case(id: &str, holder: Option<&str>, start: &str, status: Option<CallStatus>) -> BoardRecord {
        BoardRecord { case_id: id.into(), takeover_user: holder.map(str::to_owned), start_time: start.into(), call_status: status, ..Default::default() }
    }

    fn entry(case_id: &str, assignee: Option<&str>, acked: bool) -> AttentionEntry {
        AttentionEntry {
            id: 1,
            case_id: Some(case_id.into()),
            job_id: None,
            rule_id: "x".into(),
            rule_name: "x".into(),
            severity: Severity::High,
            evidence: Evidence::default(),
            created_at: 0,
            assignee: assignee.map(str::to_owned),
            assigned_by: None,
            acked_by: None,
            acked_at: acked.then_some(1),
            ack_note: None,
        }
    }

    #[test]
    fn each_mediator_s_cases_calls_today_and_open_entries() {
        let today = "2026-12-01";
        let records = [
            case("C1", Some("zhangmin"), "2026-12-01 09:00:00", Some(CallStatus::SucceededFinish)),
            case("C2", Some("zhangmin"), "2026-12-01 10:00:00", Some(CallStatus::NoAnswer)),
            case("C3", Some("zhangmin"), "2026-11-30 10:00:00", Some(CallStatus::Succeeded)),
            case("C4", None, "2026-12-01 11:00:00", Some(CallStatus::Succeeded)),
            case("C5", None, "2026-12-01 11:00:00", Some(CallStatus::Executing)),
            case("C6", Some(""), "", None),
        ];
        let entries = [entry("C1", None, false), entry("C1", None, true), entry("C4", Some("lihua"), false), entry("C9", Some("lihua"), false)];
        let rows = team_rows(&records, &entries, today);
        assert_eq!(
            rows,
            [
                TeamRow { mediator: "zhangmin".into(), cases: 3, called_today: 2, connected_today: 1, attention: 1 },
                TeamRow { mediator: "lihua".into(), cases: 1, called_today: 1, connected_today: 1, attention: 2 },
            ]
        );
        assert_eq!((rows[0].connected_share(), rows[1].connected_share()), (Some(50), Some(100)));
        let idle = TeamRow { mediator: "x".into(), cases: 1, called_today: 0, connected_today: 0, attention: 0 };
        assert_eq!(idle.connected_share(), None);
        assert!(team_rows(&records, &[], "").iter().all(|r| r.called_today == 0));
    }
}
