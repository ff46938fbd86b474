//! The board's rows (a window of the filtered list between two spacers that
//! stand for the rows out of view) and its status chips.

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::view::route::Page;
use crate::view::board::BoardFilter;
use crate::wire::presets::FilterPreset;
use crate::wire::mediation::{BoardRecord, CallStatus, CallType, DisputeType};

use super::format::{call_type_label, dispute_label, duration, stage_label, status_class, status_label, status_value_label};
use super::{Ctx, Strings, CASE_ROW, PICK, PRESET_BUTTON, STATUS_BUTTON};

/// The height of one board row in pixels (the spacers and the scroll
/// position are counted in rows).
pub const ROW_HEIGHT: usize = 44;

/// The status chips: each status's label and count; the selected one pressed.
pub fn chips_html(t: &Strings, counts: &[(String, usize)], selected: Option<&str>) -> String {
    let mut h = Html::new();
    for (value, n) in counts {
        let status = (value != crate::view::board::NO_CALL).then(|| CallStatus::parse(value));
        h.tag("button")
            .attr("type", "button")
            .attr("class", &format!("chip {}", status_class(status.as_ref())))
            .attr("aria-pressed", if selected == Some(value.as_str()) { "true" } else { "false" })
            .attr(STATUS_BUTTON.attr, value)
            .body(|h| {
                h.el("span", "", &status_value_label(t, value)).text(" ").el("b", "", &n.to_string());
            });
    }
    h.finish()
}

/// The filters beyond stage, status and takeover: dispute kind, call type,
/// the last call's day range and the amount range, each a labelled field
/// showing the filter's value (`#filter-dispute`, `#filter-type`,
/// `#filter-from`, `#filter-to`, `#filter-min`, `#filter-max`).
pub fn more_filters_html(t: &Strings, f: &BoardFilter) -> String {
    let b = &t.board;
    let mut h = Html::new();
    let select = |h: &mut Html, id: &'static str, label: &str, chosen: Option<&str>, options: &[(&str, String)]| {
        h.tag("label").class("field").body(|h| {
            h.el("span", "", label);
            h.tag("select").attr("id", id).body(|h| {
                h.tag("option").attr("value", "").text(b.all);
                for (value, text) in options {
                    let o = h.tag("option").attr("value", value);
                    if chosen == Some(*value) { o.flag("selected") } else { o }.text(text);
                }
            });
        });
    };
    let disputes = [DisputeType::WageArrears, DisputeType::Neighbour, DisputeType::Consumer, DisputeType::Tenancy];
    let options: Vec<(&str, String)> = disputes.iter().map(|d| (d.as_str(), dispute_label(t, d))).collect();
    select(&mut h, "filter-dispute", b.dispute, f.dispute.as_ref().map(|d| d.as_str()), &options);
    let types = [CallType::Agreement, CallType::FollowUp];
    let options: Vec<(&str, String)> = types.iter().map(|c| (c.as_str(), call_type_label(t, c))).collect();
    select(&mut h, "filter-type", b.call_type, f.call_type.as_ref().map(|c| c.as_str()), &options);
    let input = |h: &mut Html, id: &'static str, kind: &'static str, label: &str, value: String| {
        h.tag("label").class("field").body(|h| {
            h.el("span", "", label);
            let i = h.tag("input").attr("type", kind).attr("id", id).attr("value", &value);
            if kind == "number" { i.attr("min", "0").attr("step", "1") } else { i }.void();
        });
    };
    input(&mut h, "filter-from", "date", b.from, f.from.clone().unwrap_or_default());
    input(&mut h, "filter-to", "date", b.to, f.to.clone().unwrap_or_default());
    input(&mut h, "filter-min", "number", b.min, f.min_amount.map(|v| v.to_string()).unwrap_or_default());
    input(&mut h, "filter-max", "number", b.max, f.max_amount.map(|v| v.to_string()).unwrap_or_default());
    let qa = f.qa_below.map(|q| q.to_string());
    let options = [("60", fill(b.qa_below, &[("n", "60")])), ("40", fill(b.qa_below, &[("n", "40")]))];
    select(&mut h, "filter-qa", b.qa, qa.as_deref(), &options);
    h.finish()
}

