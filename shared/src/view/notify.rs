//! Which live events a mediator is told about: those of the cases they took
//! over. A call of theirs ended (its status became final), or the note
//! agent's results for it arrived. The app shows each as a toast, a desktop
//! notification when its tab is hidden, and an event to an embedding portal.

use crate::wire::api::{EventKind, LiveEvent};
use crate::wire::attention::AttentionEntry;
use crate::wire::followup::CaseNote;
use crate::wire::mediation::{BoardRecord, CallStatus};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    CallEnded,
    NotesArrived,
    /// A follow-up reminder of mine (I wrote it, or the case is mine) is due.
    ReminderDue,
    /// A new entry in the attention queue I see (the edge scopes it).
    Attention,
}

impl NoticeKind {
    /// As an embedding portal hears it (`notice` event's `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::CallEnded => "call_ended",
            NoticeKind::NotesArrived => "notes_arrived",
            NoticeKind::ReminderDue => "reminder_due",
            NoticeKind::Attention => "attention",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub case_id: String,
    pub case_name: String,
    /// How the call ended.
    pub status: Option<CallStatus>,
    /// What a reminder says.
    pub detail: Option<String>,
}

/// The board row an event is about: by its case, else as the case whose
/// latest call it names.
pub fn record_for<'a>(event: &LiveEvent, records: &'a [BoardRecord]) -> Option<&'a BoardRecord> {
    match (&event.case_id, &event.job_id) {
        (Some(case_id), _) => records.iter().find(|r| &r.case_id == case_id),
        (None, Some(job_id)) => records.iter().find(|r| r.job_id.as_ref() == Some(job_id)),
        (None, None) => None,
    }
}

/// What `me` is told of `event` (about `record`), if anything.
pub fn notice_for(event: &LiveEvent, record: Option<&BoardRecord>, me: &str) -> Option<Notice> {
    let record = record.filter(|r| r.takeover_user.as_deref() == Some(me))?;
    let (kind, status) = match event.kind {
        EventKind::CallStatusChanged => {
            let status = event.data.call_status.clone().filter(CallStatus::is_final)?;
            (NoticeKind::CallEnded, Some(status))
        }
        EventKind::NoteStored => (NoticeKind::NotesArrived, None),
        _ => return None,
    };
    Some(Notice { kind, case_id: record.case_id.clone(), case_name: record.case_name.clone(), status, detail: None })
}

/// The reminders due that are `me`'s: written by me, or on a case I took
/// over; named by their case's board row when it has one.
pub fn reminder_notices(reminders: &[CaseNote], records: &[BoardRecord], me: &str) -> Vec<Notice> {
    reminders
        .iter()
        .filter_map(|r| {
            let record = records.iter().find(|c| c.case_id == r.case_id);
            let mine = r.author == me || record.is_some_and(|c| c.takeover_user.as_deref() == Some(me));
            mine.then(|| Notice {
                kind: NoticeKind::ReminderDue,
                case_id: r.case_id.clone(),
                case_name: record.map(|c| c.case_name.clone()).unwrap_or_else(|| r.case_id.clone()),
                status: None,
                detail: Some(r.text.clone()),
            })
        })
        .collect()
}

