//! A case's follow-ups (the team's notes, some of them reminders) and the
//! board's "due today": the form, the list with a button to mark a reminder
//! done ([`NOTE_DONE`]), and the reminders due across cases.

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::view::route::Page;
use crate::wire::followup::{CaseNote, MAX_TEXT};

use super::format::datetime;
use super::{Ctx, Strings, NOTE_DONE};

/// The form: the note's text (`#note-text`) and an optional day (`#note-due`).
pub fn form_html(t: &Strings) -> String {
    let t = &t.followup;
    let mut h = Html::new();
    h.tag("form").attr("id", "note-form").body(|h| {
        h.tag("label").class("field").body(|h| {
            h.el("span", "", t.text);
            h.tag("textarea").attr("id", "note-text").attr("rows", "2").flag("required").num("maxlength", MAX_TEXT as i64).text("");
        });
        h.tag("label").class("field").body(|h| {
            h.el("span", "", t.due);
            h.tag("input").attr("type", "date").attr("id", "note-due").void();
        });
        h.tag("button").attr("type", "submit").class("btn").text(t.add);
    });
    h.finish()
}

/// When a reminder is due, said against `today` (`yyyy-MM-dd`).
fn due_badge(h: &mut Html, t: &Strings, due: &str, today: &str) {
    h.el("span", "due", &fill(t.followup.remind_on, &[("date", due)]));
    if due == today {
        h.text(" ").el("span", "badge due-today", t.followup.due_today);
    } else if due < today {
        h.text(" ").el("span", "badge overdue", t.followup.overdue);
    }
}

/// A case's notes, newest first: who and when, the reminder's day, and
/// whether it is done (or a button to mark it done).
pub fn notes_html(t: &Strings, notes: &[CaseNote], today: &str) -> String {
    if notes.is_empty() {
        return Html::empty(t.followup.none);
    }
    let mut h = Html::new();
    h.tag("ul").class("case-notes").body(|h| {
        for n in notes {
            h.tag("li").class(if n.done_at.is_some() { "note done" } else { "note" }).body(|h| {
                h.el("p", "note-text", &n.text);
                h.tag("p").class("muted").body(|h| {
                    h.text(&n.author).text(" · ").text(&datetime(n.created_at));
                    if let Some(due) = &n.due_date {
                        h.text(" · ");
                        match &n.done_by {
                            Some(who) => {
                                h.el("span", "due", &fill(t.followup.remind_on, &[("date", due)])).text(" · ");
                                h.el("span", "badge done", &fill(t.followup.done_by, &[("who", who)]));
                            }
                            None => due_badge(h, t, due, today),
                        }
                    }
                });
                if n.due_date.is_some() && n.done_at.is_none() {
                    h.tag("button").attr("type", "button").class("btn small").attr(NOTE_DONE.attr, &n.id.to_string()).text(t.followup.mark_done);
                }
            });
        }
    });
    h.finish()
}

/// The reminders due today or earlier, across cases, each linking to its
/// case (named by `case_name` when the board has it).
pub fn due_html(cx: Ctx, reminders: &[CaseNote], today: &str, case_name: impl Fn(&str) -> Option<String>) -> String {
    let t = cx.t;
    let mut h = Html::new();
    h.tag("h3").attr("id", "due-title").body(|h| {
        h.text(t.followup.due_heading);
        if !reminders.is_empty() {
            h.text(" ").el("span", "badge", &fill(t.followup.due_count, &[("n", &reminders.len().to_string())]));
        }
    });
    if reminders.is_empty() {
        h.el("p", "empty", t.followup.due_none);
        return h.finish();
    }
    h.tag("ul").class("due-list").attr("aria-labelledby", "due-title").body(|h| {
        for r in reminders {
            let href = Page::Case { case_id: r.case_id.clone() }.href(cx.embedded);
            h.tag("li").body(|h| {
                h.tag("a").attr("href", &href).text(&case_name(&r.case_id).unwrap_or_else(|| r.case_id.clone()));
                h.text(" · ").text(&r.text).text(" · ");
                due_badge(h, t, r.due_date.as_deref().unwrap_or_default(), today);
            });
        }
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    fn note(id: i64, due: Option<&str>, done_by: Option<&str>) -> CaseNote {
        CaseNote {
            id,
            case_id: "C 1".into(),
            author: "zhangmin".into(),
            text: format!("核实第{id}期 <b>"),
            due_date: due.map(str::to_owned),
            done_at: done_by.map(|_| 1),
            done_by: done_by.map(str::to_owned),
            created_at: 1_773_600_000_000,
        }
    }

    #[test]
    fn notes_say_when_they_are_due_and_only_open_reminders_can_be_marked_done() {
        let t = Locale::zh_CN.strings();
        let html = notes_html(t, &[note(3, Some("2026-03-16"), None), note(2, Some("2026-03-01"), None), note(1, None, None), note(4, Some("2026-03-16"), Some("lihua"))], "2026-03-16");
        let items: Vec<&str> = html.split("<li").skip(1).collect();
        assert!(items[0].contains("2026-03-16 提醒</span> <span class=\"badge due-today\">今天到期</span>"), "{}", items[0]);
        assert!(items[0].contains("<button type=\"button\" class=\"btn small\" data-note-done=\"3\">标记完成</button>"), "{}", items[0]);
        assert!(items[0].contains("核实第3期 &lt;b&gt;"), "{}", items[0]);
        assert!(items[1].contains("<span class=\"badge overdue\">已逾期</span>"), "{}", items[1]);
        assert!(!items[2].contains("<button") && !items[2].contains("提醒"), "{}", items[2]);
        assert!(items[3].starts_with(" class=\"note done\"") && items[3].contains("已完成(lihua)") && !items[3].contains("<button"), "{}", items[3]);
        assert_eq!(notes_html(t, &[], "2026-03-16"), Html::empty("还没有备注"));
    }

    #[test]
    fn due_today_links_each_reminder_to_its_case_by_name() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let html = due_html(cx, &[note(3, Some("2026-03-16"), None)], "2026-03-16", |id| (id == "C 1").then(|| "刘某诉某公司".to_owned()));
        assert!(html.contains("今日待回访 <span class=\"badge\">1 条提醒到期</span>"), "{html}");
        assert!(html.contains("<a href=\"/cases/C%201\">刘某诉某公司</a> · 核实第3期 &lt;b&gt; · "), "{html}");
        let none = due_html(cx, &[], "2026-03-16", |_| None);
        assert!(none.ends_with("<p class=\"empty\">今天没有到期的回访提醒</p>"), "{none}");
    }

    #[test]
    fn the_form_limits_the_text() {
        let html = form_html(Locale::en.strings());
        assert!(html.contains("<textarea id=\"note-text\" rows=\"2\" required maxlength=\"1000\"></textarea>"), "{html}");
        assert!(html.contains("<input type=\"date\" id=\"note-due\"></label>"), "{html}");
    }
}
