//! The attention queue (待处理) and its rules: each entry's severity, the
//! reason in words, links to the case and to the call that is the evidence,
//! who it is assigned to or who handled it, and the forms to acknowledge it
//! ([`ATTENTION_ACK`]) or assign it ([`ATTENTION_ASSIGN`]); the rules as a
//! table, editable by admins ([`RULE_SAVE`]).

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::view::route::Page;
use crate::view::team::TeamRow;
use crate::wire::attention::{AttentionEntry, ConditionKind, Evidence, Rule, Severity, MAX_NOTE, MAX_RUN};

use super::format::datetime;
use super::{Ctx, Strings, ATTENTION_ACK, ATTENTION_ASSIGN, RULE_SAVE};

pub fn severity_label(t: &Strings, s: &Severity) -> String {
    match s {
        Severity::High => t.attention.sev_high.into(),
        Severity::Medium => t.attention.sev_medium.into(),
        Severity::Low => t.attention.sev_low.into(),
        Severity::Other(o) => o.clone(),
    }
}

/// Why an entry is in the queue, in words.
pub fn reason(t: &Strings, e: &Evidence) -> String {
    let a = &t.attention;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    match ConditionKind::parse(&e.kind) {
        ConditionKind::QaTotalBelow => fill(a.reason_total, &[("score", &text(&e.score)), ("full", &text(&e.full_score)), ("percent", &num(e.percent)), ("threshold", &num(e.threshold))]),
        ConditionKind::QaItemAtMost => fill(
            a.reason_item,
            &[("item", &text(&e.item)), ("score", &text(&e.score)), ("full", &text(&e.full_score)), ("percent", &num(e.percent)), ("threshold", &num(e.threshold))],
        ),
        ConditionKind::Tag => fill(a.reason_tag, &[("tag", &text(&e.tag)), ("value", &text(&e.value))]),
        ConditionKind::CallLimit => a.reason_limit.into(),
        ConditionKind::NotConnectedInRow => fill(a.reason_run, &[("count", &num(e.count)), ("threshold", &num(e.threshold))]),
        ConditionKind::Other(k) => k,
    }
}

/// The queue: entries as the edge ordered them. `can_assign`: the caller
/// may give cases to mediators (supervisors, admins); `can_ack`: may
/// acknowledge (mediators, supervisors).
pub fn queue_html(cx: Ctx, entries: &[AttentionEntry], can_ack: bool, can_assign: bool, case_name: impl Fn(&str) -> Option<String>) -> String {
    let a = &cx.t.attention;
    if entries.is_empty() {
        return Html::empty(a.none);
    }
    let mut h = Html::new();
    h.tag("ol").class("attention-list").body(|h| {
        for e in entries {
            let id = e.id.to_string();
            let sev = e.severity.as_str();
            h.tag("li").class(&format!("entry sev-{sev}")).attr("data-entry-id", &id).body(|h| {
                h.tag("p").class("entry-head").body(|h| {
                    h.tag("span").class(&format!("badge sev-{sev}")).attr("title", a.severity).text(&severity_label(cx.t, &e.severity));
                    h.text(" ").el("b", "", &e.rule_name).text(" · ");
                    match &e.case_id {
                        Some(c) => {
                            let name = case_name(c).unwrap_or_else(|| c.clone());
                            h.tag("a").attr("href", &Page::Case { case_id: c.clone() }.href(cx.embedded)).attr("title", a.open_case).text(&name);
                        }
                        None => {
                            h.el("span", "muted", a.case_unknown);
                        }
                    }
                });
                h.el("p", "reason", &reason(cx.t, &e.evidence));
                h.tag("p").class("muted").body(|h| {
                    h.text(&fill(a.when, &[("at", &datetime(e.created_at))]));
                    if let (Some(c), Some(j)) = (&e.case_id, &e.job_id) {
                        h.text(" · ").tag("a").class("evidence").attr("href", &Page::Call { case_id: c.clone(), job_id: j.clone() }.href(cx.embedded)).text(a.open_call);
                    }
                    if let Some(who) = &e.assignee {
                        h.text(" · ").el("span", "badge assigned", &fill(a.assigned_to, &[("who", who)]));
                    }
                });
                if let (Some(who), Some(note)) = (&e.acked_by, &e.ack_note) {
                    h.el("p", "acked", &fill(a.acked_by, &[("who", who), ("note", note)]));
                    return;
                }
                if can_ack {
                    h.tag("div").class("entry-form").body(|h| {
                        let field = format!("ack-note-{id}");
                        h.tag("label").attr("for", &field).text(a.ack_note);
                        h.tag("input").attr("type", "text").attr("id", &field).num("maxlength", MAX_NOTE as i64).void();
                        h.tag("button").attr("type", "button").class("btn small").attr(ATTENTION_ACK.attr, &id).text(a.ack);
                    });
                }
                if can_assign && e.case_id.is_some() {
                    h.tag("div").class("entry-form").body(|h| {
                        let field = format!("assignee-{id}");
                        h.tag("label").attr("for", &field).text(a.assignee);
                        h.tag("input").attr("type", "text").attr("id", &field).num("maxlength", 64).attr("value", e.assignee.as_deref().unwrap_or_default()).void();
                        h.tag("button").attr("type", "button").class("btn small").attr(ATTENTION_ASSIGN.attr, &id).text(a.assign);
                    });
                }
            });
        }
    });
    h.finish()
}

