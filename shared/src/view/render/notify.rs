//! The notices of a mediator's cases (shared::view::notify) as toasts: what
//! happened, the case, a link to it, and a button to dismiss ([`NOTICE_CLOSE`]).

use crate::view::html::Html;
use crate::view::notify::{Notice, NoticeKind};
use crate::view::route::Page;

use super::format::status_label;
use super::{Ctx, Strings, NOTICE_CLOSE};

/// A notice's title and text (also a desktop notification's).
pub fn notice_text(t: &Strings, n: &Notice) -> (&'static str, String) {
    let title = match n.kind {
        NoticeKind::CallEnded => t.notice.call_ended,
        NoticeKind::NotesArrived => t.notice.notes_arrived,
        NoticeKind::ReminderDue => t.notice.reminder_due,
        NoticeKind::Attention => t.attention.notice,
    };
    let body = match (&n.status, &n.detail) {
        (Some(s), _) => format!("{} · {}", n.case_name, status_label(t, Some(s))),
        (None, Some(d)) if n.case_name.is_empty() => d.clone(),
        (None, Some(d)) => format!("{} · {d}", n.case_name),
        (None, None) => n.case_name.clone(),
    };
    (title, body)
}

/// The toasts shown, oldest first, each with its id.
pub fn toasts_html(cx: Ctx, toasts: &[(u64, Notice)]) -> String {
    let mut h = Html::new();
    for (id, n) in toasts {
        let (title, body) = notice_text(cx.t, n);
        h.tag("div").class("toast").attr("role", "status").body(|h| {
            h.tag("p").body(|h| {
                h.el("b", "", title).text(" ").text(&body);
            });
            // An attention entry opens the queue, where its reason and actions are.
            let (page, label) = match n.kind {
                NoticeKind::Attention => (Page::Attention, cx.t.attention.nav),
                _ => (Page::Case { case_id: n.case_id.clone() }, cx.t.notice.open),
            };
            h.tag("a").attr("href", &page.href(cx.embedded)).text(label);
            h.tag("button")
                .attr("type", "button")
                .class("icon")
                .attr("aria-label", cx.t.notice.dismiss)
                .attr(NOTICE_CLOSE.attr, &id.to_string())
                .text("×");
        });
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::mediation::CallStatus;

    #[test]
    fn a_toast_says_what_happened_to_which_case_and_links_to_it() {
        let t = Locale::zh_CN.strings();
        let n = Notice { kind: NoticeKind::CallEnded, case_id: "C 1".into(), case_name: "刘某 <工资>".into(), status: Some(CallStatus::Succeeded), detail: None };
        assert_eq!(notice_text(t, &n), (t.notice.call_ended, format!("刘某 <工资> · {}", status_label(t, Some(&CallStatus::Succeeded)))));
        let html = toasts_html(Ctx { t, embedded: true }, &[(7, n)]);
        assert!(html.starts_with("<div class=\"toast\" role=\"status\"><p><b>我的案件:通话已结束</b> 刘某 &lt;工资&gt; · "), "{html}");
        assert!(html.contains("<a href=\"/embed/cases/C%201\">打开案件</a><button type=\"button\" class=\"icon\" aria-label=\"关闭这条通知\" data-notice-close=\"7\">×</button>"), "{html}");
        let results = Notice { kind: NoticeKind::NotesArrived, case_id: "C".into(), case_name: "李某".into(), status: None, detail: None };
        assert_eq!(notice_text(t, &results).1, "李某");
        let due = Notice { kind: NoticeKind::ReminderDue, detail: Some("核实第二期".into()), ..results };
        assert_eq!(notice_text(t, &due), (t.notice.reminder_due, "李某 · 核实第二期".to_owned()));
    }
}