/// The common filters offered to everyone (label, query) for `today`.
pub fn common_presets(t: &Strings, today: &str) -> [(&'static str, String); 2] {
    [
        (t.board.preset_not_connected, format!("status=NoAnswer&from={today}&to={today}")),
        (t.board.preset_follow_up, "stage=follow_up".to_owned()),
    ]
}

/// The saved filters: a list to apply one (`#preset`: option values are
/// `c:<query>` for the common ones and `<id>:<query>` for the user's), a
/// name to save the current filter under (`#preset-name`), and save and
/// delete buttons ([`PRESET_BUTTON`] = `save` / `delete`).
pub fn presets_html(t: &Strings, today: &str, mine: &[FilterPreset]) -> String {
    let b = &t.board;
    let mut h = Html::new();
    h.tag("label").class("field").body(|h| {
        h.el("span", "", b.presets);
        h.tag("select").attr("id", "preset").body(|h| {
            h.tag("option").attr("value", "").text(b.preset_pick);
            h.tag("optgroup").attr("label", b.preset_common).body(|h| {
                for (label, query) in common_presets(t, today) {
                    h.tag("option").attr("value", &format!("c:{query}")).text(label);
                }
            });
            if !mine.is_empty() {
                h.tag("optgroup").attr("label", b.preset_mine).body(|h| {
                    for p in mine {
                        h.tag("option").attr("value", &format!("{}:{}", p.id, p.query)).text(&p.name);
                    }
                });
            }
        });
    });
    h.tag("label").class("field").body(|h| {
        h.el("span", "", b.preset_name);
        h.tag("input").attr("id", "preset-name").attr("maxlength", "30").attr("autocomplete", "off").void();
    });
    h.tag("button").attr("type", "button").class("btn").attr(PRESET_BUTTON.attr, "save").text(b.preset_save);
    if !mine.is_empty() {
        h.tag("button").attr("type", "button").class("btn ghost").attr(PRESET_BUTTON.attr, "delete").text(b.preset_delete);
    }
    h.finish()
}

/// The rows `start..end` of the filtered list `rows` (indices into
/// `records`), between two spacers that stand for the rows out of view.
/// `selected`: the case ids whose checkbox is ticked.
pub fn rows_html(cx: Ctx, records: &[BoardRecord], rows: &[usize], start: usize, end: usize, selected: &[String]) -> String {
    let mut h = Html::new();
    let spacer = |h: &mut Html, n: usize| {
        h.tag("tr").class("spacer").attr("aria-hidden", "true").attr("style", &format!("height: {}px", n * ROW_HEIGHT)).empty();
    };
    spacer(&mut h, start);
    for (k, &i) in rows[start..end].iter().enumerate() {
        row_html(&mut h, cx, &records[i], start + k, selected.contains(&records[i].case_id));
    }
    if rows.is_empty() {
        h.tag("tr").class("no-match").body(|h| {
            h.tag("td").attr("colspan", "9").class("empty").attr("role", "status").text(cx.t.board.empty);
        });
    }
    spacer(&mut h, rows.len() - end);
    h.finish()
}

fn row_html(h: &mut Html, cx: Ctx, record: &BoardRecord, position: usize, picked: bool) {
    let dash = |s: &str| if s.is_empty() { "—".to_owned() } else { s.to_owned() };
    let start = record.start_time.get(5..16.min(record.start_time.len())).unwrap_or_default();
    let href = Page::Case { case_id: record.case_id.clone() }.href(cx.embedded);
    h.tag("tr").class("row").attr(CASE_ROW.attr, &record.case_id).num("aria-rowindex", position as i64 + 2).body(|h| {
        h.tag("td").class("pick").body(|h| {
            let label = fill(cx.t.bulk.pick, &[("name", &record.case_name)]);
            let input = h.tag("input").attr("type", "checkbox").attr(PICK.attr, &record.case_id).attr("aria-label", &label);
            if picked { input.flag("checked") } else { input }.void();
        });
        h.tag("td").class("case").body(|h| {
            h.tag("a").attr("href", &href).text(&record.case_name);
            h.el("small", "", &record.case_id);
        });
        h.el("td", "", &stage_label(cx.t, &record.stage));
        h.el("td", "", &dash(record.call_person().map(|p| p.name.as_str()).unwrap_or_default()));
        h.tag("td").body(|h| {
            h.el("span", status_class(record.call_status.as_ref()), &status_label(cx.t, record.call_status.as_ref()));
        });
        match record.qa_percent {
            Some(p) => h.el("td", if p < 60 { "num qa low" } else { "num qa" }, &format!("{p}%")),
            None => h.el("td", "num qa", "—"),
        };
        h.el("td", "", &dash(record.takeover_user.as_deref().unwrap_or_default()));
        h.el("td", "", &dash(start));
        h.el("td", "num", &record.duration_seconds().map(duration).unwrap_or_else(|| "—".into()));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;

    fn record(case_id: &str, name: &str) -> BoardRecord {
        BoardRecord {
            case_id: case_id.into(),
            case_name: name.into(),
            stage: crate::wire::mediation::Stage::Mediating,
            call_status: Some(CallStatus::Succeeded),
            start_time: "2026-03-15 10:00:00".into(),
            ..Default::default()
        }
    }

    #[test]
    fn rows_link_to_their_case_escaped_and_between_spacers() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: true };
        let mut records = vec![record("C-1", "<b>王</b>"), record("C 2", "李")];
        records[0].qa_percent = Some(45);
        let html = rows_html(cx, &records, &[1, 0], 0, 2, &["C-1".to_owned()]);
        // The QA column: the latest total, marked when low; a dash without one.
        assert!(html.contains("已接通</span></td><td class=\"num qa\">—</td>"), "{html}");
        assert!(html.contains("<td class=\"num qa low\">45%</td>"), "{html}");
        assert!(html.starts_with("<tr class=\"spacer\" aria-hidden=\"true\" style=\"height: 0px\"></tr><tr class=\"row\" data-case-id=\"C 2\" aria-rowindex=\"2\">"), "{html}");
        assert!(html.contains("<a href=\"/embed/cases/C%202\">李</a>"), "{html}");
        // Each row's checkbox is named after its case; the selected ones ticked.
        assert!(html.contains("<td class=\"pick\"><input type=\"checkbox\" data-pick=\"C 2\" aria-label=\"选择 李\"></td>"), "{html}");
        assert!(html.contains("<input type=\"checkbox\" data-pick=\"C-1\" aria-label=\"选择 &lt;b&gt;王&lt;/b&gt;\" checked>"), "{html}");
        assert!(html.contains("&lt;b&gt;王&lt;/b&gt;"), "{html}");
        assert!(html.contains("<span class=\"st st-connected\">已接通</span>"), "{html}");
        assert_eq!(html.matches("<tr").count(), html.matches("</tr>").count());
        let none = rows_html(cx, &records, &[], 0, 0, &[]);
        assert!(none.contains(&format!("role=\"status\">{}</td>", cx.t.board.empty)), "{none}");
    }

    #[test]
    fn saved_filters_offer_the_common_ones_and_the_user_s_own() {
        let t = Locale::zh_CN.strings();
        let none = presets_html(t, "2026-12-01", &[]);
        assert!(none.contains("<optgroup label=\"常用\"><option value=\"c:status=NoAnswer&amp;from=2026-12-01&amp;to=2026-12-01\">今天未接通</option><option value=\"c:stage=follow_up\">待回访</option></optgroup></select>"), "{none}");
        assert!(!none.contains("data-preset=\"delete\""), "{none}");
        let mine = [FilterPreset { id: 7, name: "我的 <案件>".into(), query: "mine=1".into(), created_at: 0 }];
        let html = presets_html(t, "2026-12-01", &mine);
        assert!(html.contains("<optgroup label=\"我保存的\"><option value=\"7:mine=1\">我的 &lt;案件&gt;</option></optgroup>"), "{html}");
        assert!(html.contains("<input id=\"preset-name\" maxlength=\"30\" autocomplete=\"off\"></label><button type=\"button\" class=\"btn\" data-preset=\"save\">保存筛选</button><button type=\"button\" class=\"btn ghost\" data-preset=\"delete\">删除所选筛选</button>"), "{html}");
    }

    #[test]
    fn the_other_filters_show_the_filter_s_values() {
        let t = Locale::zh_CN.strings();
        let f = BoardFilter::from_query("dispute=tenancy&type=follow_up&from=2026-11-01&min=500&qa=60");
        let html = more_filters_html(t, &f);
        assert!(html.contains(&format!("<option value=\"tenancy\" selected>{}</option>", dispute_label(t, &DisputeType::Tenancy))), "{html}");
        assert!(html.contains(&format!("<option value=\"follow_up\" selected>{}</option>", call_type_label(t, &CallType::FollowUp))), "{html}");
        assert!(html.contains("<input type=\"date\" id=\"filter-from\" value=\"2026-11-01\"></label>"), "{html}");
        assert!(html.contains("<input type=\"date\" id=\"filter-to\" value=\"\"></label>"), "{html}");
        assert!(html.contains("<input type=\"number\" id=\"filter-min\" value=\"500\" min=\"0\" step=\"1\"></label>"), "{html}");
        assert!(html.contains("<option value=\"60\" selected>低于 60%</option><option value=\"40\">低于 40%</option>"), "{html}");
        assert_eq!(html.matches(" selected>").count(), 3);
        assert_eq!(html.matches("<label").count(), 7);
    }

    #[test]
    fn chips_carry_their_status_value_and_the_pressed_state() {
        let t = Locale::en.strings();
        let html = chips_html(t, &[("Busy".into(), 3), (crate::view::board::NO_CALL.into(), 12)], Some("Busy"));
        assert!(html.starts_with("<button type=\"button\" class=\"chip st st-notconnected\" aria-pressed=\"true\" data-status=\"Busy\">"), "{html}");
        assert!(html.contains(&format!("<span>{}</span> <b>12</b>", t.status.none)), "{html}");
        assert_eq!(html.matches("aria-pressed=\"false\"").count(), 1);
    }
}