/// A rule's condition in words.
pub fn condition_text(t: &Strings, r: &Rule) -> String {
    let a = &t.attention;
    let c = &r.condition;
    let percent = c.percent.unwrap_or(0).to_string();
    match &c.kind {
        ConditionKind::QaTotalBelow => fill(a.cond_total, &[("percent", &percent)]),
        ConditionKind::QaItemAtMost => fill(a.cond_item, &[("percent", &percent)]),
        ConditionKind::Tag => fill(a.cond_tag, &[("tag", c.tag.as_deref().unwrap_or_default()), ("values", &c.values.join("、"))]),
        ConditionKind::CallLimit => a.cond_limit.into(),
        ConditionKind::NotConnectedInRow => fill(a.cond_run, &[("count", &c.count.unwrap_or(0).to_string())]),
        ConditionKind::Other(k) => k.clone(),
    }
}

/// The rules as a table; for admins each row is a form (name, severity,
/// on/off, and the threshold or values its kind has) with a save button.
pub fn rules_html(t: &Strings, rules: &[Rule], editable: bool) -> String {
    let a = &t.attention;
    let mut h = Html::new();
    h.tag("table").class("rules").body(|h| {
        h.tag("thead").body(|h| {
            h.tag("tr").body(|h| {
                for head in [a.rule_name, a.severity, a.rule_enabled, a.rule_condition] {
                    h.tag("th").attr("scope", "col").text(head);
                }
                if editable {
                    h.tag("th").attr("scope", "col").text(a.rule_save);
                }
            });
        });
        h.tag("tbody").body(|h| {
            for r in rules {
                let field = |what: &str| format!("rule-{}-{what}", r.id);
                h.tag("tr").attr("data-rule-id", &r.id).body(|h| {
                    if !editable {
                        h.el("td", "", &r.name).el("td", "", &severity_label(t, &r.severity)).el("td", "", if r.enabled { "✓" } else { "—" }).el("td", "", &condition_text(t, r));
                        return;
                    }
                    h.tag("td").body(|h| {
                        h.tag("input").attr("type", "text").attr("id", &field("name")).attr("aria-label", a.rule_name).num("maxlength", 40).attr("value", &r.name).void();
                    });
                    h.tag("td").body(|h| {
                        h.tag("select").attr("id", &field("severity")).attr("aria-label", a.severity).body(|h| {
                            for s in Severity::KNOWN {
                                let opt = h.tag("option").attr("value", s.as_str());
                                let opt = if *s == r.severity { opt.flag("selected") } else { opt };
                                opt.text(&severity_label(t, s));
                            }
                        });
                    });
                    h.tag("td").body(|h| {
                        let check = h.tag("input").attr("type", "checkbox").attr("id", &field("enabled")).attr("aria-label", a.rule_enabled);
                        (if r.enabled { check.flag("checked") } else { check }).void();
                    });
                    h.tag("td").body(|h| {
                        h.el("span", "", &condition_text(t, r)).text(" ");
                        match r.condition.kind {
                            ConditionKind::QaTotalBelow | ConditionKind::QaItemAtMost => {
                                h.tag("input").attr("type", "number").attr("id", &field("percent")).attr("aria-label", a.rule_percent).num("min", 0).num("max", 100).num("value", r.condition.percent.unwrap_or(0)).void();
                            }
                            ConditionKind::NotConnectedInRow => {
                                h.tag("input").attr("type", "number").attr("id", &field("count")).attr("aria-label", a.rule_count).num("min", 2).num("max", MAX_RUN).num("value", r.condition.count.unwrap_or(0)).void();
                            }
                            ConditionKind::Tag => {
                                h.tag("input").attr("type", "text").attr("id", &field("values")).attr("aria-label", a.rule_values).attr("value", &r.condition.values.join(",")).void();
                            }
                            _ => {}
                        }
                    });
                    h.tag("td").body(|h| {
                        h.tag("button").attr("type", "button").class("btn small").attr(RULE_SAVE.attr, &r.id).text(a.rule_save);
                    });
                });
            }
        });
    });
    h.finish()
}

