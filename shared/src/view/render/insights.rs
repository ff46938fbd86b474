//! 质检分析 / QA insights: the filter form, the overview in words, and each
//! view as a chart (`shared::view::chart`) with its table beside it and an
//! export button ([`CSV_EXPORT`]); the CSV of each view.

use crate::view::chart::{bar_chart, line_chart, Series};
use crate::view::html::Html;
use crate::view::labels::fill;
use crate::view::route::Page;
use crate::wire::insights::{InsightsQuery, ItemInsight, QaInsights};
use crate::wire::mediation::DisputeType;
use super::format::dispute_label;

use super::{Ctx, Strings, CSV_EXPORT};

const BINS: [&str; 5] = ["0–19%", "20–39%", "40–59%", "60–79%", "80–100%"];

/// The form: `#ins-from`, `#ins-to`, `#ins-bucket`, `#ins-task` (offered
/// the task names of [`tasks_html`]), `#ins-mediator`. Written from the
/// query alone, so the figures arriving never reset what is being typed.
pub fn filters_html(t: &Strings, q: &InsightsQuery) -> String {
    let a = &t.insights;
    let mut h = Html::new();
    h.tag("form").attr("id", "insights-form").class("filters").body(|h| {
        for (id, label, value) in [("ins-from", a.from, &q.from), ("ins-to", a.to, &q.to)] {
            h.tag("label").class("field").body(|h| {
                h.el("span", "", label);
                h.tag("input").attr("type", "date").attr("id", id).attr("value", value).void();
            });
        }
        h.tag("label").class("field").body(|h| {
            h.el("span", "", a.bucket);
            h.tag("select").attr("id", "ins-bucket").body(|h| {
                for (v, label) in [("day", a.by_day), ("week", a.by_week)] {
                    let o = h.tag("option").attr("value", v);
                    (if q.bucket == v { o.flag("selected") } else { o }).text(label);
                }
            });
        });
        h.tag("label").class("field").body(|h| {
            h.el("span", "", a.task);
            h.tag("input").attr("type", "text").attr("id", "ins-task").attr("list", "ins-tasks").attr("placeholder", a.task_any).num("maxlength", 64).attr("value", q.task.as_deref().unwrap_or_default()).void();
        });
        h.tag("label").class("field").body(|h| {
            h.el("span", "", a.dispute);
            h.tag("select").attr("id", "ins-dispute").body(|h| {
                let any = h.tag("option").attr("value", "");
                (if q.dispute.is_none() { any.flag("selected") } else { any }).text(a.dispute_any);
                for d in DisputeType::KNOWN {
                    let o = h.tag("option").attr("value", d.as_str());
                    (if q.dispute.as_deref() == Some(d.as_str()) { o.flag("selected") } else { o }).text(&dispute_label(t, d));
                }
            });
        });
        h.tag("label").class("field").body(|h| {
            h.el("span", "", a.mediator);
            h.tag("input").attr("type", "text").attr("id", "ins-mediator").num("maxlength", 64).attr("value", q.mediator.as_deref().unwrap_or_default()).void();
        });
        h.tag("button").attr("type", "submit").class("btn").text(a.apply);
    });
    h.finish()
}

/// The task names seen, offered to `#ins-task`.
pub fn tasks_html(tasks: &[String]) -> String {
    let mut h = Html::new();
    h.tag("datalist").attr("id", "ins-tasks").body(|h| {
        for task in tasks {
            h.tag("option").attr("value", task).empty();
        }
    });
    h.finish()
}

fn export_button(h: &mut Html, t: &Strings, view: &str) {
    h.tag("button").attr("type", "button").class("btn small ghost").attr(CSV_EXPORT.attr, view).text(t.insights.export);
}

