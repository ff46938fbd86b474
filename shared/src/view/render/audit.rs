//! 操作记录 / The whole audit trail (supervisors, admins): the filter form,
//! the entries as a table with each action in words and its case linked, and
//! the same rows for CSV. The case page's trail names actions the same way.

use crate::view::html::Html;
use crate::view::route::Page;
use crate::wire::api::AuditEntry;
use crate::wire::audit::{AuditQuery, ACTIONS};

use super::format::datetime;
use super::{Ctx, Strings};

/// An action in words; one the board does not know stays as written.
pub fn action_label(t: &Strings, action: &str) -> String {
    let a = &t.audit_action;
    match action {
        "call" => a.call,
        "update_status" => a.update_status,
        "takeover" => a.takeover,
        "agreement" => a.agreement,
        "ocr" => a.ocr,
        "note" => a.note,
        "note_done" => a.note_done,
        "reveal" => a.reveal,
        "attention_ack" => a.attention_ack,
        "assign" => a.assign,
        "rule_update" => a.rule_update,
        "dead_letter_replay" => a.dead_letter_replay,
        "dead_letter_discard" => a.dead_letter_discard,
        other => return other.to_owned(),
    }
    .to_owned()
}

fn role_label(t: &Strings, role: &str) -> String {
    match role {
        "mediator" => t.role_mediator,
        "supervisor" => t.role_supervisor,
        "admin" => t.role_admin,
        other => other,
    }
    .to_owned()
}

pub fn filters_html(t: &Strings, q: &AuditQuery) -> String {
    let a = &t.audit_log;
    let mut h = Html::new();
    h.tag("form").attr("id", "audit-form").class("filters").body(|h| {
        let text = |h: &mut Html, id: &str, label: &str, value: &Option<String>, kind: &'static str| {
            h.tag("label").class("field").body(|h| {
                h.el("span", "", label);
                h.tag("input").attr("type", kind).attr("id", id).num("maxlength", 64).attr("value", value.as_deref().unwrap_or_default()).void();
            });
        };
        text(h, "audit-user", a.user, &q.user, "text");
        h.tag("label").class("field").body(|h| {
            h.el("span", "", a.action);
            h.tag("select").attr("id", "audit-action").body(|h| {
                let any = h.tag("option").attr("value", "");
                (if q.action.is_none() { any.flag("selected") } else { any }).text(a.action_any);
                for action in ACTIONS {
                    let o = h.tag("option").attr("value", action);
                    (if q.action.as_deref() == Some(action) { o.flag("selected") } else { o }).text(&action_label(t, action));
                }
            });
        });
        text(h, "audit-case", a.case, &q.case_id, "text");
        text(h, "audit-from", a.from, &q.from, "date");
        text(h, "audit-to", a.to, &q.to, "date");
        h.tag("button").attr("type", "submit").class("btn").text(a.apply);
    });
    h.finish()
}

/// The rows as text: header first (for the CSV export).
pub fn csv_rows(t: &Strings, entries: &[AuditEntry]) -> Vec<Vec<String>> {
    let a = &t.audit_log;
    let mut rows = vec![[a.col_at, a.col_user, a.col_action, a.col_case, a.col_target, a.col_outcome].map(str::to_owned).to_vec()];
    for e in entries {
        rows.push(vec![
            datetime(e.at),
            format!("{} ({})", e.user, role_label(t, &e.role)),
            action_label(t, &e.action),
            e.case_id.clone().unwrap_or_default(),
            e.target.clone().unwrap_or_default(),
            format!("{} {}", e.status, e.outcome),
        ]);
    }
    rows
}