/// The team view: one row per mediator (see `shared::view::team`).
pub fn team_html(t: &Strings, rows: &[TeamRow]) -> String {
    let a = &t.attention;
    if rows.is_empty() {
        return Html::empty(a.team_none);
    }
    let mut h = Html::new();
    h.tag("table").class("chart-table team").body(|h| {
        h.el("caption", "sr-only", a.team_heading);
        h.tag("thead").body(|h| {
            h.tag("tr").body(|h| {
                for c in [a.team_mediator, a.team_cases, a.team_called, a.team_connected, a.team_share, a.team_attention] {
                    h.tag("th").attr("scope", "col").text(c);
                }
            });
        });
        h.tag("tbody").body(|h| {
            for r in rows {
                h.tag("tr").body(|h| {
                    h.tag("th").attr("scope", "row").text(&r.mediator);
                    for n in [r.cases, r.called_today, r.connected_today] {
                        h.el("td", "", &n.to_string());
                    }
                    h.el("td", "", &r.connected_share().map(|s| format!("{s}%")).unwrap_or_else(|| "—".into()));
                    h.el("td", "", &r.attention.to_string());
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
    use crate::wire::attention::default_rules;

    fn entry(id: i64, case: Option<&str>, evidence: Evidence) -> AttentionEntry {
        AttentionEntry {
            id,
            case_id: case.map(str::to_owned),
            job_id: Some("J 1".into()),
            rule_id: "qa-item-low".into(),
            rule_name: "质检项得分过低".into(),
            severity: Severity::Medium,
            evidence,
            created_at: 1_773_600_000_000,
            assignee: None,
            assigned_by: None,
            acked_by: None,
            acked_at: None,
            ack_note: None,
        }
    }

    fn item() -> Evidence {
        Evidence { kind: "qa_item_at_most".into(), item: Some("开场<规范>".into()), score: Some("2".into()), full_score: Some("10".into()), percent: Some(20), threshold: Some(40), ..Evidence::default() }
    }

    #[test]
    fn each_reason_is_said_in_words_in_both_languages() {
        let zh = Locale::zh_CN.strings();
        assert_eq!(reason(zh, &item()), "质检项「开场<规范>」得分 2/10(20%),不高于 40%");
        let total = Evidence { kind: "qa_total_below".into(), score: Some("14".into()), full_score: Some("50".into()), percent: Some(28), threshold: Some(60), ..Evidence::default() };
        assert_eq!(reason(zh, &total), "质检总分 14/50(28%),低于 60%");
        let tag = Evidence { kind: "tag".into(), tag: Some("履约情况".into()), value: Some("未支付".into()), ..Evidence::default() };
        assert_eq!(reason(zh, &tag), "摘要「履约情况」:未支付");
        assert_eq!(reason(Locale::en.strings(), &tag), "Summary “履约情况”: 未支付");
        assert_eq!(reason(zh, &Evidence { kind: "call_limit".into(), ..Evidence::default() }), "当事人今日外呼次数已达上限(1002)");
        let run = Evidence { kind: "not_connected_in_row".into(), count: Some(4), threshold: Some(3), ..Evidence::default() };
        assert_eq!(reason(zh, &run), "当事人最近连续 4 次外呼未接通(规则:3 次)");
        assert_eq!(reason(Locale::en.strings(), &run), "The party's latest 4 calls in a row were not connected (rule: 3)");
        assert_eq!(reason(zh, &Evidence { kind: "something_new".into(), ..Evidence::default() }), "something_new");
    }

    #[test]
    fn an_entry_links_its_case_and_call_and_offers_what_the_role_may_do() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let html = queue_html(cx, &[entry(7, Some("C 1"), item())], true, true, |c| (c == "C 1").then(|| "刘某诉某公司".into()));
        assert!(html.starts_with("<ol class=\"attention-list\"><li class=\"entry sev-medium\" data-entry-id=\"7\"><p class=\"entry-head\"><span class=\"badge sev-medium\" title=\"紧急程度\">中</span> <b>质检项得分过低</b> · <a href=\"/cases/C%201\" title=\"打开案件(可接管)\">刘某诉某公司</a></p>"), "{html}");
        assert!(html.contains("<p class=\"reason\">质检项「开场&lt;规范&gt;」得分 2/10(20%),不高于 40%</p>"), "{html}");
        assert!(html.contains("<a class=\"evidence\" href=\"/cases/C%201/calls/J%201\">查看通话证据</a>"), "{html}");
        assert!(html.contains("<label for=\"ack-note-7\">处理说明</label><input type=\"text\" id=\"ack-note-7\" maxlength=\"500\"><button type=\"button\" class=\"btn small\" data-attention-ack=\"7\">确认已处理</button>"), "{html}");
        assert!(html.contains("data-attention-assign=\"7\""), "{html}");
        // A mediator acknowledges but does not assign; an admin assigns but does not acknowledge.
        let mediator = queue_html(cx, &[entry(7, Some("C 1"), item())], true, false, |_| None);
        assert!(mediator.contains("data-attention-ack") && !mediator.contains("data-attention-assign") && mediator.contains(">C 1</a>"), "{mediator}");
        let admin = queue_html(cx, &[entry(7, Some("C 1"), item())], false, true, |_| None);
        assert!(!admin.contains("data-attention-ack") && admin.contains("data-attention-assign"), "{admin}");
        // Without a case: no links, and nothing to assign.
        let unknown = queue_html(cx, &[entry(8, None, item())], true, true, |_| None);
        assert!(unknown.contains("<span class=\"muted\">所属案件尚不清楚</span>") && !unknown.contains("<a ") && !unknown.contains("data-attention-assign"), "{unknown}");
    }

    #[test]
    fn a_handled_entry_says_who_and_what_and_has_no_forms() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: true };
        let mut e = entry(9, Some("C1"), item());
        e.assignee = Some("lihua".into());
        e.acked_by = Some("lihua".into());
        e.ack_note = Some("已回访 <ok>".into());
        let html = queue_html(cx, &[e], true, true, |_| None);
        assert!(html.contains("<span class=\"badge assigned\">已指派给 lihua</span>"), "{html}");
        assert!(html.contains("<p class=\"acked\">lihua 已处理:已回访 &lt;ok&gt;</p></li>"), "{html}");
        assert!(!html.contains("<input") && html.contains("href=\"/embed/cases/C1/calls/J%201\""), "{html}");
        assert_eq!(queue_html(cx, &[], true, true, |_| None), Html::empty("没有待处理事项"));
    }

    #[test]
    fn rules_read_as_words_and_admins_get_a_form_per_rule() {
        let t = Locale::zh_CN.strings();
        let rules = default_rules();
        let read = rules_html(t, &rules, false);
        assert!(read.contains("<tr data-rule-id=\"qa-total-low\"><td>质检总分偏低</td><td>高</td><td>✓</td><td>质检总分低于 60%</td></tr>"), "{read}");
        assert!(read.contains("<td>摘要「通话结果」为:要求修改、未表态</td>"), "{read}");
        assert!(read.contains("<tr data-rule-id=\"not-connected\"><td>多次未接通</td><td>中</td><td>✓</td><td>同一当事人连续 3 次外呼未接通</td></tr>"), "{read}");
        assert!(!read.contains("<input"), "{read}");
        let edit = rules_html(t, &rules, true);
        assert!(edit.contains("<input type=\"number\" id=\"rule-qa-total-low-percent\" aria-label=\"阈值(%)\" min=\"0\" max=\"100\" value=\"60\">"), "{edit}");
        assert!(edit.contains("<input type=\"text\" id=\"rule-agreement-unconfirmed-values\" aria-label=\"取值(用逗号分隔)\" value=\"要求修改,未表态\">"), "{edit}");
        assert!(edit.contains("<input type=\"number\" id=\"rule-not-connected-count\" aria-label=\"连续次数\" min=\"2\" max=\"20\" value=\"3\">"), "{edit}");
        assert!(edit.contains("<option value=\"high\" selected>高</option>"), "{edit}");
        assert!(edit.contains("<input type=\"checkbox\" id=\"rule-call-limit-enabled\" aria-label=\"启用\" checked>"), "{edit}");
        assert!(edit.contains("<button type=\"button\" class=\"btn small\" data-rule-save=\"call-limit\">保存</button>"), "{edit}");
    }

    #[test]
    fn the_team_table_says_each_figure() {
        let t = Locale::zh_CN.strings();
        let rows = [TeamRow { mediator: "zhangmin".into(), cases: 3, called_today: 2, connected_today: 1, attention: 4 }, TeamRow { mediator: "lihua".into(), cases: 1, called_today: 0, connected_today: 0, attention: 0 }];
        let html = team_html(t, &rows);
        assert!(html.contains("<tr><th scope=\"row\">zhangmin</th><td>3</td><td>2</td><td>1</td><td>50%</td><td>4</td></tr>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">lihua</th><td>1</td><td>0</td><td>0</td><td>—</td><td>0</td></tr>"), "{html}");
        assert_eq!(team_html(t, &[]), Html::empty("还没有调解员接管或被指派的案件"));
    }
}
