//! Small accessible SVG charts for shares in percent (0–100): a line chart
//! of one or more series over buckets, and a bar chart. Each is an `<svg
//! role="img">` with a title and a description in words, points and bars
//! carry their value as a tooltip, and the caller puts a table with the same
//! figures beside it. Coordinates are whole numbers in a fixed view box, so
//! the board's bundle carries no float formatting.
//!
//! Why our own: plotters' SVG backend was the candidate library, but it
//! brings a font and layout stack for axes and text that would cost more in
//! the wasm bundle than these two charts do in all (see docs/benchmarks.md).

use crate::view::html::Html;

const W: i64 = 640;
const H: i64 = 220;
const LEFT: i64 = 44;
const RIGHT: i64 = 12;
const TOP: i64 = 12;
const BOTTOM: i64 = 36;

/// Colours that stay apart for common colour-vision deficiencies (Okabe–Ito).
pub const PALETTE: [&str; 8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D1F"];

/// One line: its name and a value (0–100) per bucket, `None` where it has none.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<Option<i64>>,
}

/// The chart's `<svg role="img">` with its title and description in words, then `content`.
fn svg(h: &mut Html, id: &str, title: &str, desc: &str, content: impl FnOnce(&mut Html)) {
    h.tag("svg")
        .class("chart")
        .attr("viewBox", &format!("0 0 {W} {H}"))
        .attr("role", "img")
        .attr("aria-labelledby", &format!("{id}-title {id}-desc"))
        .attr("id", id)
        .body(|h| {
            h.tag("title").attr("id", &format!("{id}-title")).text(title);
            h.tag("desc").attr("id", &format!("{id}-desc")).text(desc);
            content(h);
        });
}

fn y_of(v: i64) -> i64 {
    TOP + (100 - v.clamp(0, 100)) * (H - TOP - BOTTOM) / 100
}

fn grid(h: &mut Html) {
    for v in [0, 50, 100] {
        let y = y_of(v);
        h.tag("line").class("grid").num("x1", LEFT).num("x2", W - RIGHT).num("y1", y).num("y2", y).empty();
        h.tag("text").class("axis").num("x", LEFT - 6).num("y", y + 4).attr("text-anchor", "end").text(&format!("{v}%"));
    }
}

/// Which bucket labels to print under the axis: the first, the last and
/// about five between, so they never overlap.
fn shown_labels(n: usize) -> Vec<usize> {
    if n <= 7 {
        return (0..n).collect();
    }
    let step = n.div_ceil(6);
    let mut out: Vec<usize> = (0..n).step_by(step).collect();
    if *out.last().unwrap_or(&0) != n - 1 {
        if n - 1 - out.last().copied().unwrap_or(0) < step / 2 + 1 {
            out.pop();
        }
        out.push(n - 1);
    }
    out
}

/// A line chart. `desc` says in words what it shows (screen readers read it).
pub fn line_chart(id: &str, title: &str, desc: &str, buckets: &[String], series: &[Series]) -> Html {
    let mut h = Html::new();
    let n = buckets.len() as i64;
    let x_of = |i: i64| if n <= 1 { (LEFT + W - RIGHT) / 2 } else { LEFT + i * (W - LEFT - RIGHT) / (n - 1) };
    svg(&mut h, id, title, desc, |h| {
            grid(h);
            for i in shown_labels(buckets.len()) {
                let label = buckets[i].get(5..).unwrap_or(&buckets[i]);
                h.tag("text").class("axis").num("x", x_of(i as i64)).num("y", H - BOTTOM + 18).attr("text-anchor", "middle").text(label);
            }
            for (k, s) in series.iter().enumerate() {
                let colour = PALETTE[k % PALETTE.len()];
                let points: Vec<String> = s.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{},{}", x_of(i as i64), y_of(v)))).collect();
                h.tag("g").class("series").attr("data-series", s.name).body(|h| {
                    if points.len() > 1 {
                        h.tag("polyline").attr("points", &points.join(" ")).attr("fill", "none").attr("stroke", colour).attr("stroke-width", "2").empty();
                    }
                    for (i, v) in s.values.iter().enumerate() {
                        let Some(v) = v else { continue };
                        h.tag("circle").num("cx", x_of(i as i64)).num("cy", y_of(*v)).num("r", 3).attr("fill", colour).body(|h| {
                            h.tag("title").text(&format!("{} · {}: {v}%", s.name, buckets[i]));
                        });
                    }
                });
            }
        });
    if series.len() > 1 {
        legend(&mut h, series.iter().map(|s| s.name));
    }
    h
}

