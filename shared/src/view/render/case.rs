//! A case's read-only parts: its parties, its AI calls (with a transcript
//! link and an "update status" button each) and its audit trail.

use crate::view::html::Html;
use crate::view::route::Page;
use crate::wire::api::{AuditEntry, CallView};
use crate::wire::mediation::{BoardRecord, CallStatus, CallType, Party, StatusCategory};
use crate::wire::note::{quality_total, score_text, NoteOutcome};

use super::format::{call_type_label, datetime, dispute_label, duration, stage_label, status_class, status_label};
use crate::view::labels::fill;
use super::{Ctx, Strings, CALL_ITEM, REVEAL_BUTTON, STATUS_BUTTON};

/// The case's facts at a glance (`<dt>`/`<dd>` pairs): stage, dispute,
/// amount, and who took it over (`#takeover-holder`).
pub fn case_facts_html(t: &Strings, r: &BoardRecord) -> String {
    let mut h = Html::new();
    h.el("dt", "", t.board.col_stage).el("dd", "", &stage_label(t, &r.stage));
    h.el("dt", "", t.case.dispute).el("dd", "", &dispute_label(t, &r.dispute_type));
    let amount = r.amount.as_deref().map(|a| fill(t.case.amount_value, &[("amount", a)]));
    h.el("dt", "", t.case.amount).el("dd", "", amount.as_deref().unwrap_or("—"));
    let taken = r.takeover_user.as_deref().map(|u| fill(t.case.taken_by, &[("user", u)]));
    h.el("dt", "", t.board.col_taken).tag("dd").attr("id", "takeover-holder").text(taken.as_deref().unwrap_or(t.case.not_taken));
    h.finish()
}

/// The parties' rows (phones as the edge gave them: masked for mediators).
pub fn parties_html(t: &Strings, parties: &[Party]) -> String {
    let mut h = Html::new();
    for p in parties {
        let role = if p.person_type == 0 { t.case.applicant } else { t.case.respondent };
        h.tag("tr").body(|h| {
            h.el("td", "", &p.name).el("td", "", role).el("td", "phone", &p.phone_number);
        });
    }
    h.finish()
}

/// The AI calls of the case, newest as the backend orders them. The case's
/// latest call (`record`, as the board row has it, kept live) leads the list
/// while the backend's call log does not have it yet: from the moment it is
/// placed, with its status as it changes, until its record arrives.
/// `gave_up`: the board stopped asking the backend's log for the case's
/// latest call (it is listed from the board row, saying so).
pub fn timeline_html(cx: Ctx, record: Option<&BoardRecord>, calls: &[CallView], gave_up: bool) -> String {
    let t = cx.t;
    let case_id = record.map(|r| r.case_id.as_str()).unwrap_or_default();
    let pending = record.filter(|r| r.job_id.as_deref().is_some_and(|j| !calls.iter().any(|c| c.job_id == j)));
    if calls.is_empty() && pending.is_none() {
        return Html::empty(t.case.no_calls);
    }
    let mut h = Html::new();
    h.tag("ol").class("timeline").body(|h| {
        if let Some(r) = pending {
            pending_call(h, t, r, gave_up);
        }
        for c in calls {
            h.tag("li").class("call").attr(CALL_ITEM.attr, &c.job_id).body(|h| {
                h.tag("div").class("call-main").body(|h| {
                    h.el("span", "call-type", &call_type_label(t, &c.call_type));
                    h.el("span", status_class(Some(&c.call_status)), &status_label(t, Some(&c.call_status)));
                    h.el("span", "muted", &c.started_at.map(datetime).unwrap_or_default());
                    if c.unreadable.is_some() {
                        h.el("span", "bad", t.case.turns_unreadable);
                    } else {
                        h.el("span", "muted", &duration(c.duration_secs()));
                    }
                    let score = c.notes.iter().find_map(|n| match &n.outcome {
                        NoteOutcome::QualityInspection { items, .. } => Some(quality_total(items)),
                        _ => None,
                    });
                    if let Some((score, full)) = score {
                        h.el("span", "score-chip", &format!("{} {}/{}", t.case.score, score_text(score), score_text(full)));
                    }
                });
                h.tag("div").class("call-actions").body(|h| {
                    let href = Page::Call { case_id: case_id.to_owned(), job_id: c.job_id.clone() }.href(cx.embedded);
                    h.tag("a").attr("href", &href).text(t.case.open_transcript);
                    h.tag("button")
                        .attr("type", "button")
                        .class("btn small")
                        .attr(STATUS_BUTTON.attr, c.call_status.as_str())
                        .text(t.action.update_status);
                });
            });
        }
    });
    h.finish()
}