/// A table: caption, header row, rows (each cell text).
fn table(h: &mut Html, caption: &str, head: &[&str], rows: &[Vec<String>]) {
    h.tag("table").class("chart-table").body(|h| {
        h.el("caption", "", caption);
        h.tag("thead").body(|h| {
            h.tag("tr").body(|h| {
                for c in head {
                    h.tag("th").attr("scope", "col").text(c);
                }
            });
        });
        h.tag("tbody").body(|h| {
            for r in rows {
                h.tag("tr").body(|h| {
                    for (i, c) in r.iter().enumerate() {
                        if i == 0 {
                            h.tag("th").attr("scope", "row").text(c);
                        } else {
                            h.el("td", "", c);
                        }
                    }
                });
            }
        });
    });
}

fn pct(v: i64) -> String {
    format!("{v}%")
}

fn signed(v: i64) -> String {
    if v > 0 {
        format!("+{v}")
    } else {
        v.to_string()
    }
}

fn trend_desc(t: &Strings, i: &ItemInsight) -> String {
    let values: Vec<i64> = i.series.iter().map(|p| p.avg).collect();
    let (min, max, last) = (values.iter().min().copied().unwrap_or(0), values.iter().max().copied().unwrap_or(0), values.last().copied().unwrap_or(0));
    fill(t.insights.trend_desc, &[("n", &values.len().to_string()), ("min", &min.to_string()), ("max", &max.to_string()), ("last", &last.to_string())])
}

/// The rows of each view, as its table shows them and its CSV writes them
/// (the header first): `total`, `items`, `item_trend`, `lowest`, `tags`.
pub fn view_rows(t: &Strings, d: &QaInsights, view: &str) -> Option<Vec<Vec<String>>> {
    let a = &t.insights;
    let mut rows: Vec<Vec<String>> = vec![];
    match view {
        "total" => {
            rows.push(vec![a.col_bucket.into(), a.col_avg.into(), a.col_count.into()]);
            rows.extend(d.total.series.iter().map(|p| vec![p.bucket.clone(), pct(p.avg), p.count.to_string()]));
        }
        "items" => {
            rows.push(vec![a.col_item.into(), a.col_avg.into(), a.col_count.into(), a.col_change.into(), a.col_bins.into()]);
            for i in &d.items {
                let bins: Vec<String> = i.distribution.iter().map(|n| n.to_string()).collect();
                rows.push(vec![i.item.clone(), pct(i.avg), i.count.to_string(), i.change().map(signed).unwrap_or_default(), bins.join(" / ")]);
            }
        }
        "item_trend" => {
            let buckets = buckets_of(d);
            let mut head = vec![a.col_bucket.to_owned()];
            head.extend(d.items.iter().map(|i| i.item.clone()));
            rows.push(head);
            for b in &buckets {
                let mut row = vec![b.clone()];
                row.extend(d.items.iter().map(|i| i.series.iter().find(|p| &p.bucket == b).map(|p| pct(p.avg)).unwrap_or_default()));
                rows.push(row);
            }
        }
        "lowest" => {
            rows.push(vec![a.col_day.into(), a.col_case.into(), "jobId".into(), a.col_score.into(), a.col_problems.into()]);
            for l in &d.lowest {
                let problems: Vec<String> = l
                    .problems
                    .iter()
                    .map(|p| format!("{} {}/{}:{} → {}", p.item, p.score, p.full_score, p.problem.as_deref().unwrap_or_default(), p.suggestion.as_deref().unwrap_or_default()))
                    .collect();
                rows.push(vec![
                    l.day.clone(),
                    l.case_id.clone().unwrap_or_default(),
                    l.job_id.clone().unwrap_or_default(),
                    format!("{}/{} ({}%)", l.score, l.full_score, l.percent),
                    problems.join("; "),
                ]);
            }
        }
        "tags" => {
            rows.push(vec![a.col_tag.into(), a.col_value.into(), a.col_count.into()]);
            rows.extend(d.tags.iter().map(|g| vec![g.tag.clone(), g.value.clone(), g.count.to_string()]));
        }
        _ => return None,
    }
    Some(rows)
}

/// Every bucket any item has, in order.
fn buckets_of(d: &QaInsights) -> Vec<String> {
    let mut all: Vec<String> = d.total.series.iter().map(|p| p.bucket.clone()).collect();
    for i in &d.items {
        for p in &i.series {
            if !all.contains(&p.bucket) {
                all.push(p.bucket.clone());
            }
        }
    }
    all.sort();
    all
}