/// The open entries not among `known` (the ids seen before), oldest first:
/// each is told once. Named by the case's board row when it has one.
pub fn attention_notices(known: &[i64], entries: &[AttentionEntry], records: &[BoardRecord]) -> Vec<Notice> {
    let mut fresh: Vec<&AttentionEntry> = entries.iter().filter(|e| e.acked_at.is_none() && !known.contains(&e.id)).collect();
    fresh.sort_by_key(|e| e.id);
    fresh
        .into_iter()
        .map(|e| {
            let case_id = e.case_id.clone().unwrap_or_default();
            let case_name = records.iter().find(|r| r.case_id == case_id).map(|r| r.case_name.clone()).unwrap_or_else(|| case_id.clone());
            Notice { kind: NoticeKind::Attention, case_id, case_name, status: None, detail: Some(e.rule_name.clone()) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::api::RowPatch;

    fn record(case_id: &str, job_id: &str, taken_by: Option<&str>) -> BoardRecord {
        BoardRecord {
            case_id: case_id.into(),
            case_name: format!("{case_id} 案"),
            job_id: Some(job_id.into()),
            takeover_user: taken_by.map(str::to_owned),
            ..Default::default()
        }
    }

    fn event(kind: EventKind, case_id: Option<&str>, job_id: Option<&str>, status: Option<CallStatus>) -> LiveEvent {
        LiveEvent { seq: 1, at: 0, kind, case_id: case_id.map(str::to_owned), job_id: job_id.map(str::to_owned), data: RowPatch { call_status: status, ..RowPatch::default() } }
    }

    #[test]
    fn a_call_of_mine_that_ended_and_its_results_are_told_to_me_only() {
        let records = [record("C1", "J1", Some("zhangmin")), record("C2", "J2", Some("lihua")), record("C3", "J3", None)];
        let ended = event(EventKind::CallStatusChanged, Some("C1"), Some("J1"), Some(CallStatus::Succeeded));
        let n = notice_for(&ended, record_for(&ended, &records), "zhangmin").unwrap();
        assert_eq!((n.kind, n.case_id.as_str(), n.case_name.as_str(), n.status), (NoticeKind::CallEnded, "C1", "C1 案", Some(CallStatus::Succeeded)));
        assert_eq!(notice_for(&ended, record_for(&ended, &records), "lihua"), None);
        // Results name only the call: found by the case's latest call.
        let notes = event(EventKind::NoteStored, None, Some("J2"), None);
        assert_eq!(notice_for(&notes, record_for(&notes, &records), "lihua").map(|n| (n.kind, n.case_id)), Some((NoticeKind::NotesArrived, "C2".into())));
        // Nobody's case, an unknown call, a call still under way, other kinds: nothing.
        let none = event(EventKind::NoteStored, None, Some("J3"), None);
        assert_eq!(notice_for(&none, record_for(&none, &records), "zhangmin"), None);
        let unknown = event(EventKind::NoteStored, None, Some("J9"), None);
        assert_eq!(record_for(&unknown, &records), None);
        let ringing = event(EventKind::CallStatusChanged, Some("C1"), Some("J1"), Some(CallStatus::Executing));
        assert_eq!(notice_for(&ringing, record_for(&ringing, &records), "zhangmin"), None);
        let taken = event(EventKind::Takeover, Some("C1"), None, None);
        assert_eq!(notice_for(&taken, record_for(&taken, &records), "zhangmin"), None);
    }

    #[test]
    fn reminders_due_are_mine_when_i_wrote_them_or_hold_the_case() {
        let records = [record("C1", "J1", Some("zhangmin")), record("C2", "J2", Some("lihua"))];
        let note = |case_id: &str, author: &str, text: &str| CaseNote {
            id: 1,
            case_id: case_id.into(),
            author: author.into(),
            text: text.into(),
            due_date: Some("2026-03-16".into()),
            done_at: None,
            done_by: None,
            created_at: 0,
        };
        let due = [note("C1", "lihua", "核实第二期"), note("C2", "zhangmin", "回访"), note("C2", "lihua", "别人的"), note("C9", "zhangmin", "无此案件")];
        let mine = reminder_notices(&due, &records, "zhangmin");
        let seen: Vec<(&str, &str, Option<&str>)> = mine.iter().map(|n| (n.case_id.as_str(), n.case_name.as_str(), n.detail.as_deref())).collect();
        assert_eq!(seen, vec![("C1", "C1 案", Some("核实第二期")), ("C2", "C2 案", Some("回访")), ("C9", "C9", Some("无此案件"))]);
        assert!(mine.iter().all(|n| n.kind == NoticeKind::ReminderDue));
    }

    #[test]
    fn a_new_open_entry_is_told_once_and_named_by_its_case() {
        use crate::wire::attention::{Evidence, Severity};
        let entry = |id: i64, case: Option<&str>, acked: bool| AttentionEntry {
            id,
            case_id: case.map(str::to_owned),
            job_id: None,
            rule_id: "not-paid".into(),
            rule_name: "当事人称未付款".into(),
            severity: Severity::High,
            evidence: Evidence::default(),
            created_at: 0,
            assignee: None,
            assigned_by: None,
            acked_by: None,
            acked_at: acked.then_some(1),
            ack_note: None,
        };
        let records = [record("C1", "J1", None)];
        let list = [entry(5, Some("C1"), false), entry(3, None, false), entry(4, Some("C2"), false), entry(6, Some("C1"), true)];
        let told = attention_notices(&[4], &list, &records);
        assert_eq!(told.iter().map(|n| (n.case_id.as_str(), n.case_name.as_str())).collect::<Vec<_>>(), [("", ""), ("C1", "C1 案")], "new, open, oldest first");
        assert!(told.iter().all(|n| n.kind == NoticeKind::Attention && n.detail.as_deref() == Some("当事人称未付款")));
        assert!(attention_notices(&[3, 4, 5], &list, &records).is_empty());
    }
}