/// A call the backend's log does not list yet, from the board row.
fn pending_call(h: &mut Html, t: &Strings, r: &BoardRecord, gave_up: bool) {
    let job_id = r.job_id.as_deref().unwrap_or_default();
    let status = r.call_status.as_ref();
    let running = status.is_none_or(|s| matches!(s.category(), StatusCategory::Pending | StatusCategory::InProgress));
    h.tag("li").class("call pending").attr(CALL_ITEM.attr, job_id).body(|h| {
        h.tag("div").class("call-main").body(|h| {
            if let Some(kind) = &r.call_type {
                h.el("span", "call-type", &call_type_label(t, kind));
            }
            h.el("span", status_class(status), &status_label(t, status));
            if let Some(p) = r.call_person() {
                h.el("span", "", &p.name);
            }
            h.el("span", "muted", &r.start_time);
        });
        h.tag("div").class("call-actions").body(|h| {
            h.tag("span").class("muted").attr("role", "status").text(match (running, gave_up) {
                (true, _) => t.case.call_in_progress,
                (false, false) => t.case.call_record_pending,
                (false, true) => t.case.call_record_missing,
            });
            if let Some(s) = status {
                h.tag("button").attr("type", "button").class("btn small").attr(STATUS_BUTTON.attr, s.as_str()).text(t.action.update_status);
            }
        });
    });
}

/// Who did what to the case, and how the backend answered.
pub fn audit_html(t: &Strings, entries: &[AuditEntry]) -> String {
    if entries.is_empty() {
        return Html::empty(t.case.no_audit);
    }
    let mut h = Html::new();
    h.tag("ul").class("audit").body(|h| {
        for e in entries {
            h.tag("li").attr("data-action", &e.action).body(|h| {
                h.el("time", "", &datetime(e.at)).text(" ").el("b", "", &e.user).text(" ").el("span", "", &super::audit::action_label(t, &e.action));
                if let Some(target) = &e.target {
                    h.el("span", "muted", &format!(" · {target}"));
                }
                let class = if (200..300).contains(&e.status) { "ok" } else { "bad" };
                h.el("span", class, &format!(" → {} {}", e.status, e.outcome));
            });
        }
    });
    h.finish()
}

/// The head of a call's transcript screen: its kind, status, start, length and job id.
pub fn call_head_html(t: &Strings, kind: &CallType, status: &CallStatus, started: &str, secs: u32, job_id: &str) -> String {
    let mut h = Html::new();
    h.tag("h2").attr("id", "transcript-title").text(&format!("{} · {}", t.transcript.heading, call_type_label(t, kind)));
    h.tag("p").body(|h| {
        h.el("span", status_class(Some(status)), &status_label(t, Some(status))).text(" ");
        h.el("span", "muted", started).text(" ").el("span", "muted", &duration(secs)).text(" ");
        h.el("span", "muted", job_id);
    });
    h.finish()
}