fn legend<'a>(h: &mut Html, names: impl Iterator<Item = &'a str>) {
    h.tag("ul").class("legend").attr("aria-hidden", "true").body(|h| {
        for (k, name) in names.enumerate() {
            h.tag("li").body(|h| {
                h.tag("span").class("swatch").attr("style", &format!("background:{}", PALETTE[k % PALETTE.len()])).text("");
                h.text(name);
            });
        }
    });
}

/// A bar chart of shares (0–100, `max` = 100) or counts (`max` = the largest).
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[(String, i64)], percent: bool) -> Html {
    let mut h = Html::new();
    let max = if percent { 100 } else { bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) };
    let n = bars.len().max(1) as i64;
    let slot = (W - LEFT - RIGHT) / n;
    let width = (slot * 3 / 5).max(4);
    svg(&mut h, id, title, desc, |h| {
            if percent {
                grid(h);
            } else {
                h.tag("line").class("grid").num("x1", LEFT).num("x2", W - RIGHT).num("y1", y_of(0)).num("y2", y_of(0)).empty();
            }
            for (i, (label, v)) in bars.iter().enumerate() {
                let x = LEFT + i as i64 * slot + (slot - width) / 2;
                let y = y_of(v * 100 / max);
                let value = if percent { format!("{v}%") } else { v.to_string() };
                h.tag("rect").num("x", x).num("y", y).num("width", width).num("height", y_of(0) - y).attr("fill", PALETTE[0]).body(|h| {
                    h.tag("title").text(&format!("{label}: {value}"));
                });
                h.tag("text").class("value").num("x", x + width / 2).num("y", y - 4).attr("text-anchor", "middle").text(&value);
                h.tag("text").class("axis").num("x", x + width / 2).num("y", H - BOTTOM + 18).attr("text-anchor", "middle").text(label);
            }
        });
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_is_an_image_with_words_and_a_point_per_value() {
        let buckets: Vec<String> = ["2026-11-20", "2026-11-21", "2026-11-22"].map(String::from).to_vec();
        let svg = line_chart("t", "质检总分趋势", "从 68% 到 56%", &buckets, &[Series { name: "总分", values: vec![Some(68), None, Some(56)] }]).finish();
        assert!(svg.starts_with("<svg class=\"chart\" viewBox=\"0 0 640 220\" role=\"img\" aria-labelledby=\"t-title t-desc\" id=\"t\"><title id=\"t-title\">质检总分趋势</title><desc id=\"t-desc\">从 68% 到 56%</desc>"), "{svg}");
        // 68% of the 172-unit plot from y = 12: 12 + 32 * 172 / 100 = 67.
        assert!(svg.contains("<polyline points=\"44,67 628,87\""), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2, "no point where there is no value");
        assert!(svg.contains("<title>总分 · 2026-11-22: 56%</title>") && !svg.contains("2026-11-21: "), "{svg}");
        assert!(svg.contains("<text class=\"axis\" x=\"336\" y=\"202\" text-anchor=\"middle\">11-21</text>"), "{svg}");
        assert!(!svg.contains("class=\"legend\""), "one series needs no legend");
        let two = line_chart("u", "x", "y", &buckets, &[Series { name: "a<", values: vec![Some(1); 3] }, Series { name: "b", values: vec![Some(2); 3] }]).finish();
        assert!(two.contains("<ul class=\"legend\" aria-hidden=\"true\"><li><span class=\"swatch\" style=\"background:#0072B2\"></span>a&lt;</li>"), "{two}");
    }

    #[test]
    fn few_bucket_labels_are_printed_when_there_are_many() {
        assert_eq!(shown_labels(3), [0, 1, 2]);
        assert_eq!(shown_labels(30), [0, 5, 10, 15, 20, 25, 29]);
        assert_eq!(shown_labels(31), [0, 6, 12, 18, 24, 30]);
        assert_eq!(shown_labels(0), Vec::<usize>::new());
    }

    #[test]
    fn bars_scale_to_their_kind_and_say_their_value() {
        let bars = vec![("开场规范".to_owned(), 50), ("身份核实".to_owned(), 100)];
        let svg = bar_chart("b", "各质检项平均得分率", "两项", &bars, true).finish();
        assert!(svg.contains("<rect x=\"102\" y=\"98\" width=\"175\" height=\"86\" fill=\"#0072B2\"><title>开场规范: 50%</title></rect>"), "{svg}");
        assert!(svg.contains(">100%</text>"), "{svg}");
        let counts = bar_chart("c", "分布", "d", &[("0–19%".to_owned(), 2), ("20–39%".to_owned(), 4)], false).finish();
        assert!(counts.contains("<title>20–39%: 4</title>") && counts.contains("y=\"12\""), "the largest count is full height: {counts}");
        assert!(!counts.contains(">50%<"), "counts have no percent grid");
    }
}