/// A view's section: heading with its export button, the chart, the table.
fn section(h: &mut Html, t: &Strings, view: &str, title: &str, chart: Html, d: &QaInsights) {
    let rows = view_rows(t, d, view).unwrap_or_default();
    h.tag("section").class("insight").attr("aria-labelledby", &format!("ins-{view}-h")).body(|h| {
        h.tag("h3").attr("id", &format!("ins-{view}-h")).body(|h| {
            h.text(title).text(" ");
            export_button(h, t, view);
        });
        h.append(chart);
        let head: Vec<&str> = rows.first().map(|r| r.iter().map(String::as_str).collect()).unwrap_or_default();
        table(h, &format!("{title}{}", t.insights.table), &head, rows.get(1..).unwrap_or_default());
    });
}

/// Everything below the form.
pub fn insights_html(cx: Ctx, d: &QaInsights) -> String {
    let t = cx.t;
    let a = &t.insights;
    if d.total.count == 0 {
        return Html::empty(a.none);
    }
    let mut h = Html::new();
    h.tag("p").class("overview").attr("id", "insights-overview").body(|h| {
        h.text(&fill(a.overview, &[("count", &d.total.count.to_string()), ("avg", &d.total.avg.to_string())]));
        if let Some(c) = d.total.change() {
            h.text(";").text(&fill(a.change, &[("sign", if c > 0 { "+" } else { "" }), ("n", &c.to_string())]));
        }
    });
    let buckets: Vec<String> = d.total.series.iter().map(|p| p.bucket.clone()).collect();
    let total_values = d.total.series.iter().map(|p| Some(p.avg)).collect();
    let chart = line_chart("chart-total", a.total_trend, &trend_desc(t, &d.total), &buckets, &[Series { name: a.col_avg, values: total_values }]);
    section(&mut h, t, "total", a.total_trend, chart, d);

    let low = d.total.distribution.iter().take(3).sum::<i64>();
    let high = d.total.distribution.iter().skip(3).sum::<i64>();
    let bars: Vec<(String, i64)> = BINS.iter().zip(&d.total.distribution).map(|(b, n)| ((*b).to_owned(), *n)).collect();
    let dist_desc = fill(a.dist_desc, &[("low", &low.to_string()), ("high", &high.to_string())]);
    h.tag("section").class("insight").attr("aria-labelledby", "ins-dist-h").body(|h| {
        h.tag("h3").attr("id", "ins-dist-h").text(a.distribution);
        h.append(bar_chart("chart-dist", a.distribution, &dist_desc, &bars, false));
        let rows: Vec<Vec<String>> = bars.iter().map(|(b, n)| vec![b.clone(), n.to_string()]).collect();
        table(h, &format!("{}{}", a.distribution, a.table), &[a.bin, a.col_count], &rows);
    });

    let lowest_item = d.items.iter().min_by_key(|i| i.avg);
    let items_desc = fill(a.items_desc, &[("n", &d.items.len().to_string()), ("item", lowest_item.map(|i| i.item.as_str()).unwrap_or_default()), ("avg", &lowest_item.map(|i| i.avg).unwrap_or(0).to_string())]);
    let bars: Vec<(String, i64)> = d.items.iter().map(|i| (i.item.clone(), i.avg)).collect();
    section(&mut h, t, "items", a.items_avg, bar_chart("chart-items", a.items_avg, &items_desc, &bars, true), d);

    let all = buckets_of(d);
    let series: Vec<Series> = d.items.iter().map(|i| Series { name: &i.item, values: all.iter().map(|b| i.series.iter().find(|p| &p.bucket == b).map(|p| p.avg)).collect() }).collect();
    section(&mut h, t, "item_trend", a.items_trend, line_chart("chart-item-trend", a.items_trend, &items_desc, &all, &series), d);

    // The lowest calls link to their case and call.
    h.tag("section").class("insight").attr("aria-labelledby", "ins-lowest-h").body(|h| {
        h.tag("h3").attr("id", "ins-lowest-h").body(|h| {
            h.text(a.lowest).text(" ");
            export_button(h, t, "lowest");
        });
        h.tag("table").class("chart-table lowest").body(|h| {
            h.el("caption", "sr-only", a.lowest);
            h.tag("thead").body(|h| {
                h.tag("tr").body(|h| {
                    for c in [a.col_day, a.col_case, a.col_score, a.col_problems] {
                        h.tag("th").attr("scope", "col").text(c);
                    }
                });
            });
            h.tag("tbody").body(|h| {
                for l in &d.lowest {
                    h.tag("tr").attr("data-job-id", l.job_id.as_deref().unwrap_or_default()).body(|h| {
                        h.tag("th").attr("scope", "row").text(&l.day);
                        h.tag("td").body(|h| match (&l.case_id, &l.job_id) {
                            (Some(c), Some(j)) => {
                                h.tag("a").attr("href", &Page::Call { case_id: c.clone(), job_id: j.clone() }.href(cx.embedded)).text(a.open_call);
                                h.text(" · ").text(c);
                            }
                            _ => {
                                h.text(l.job_id.as_deref().unwrap_or("—"));
                            }
                        });
                        h.el("td", "", &format!("{}/{} ({}%)", l.score, l.full_score, l.percent));
                        h.tag("td").body(|h| {
                            h.tag("ul").class("problems").body(|h| {
                                for p in &l.problems {
                                    h.tag("li").body(|h| {
                                        h.el("b", "", &format!("{} {}/{}", p.item, p.score, p.full_score)).text(":");
                                        h.text(p.problem.as_deref().unwrap_or_default()).text(" → ").text(p.suggestion.as_deref().unwrap_or_default());
                                    });
                                }
                            });
                        });
                    });
                }
            });
        });
    });

    h.tag("section").class("insight").attr("aria-labelledby", "ins-tags-h").body(|h| {
        h.tag("h3").attr("id", "ins-tags-h").body(|h| {
            h.text(a.tags).text(" ");
            export_button(h, t, "tags");
        });
        let rows = view_rows(t, d, "tags").unwrap_or_default();
        let head: Vec<&str> = rows.first().map(|r| r.iter().map(String::as_str).collect()).unwrap_or_default();
        table(h, a.tags, &head, rows.get(1..).unwrap_or_default());
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::insights::{LowCall, Point, Problem, TagCount};

    fn point(b: &str, avg: i64, count: i64) -> Point {
        Point { bucket: b.into(), avg, count }
    }

    fn data() -> QaInsights {
        QaInsights {
            query: InsightsQuery { from: "2026-11-20".into(), to: "2026-11-21".into(), bucket: "day".into(), task: None, mediator: None, dispute: None },
            total: ItemInsight { item: String::new(), avg: 62, count: 2, distribution: vec![0, 0, 1, 1, 0], series: vec![point("2026-11-20", 68, 1), point("2026-11-21", 56, 1)] },
            items: vec![
                ItemInsight { item: "开场规范".into(), avg: 50, count: 2, distribution: vec![0, 1, 0, 0, 1], series: vec![point("2026-11-20", 20, 1), point("2026-11-21", 80, 1)] },
                ItemInsight { item: "身份核实".into(), avg: 70, count: 1, distribution: vec![0, 0, 0, 0, 1], series: vec![point("2026-11-21", 70, 1)] },
            ],
            lowest: vec![LowCall {
                job_id: Some("J1".into()),
                case_id: Some("C1".into()),
                day: "2026-11-21".into(),
                percent: 56,
                score: "14".into(),
                full_score: "25".into(),
                problems: vec![Problem { item: "开场规范".into(), score: "8".into(), full_score: "10".into(), problem: Some("未报<名>".into()), suggestion: Some("先说明".into()) }],
            }],
            tags: vec![TagCount { tag: "履约情况".into(), value: "未支付".into(), count: 2 }],
            tasks: vec!["履约回访".into()],
        }
    }

    #[test]
    fn every_chart_has_its_table_and_an_export() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let html = insights_html(cx, &data());
        assert!(html.starts_with("<p class=\"overview\" id=\"insights-overview\">2 通电话的质检总分平均得分率为 62%;最后一个时段比第一个时段 -12 个百分点</p>"), "{html}");
        assert_eq!(html.matches("<svg class=\"chart\"").count(), 4);
        assert_eq!(html.matches("<table class=\"chart-table").count(), 6, "four charts' tables, the lowest calls and the tags");
        for view in ["total", "items", "item_trend", "lowest", "tags"] {
            assert!(html.contains(&format!("data-csv=\"{view}\"")), "{view}");
        }
        assert!(html.contains("<caption>质检总分趋势(平均得分率)(表格)</caption>"), "{html}");
        assert!(html.contains("<tr><th scope=\"row\">2026-11-21</th><td>56%</td><td>1</td></tr>"), "{html}");
        assert!(html.contains("<desc id=\"chart-total-desc\">2 个时段,最低 56%,最高 68%,最后一个时段 56%</desc>"), "{html}");
        assert!(html.contains("<desc id=\"chart-dist-desc\">1 通低于 60%,1 通不低于 60%</desc>"), "{html}");
        assert!(html.contains("<a href=\"/cases/C1/calls/J1\">查看通话</a> · C1"), "{html}");
        assert!(html.contains("<li><b>开场规范 8/10</b>:未报&lt;名&gt; → 先说明</li>"), "{html}");
        // The item trend: one column per item, a blank where an item has no score that day.
        assert!(html.contains("<tr><th scope=\"row\">2026-11-20</th><td>20%</td><td></td></tr>"), "{html}");
        let empty = QaInsights { total: ItemInsight { count: 0, ..data().total }, ..data() };
        assert_eq!(insights_html(cx, &empty), Html::empty("这段时间没有质检结果"));
    }

    #[test]
    fn the_csv_of_a_view_is_its_table() {
        let t = Locale::en.strings();
        let d = data();
        let items = view_rows(t, &d, "items").unwrap();
        assert_eq!(items[0], ["QA item", "Average", "Calls", "Change (points)", "Distribution 0–19 / 20–39 / 40–59 / 60–79 / 80–100%"]);
        assert_eq!(items[1], ["开场规范", "50%", "2", "+60", "0 / 1 / 0 / 0 / 1"]);
        assert_eq!(items[2][3], "", "one bucket: no change");
        assert_eq!(view_rows(t, &d, "lowest").unwrap()[1], ["2026-11-21", "C1", "J1", "14/25 (56%)", "开场规范 8/10:未报<名> → 先说明"]);
        assert_eq!(view_rows(t, &d, "tags").unwrap()[1], ["履约情况", "未支付", "2"]);
        assert_eq!(view_rows(t, &d, "nope"), None);
    }

    #[test]
    fn the_form_keeps_the_query() {
        let q = InsightsQuery { from: "2026-11-01".into(), to: "2026-11-30".into(), bucket: "week".into(), task: Some("协议确认".into()), mediator: Some("zm".into()), dispute: Some("tenancy".into()) };
        let html = filters_html(Locale::zh_CN.strings(), &q);
        assert!(html.contains("<input type=\"date\" id=\"ins-from\" value=\"2026-11-01\">"), "{html}");
        assert!(html.contains("<option value=\"week\" selected>按周</option>"), "{html}");
        assert!(html.contains("<input type=\"text\" id=\"ins-task\" list=\"ins-tasks\" placeholder=\"全部任务\" maxlength=\"64\" value=\"协议确认\">"), "{html}");
        assert_eq!(tasks_html(&["履约回访".into()]), "<datalist id=\"ins-tasks\"><option value=\"履约回访\"></option></datalist>");
        assert!(html.contains("id=\"ins-mediator\" maxlength=\"64\" value=\"zm\">"), "{html}");
        assert!(html.contains("<select id=\"ins-dispute\"><option value=\"\">全部纠纷类型</option><option value=\"wage_arrears\">劳动报酬</option>"), "{html}");
        assert!(html.contains("<option value=\"tenancy\" selected>房屋租赁</option></select>"), "{html}");
    }
}