/// What a call's transcript says about personal data: masked (with the
/// reveal button for those who may), or shown on request.
pub fn privacy_html(t: &Strings, masked: bool, may_reveal: bool, revealed: bool) -> String {
    let mut h = Html::new();
    if masked {
        h.tag("p").class("privacy muted").attr("id", "privacy-note").body(|h| {
            h.text(t.transcript.masked);
            if may_reveal {
                h.text(" ");
                h.tag("button").attr("type", "button").class("btn small").attr("id", "reveal-texts").attr(REVEAL_BUTTON.attr, "").text(t.transcript.reveal);
            }
        });
    } else if revealed {
        h.tag("p").class("privacy ok").attr("role", "status").attr("id", "privacy-revealed").text(t.transcript.revealed);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    #[test]
    fn each_call_links_its_transcript_and_carries_its_hooks() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let call = CallView {
            job_id: "J&1".into(),
            call_type: CallType::FollowUp,
            call_status: CallStatus::NoAnswer,
            turns: vec![],
            ..Default::default()
        };
        let record = BoardRecord { case_id: "C-1".into(), job_id: Some("J&1".into()), ..Default::default() };
        let html = timeline_html(cx, Some(&record), &[call], false);
        assert!(html.starts_with("<ol class=\"timeline\"><li class=\"call\" data-job-id=\"J&amp;1\">"), "{html}");
        assert!(html.contains("<a href=\"/cases/C-1/calls/J%261\">"), "{html}");
        assert!(html.contains(&format!("data-status=\"NoAnswer\">{}</button>", cx.t.action.update_status)), "{html}");
        assert!(html.ends_with("</div></li></ol>"), "{html}");
        let no_call = BoardRecord { case_id: "C-1".into(), ..Default::default() };
        assert_eq!(timeline_html(cx, Some(&no_call), &[], false), format!("<p class=\"empty\">{}</p>", cx.t.case.no_calls));
    }

    #[test]
    fn a_call_the_log_does_not_list_yet_leads_with_its_live_status() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let mut record = BoardRecord {
            case_id: "C-1".into(),
            job_id: Some("J-new".into()),
            call_type: Some(CallType::Agreement),
            call_status: Some(CallStatus::Scheduling),
            call_person_id: Some("p1".into()),
            parties: vec![Party { person_id: "p1".into(), name: "刘某".into(), person_type: 0, phone_number: String::new() }],
            start_time: "2026-11-22 10:00:00".into(),
            ..Default::default()
        };
        let html = timeline_html(cx, Some(&record), &[], false);
        assert!(html.starts_with("<ol class=\"timeline\"><li class=\"call pending\" data-job-id=\"J-new\">"), "{html}");
        assert!(html.contains(&format!("<span class=\"st st-pending\">{}</span><span>刘某</span>", cx.t.status.Scheduling)), "{html}");
        assert!(html.contains(&format!("role=\"status\">{}</span>", cx.t.case.call_in_progress)), "{html}");
        assert!(!html.contains("<a href"), "no transcript yet: {html}");
        record.call_status = Some(CallStatus::Succeeded);
        let ended = timeline_html(cx, Some(&record), &[], false);
        assert!(ended.contains(cx.t.case.call_record_pending), "{ended}");
        // The board stopped asking: it says so instead.
        let missing = timeline_html(cx, Some(&record), &[], true);
        assert!(missing.contains(cx.t.case.call_record_missing) && !missing.contains(cx.t.case.call_record_pending), "{missing}");
        // Once the log lists the call, it is shown from the log alone.
        let listed = CallView {
            job_id: "J-new".into(),
            call_type: CallType::Agreement,
            call_status: CallStatus::Succeeded,
            turns: vec![],
            ..Default::default()
        };
        let html = timeline_html(cx, Some(&record), &[listed], true);
        assert!(!html.contains("pending") && html.contains("/cases/C-1/calls/J-new"), "{html}");
    }

    #[test]
    fn masked_texts_are_said_and_only_overseers_get_the_reveal_button() {
        let t = Locale::zh_CN.strings();
        let mediator = privacy_html(t, true, false, false);
        assert_eq!(mediator, format!("<p class=\"privacy muted\" id=\"privacy-note\">{}</p>", t.transcript.masked));
        let supervisor = privacy_html(t, true, true, false);
        assert!(supervisor.contains("id=\"reveal-texts\" data-reveal=\"\""), "{supervisor}");
        assert!(privacy_html(t, false, true, true).contains("privacy-revealed"));
        assert_eq!(privacy_html(t, false, true, false), "");
    }

    #[test]
    fn the_facts_say_the_amount_and_who_holds_the_case() {
        let t = Locale::zh_CN.strings();
        let mut r = BoardRecord { amount: Some("3742.00".into()), ..Default::default() };
        let html = case_facts_html(t, &r);
        assert!(html.contains(&format!("<dt>{}</dt><dd>{}</dd>", t.case.amount, fill(t.case.amount_value, &[("amount", "3742.00")]))), "{html}");
        assert!(html.ends_with(&format!("<dd id=\"takeover-holder\">{}</dd>", t.case.not_taken)), "{html}");
        r.takeover_user = Some("张<敏>".into());
        assert!(case_facts_html(t, &r).ends_with(&format!("<dd id=\"takeover-holder\">{}</dd>", fill(t.case.taken_by, &[("user", "张&lt;敏&gt;")]))));
    }

    #[test]
    fn audit_entries_say_who_did_what_and_how_it_went() {
        let t = Locale::en.strings();
        let entry = |status| AuditEntry {
            id: 1,
            at: 0,
            user: "张<调解员>".into(),
            role: "mediator".into(),
            action: "takeover".into(),
            case_id: None,
            target: Some("p1".into()),
            status,
            outcome: "ok".into(),
        };
        let html = audit_html(t, &[entry(200), entry(0)]);
        assert!(html.contains("<b>张&lt;调解员&gt;</b> <span>Take over</span>"), "{html}");
        assert!(html.contains("<span class=\"ok\"> → 200 ok</span>"), "{html}");
        assert!(html.contains("<span class=\"bad\"> → 0 ok</span>"), "{html}");
    }
}