pub fn entries_html(cx: Ctx, entries: &[AuditEntry]) -> String {
    let t = cx.t;
    let a = &t.audit_log;
    if entries.is_empty() {
        return Html::empty(a.none);
    }
    let mut h = Html::new();
    h.tag("table").class("audit-table").body(|h| {
        h.el("caption", "", a.caption);
        h.tag("thead").body(|h| {
            h.tag("tr").body(|h| {
                for c in [a.col_at, a.col_user, a.col_action, a.col_case, a.col_target, a.col_outcome] {
                    h.tag("th").attr("scope", "col").text(c);
                }
            });
        });
        h.tag("tbody").body(|h| {
            for e in entries {
                h.tag("tr").attr("data-action", &e.action).body(|h| {
                    h.el("td", "", &datetime(e.at));
                    h.el("td", "", &format!("{} ({})", e.user, role_label(t, &e.role)));
                    h.el("td", "", &action_label(t, &e.action));
                    h.tag("td").body(|h| {
                        if let Some(case_id) = &e.case_id {
                            h.tag("a").attr("href", &Page::Case { case_id: case_id.clone() }.href(cx.embedded)).text(case_id);
                        }
                    });
                    h.el("td", "", e.target.as_deref().unwrap_or_default());
                    let class = if (200..300).contains(&e.status) { "ok" } else { "bad" };
                    h.el("td", class, &format!("{} {}", e.status, e.outcome));
                });
            }
        });
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    fn entry(id: i64, action: &str, case_id: Option<&str>) -> AuditEntry {
        AuditEntry { id, at: 1_796_486_400_000, user: "wanglei".into(), role: "supervisor".into(), action: action.into(), case_id: case_id.map(Into::into), target: Some("a<b".into()), status: 200, outcome: "ok".into() }
    }

    #[test]
    fn every_action_the_edge_writes_has_words_in_both_languages() {
        for locale in [Locale::zh_CN, Locale::en] {
            for action in ACTIONS {
                assert_ne!(action_label(locale.strings(), action), action, "{action}");
            }
        }
        assert_eq!(action_label(Locale::zh_CN.strings(), "dead_letter_replay"), "重放死信");
        assert_eq!(action_label(Locale::zh_CN.strings(), "future_action"), "future_action");
    }

    #[test]
    fn entries_are_a_table_with_words_and_case_links_and_the_csv_matches() {
        let t = Locale::zh_CN.strings();
        let entries = [entry(2, "takeover", Some("C 1")), entry(1, "dead_letter_discard", None)];
        let html = entries_html(Ctx { t, embedded: false }, &entries);
        assert!(html.starts_with("<table class=\"audit-table\"><caption>操作记录,最新的在前</caption>"), "{html}");
        assert!(html.contains("<tr data-action=\"takeover\"><td>2026-12-06 00:00:00</td><td>wanglei (主管)</td><td>人工接管</td><td><a href=\"/cases/C%201\">C 1</a></td><td>a&lt;b</td><td class=\"ok\">200 ok</td></tr>"), "{html}");
        assert!(html.contains("<td>丢弃死信</td><td></td>"), "{html}");
        let rows = csv_rows(t, &entries);
        assert_eq!(rows[0], ["时间", "操作人(身份)", "操作", "案件", "对象", "结果"]);
        assert_eq!(rows[1], ["2026-12-06 00:00:00", "wanglei (主管)", "人工接管", "C 1", "a<b", "200 ok"]);
        assert_eq!(entries_html(Ctx { t, embedded: false }, &[]), Html::empty("没有符合条件的操作记录"));
    }

    #[test]
    fn the_form_keeps_the_query() {
        let q = AuditQuery::from_query("user=wanglei&action=reveal&from=2026-12-01").unwrap();
        let html = filters_html(Locale::zh_CN.strings(), &q);
        assert!(html.contains("<input type=\"text\" id=\"audit-user\" maxlength=\"64\" value=\"wanglei\">"), "{html}");
        assert!(html.contains("<option value=\"reveal\" selected>查看未遮盖内容</option>"), "{html}");
        assert!(html.contains("<input type=\"date\" id=\"audit-from\" maxlength=\"64\" value=\"2026-12-01\">"), "{html}");
        assert!(html.contains("<input type=\"date\" id=\"audit-to\" maxlength=\"64\" value=\"\">"), "{html}");
    }
}
