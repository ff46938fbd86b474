//! The board's bulk run: what is selected, the run's progress, and each
//! case's outcome as it arrives; buttons carry [`BULK_BUTTON`] (`call`,
//! `clear`, `stop`).

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::wire::api::PlacedCalls;
use crate::wire::mediation::CallErrorCode;

use super::{Strings, BULK_BUTTON};

/// How one case of a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BulkOutcome {
    Started,
    MustWait,
    LimitReached,
    /// The backend's or the edge's refusal, or the network's failure.
    Failed(String),
}

impl BulkOutcome {
    /// What call-v2 said for the case's party.
    pub fn of(answer: &PlacedCalls) -> BulkOutcome {
        match answer.results.first() {
            Some(r) => match r.error_code {
                CallErrorCode::Started => BulkOutcome::Started,
                CallErrorCode::MustWait => BulkOutcome::MustWait,
                CallErrorCode::LimitReached => BulkOutcome::LimitReached,
                CallErrorCode::Other(_) => BulkOutcome::Failed(r.message.clone()),
            },
            None => BulkOutcome::Failed(String::new()),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkItem {
    pub case_id: String,
    pub case_name: String,
    pub outcome: BulkOutcome,
}

/// Where a run is: not started, `done` of `total` under way, or over (stopped or not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Idle,
    Running { done: usize, total: usize },
    Finished { total: usize },
    Stopped { done: usize, total: usize },
}

pub fn bulk_html(t: &Strings, selected: usize, state: RunState, items: &[BulkItem]) -> String {
    let b = &t.bulk;
    let mut h = Html::new();
    if selected == 0 && state == RunState::Idle {
        return String::new();
    }
    let button = |h: &mut Html, act: &str, label: &str| {
        h.tag("button").attr("type", "button").class("btn").attr(BULK_BUTTON.attr, act).text(label);
    };
    h.tag("div").class("bulk-bar").body(|h| {
        h.el("span", "", &fill(b.selected, &[("n", &selected.to_string())]));
        match state {
            RunState::Running { .. } => button(h, "stop", b.stop),
            _ => {
                if selected > 0 {
                    button(h, "call", b.call);
                }
                button(h, "clear", b.clear);
            }
        }
    });
    let progress = match state {
        RunState::Idle => None,
        RunState::Running { done, total } => Some(fill(b.running, &[("done", &done.to_string()), ("n", &total.to_string())])),
        RunState::Finished { total } => Some(fill(b.finished, &[("n", &total.to_string())])),
        RunState::Stopped { done, total } => Some(fill(b.stopped, &[("done", &done.to_string()), ("n", &total.to_string())])),
    };
    if let Some(p) = progress {
        h.tag("p").attr("id", "bulk-progress").attr("role", "status").text(&p);
    }
    if !items.is_empty() {
        h.tag("ol").attr("id", "bulk-outcomes").body(|h| {
            for item in items {
                let (class, label, why) = match &item.outcome {
                    BulkOutcome::Started => ("outcome ok", t.action.outcome_started, ""),
                    BulkOutcome::MustWait => ("outcome warn", t.action.outcome_wait, ""),
                    BulkOutcome::LimitReached => ("outcome warn", t.action.outcome_limit, ""),
                    BulkOutcome::Failed(why) => ("outcome bad", b.failed, why.as_str()),
                };
                h.tag("li").class(class).attr("data-case", &item.case_id).body(|h| {
                    h.el("b", "", &item.case_name).text(": ").text(label);
                    if !why.is_empty() {
                        h.text(" — ").text(why);
                    }
                });
            }
        });
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::api::CallOutcome;

    fn answer(code: i64, message: &str) -> PlacedCalls {
        PlacedCalls { results: vec![CallOutcome { error_code: CallErrorCode::from_code(code), message: message.into(), person_id: "p".into(), start_time: None }] }
    }

    #[test]
    fn each_case_s_outcome_is_read_from_its_answer() {
        assert_eq!(BulkOutcome::of(&answer(0, "外呼发起成功")), BulkOutcome::Started);
        assert_eq!(BulkOutcome::of(&answer(1001, "须等待")), BulkOutcome::MustWait);
        assert_eq!(BulkOutcome::of(&answer(1002, "已达上限")), BulkOutcome::LimitReached);
        assert_eq!(BulkOutcome::of(&answer(7, "号码无效")), BulkOutcome::Failed("号码无效".into()));
        assert_eq!(BulkOutcome::of(&PlacedCalls { results: vec![] }), BulkOutcome::Failed(String::new()));
    }

    #[test]
    fn the_bar_lists_progress_and_outcomes_and_offers_stop_while_running() {
        let t = Locale::zh_CN.strings();
        assert_eq!(bulk_html(t, 0, RunState::Idle, &[]), "");
        let items = vec![
            BulkItem { case_id: "C1".into(), case_name: "刘某 <欠薪>".into(), outcome: BulkOutcome::Started },
            BulkItem { case_id: "C2".into(), case_name: "李某".into(), outcome: BulkOutcome::Failed("案件已被人工接管".into()) },
        ];
        let running = bulk_html(t, 5, RunState::Running { done: 2, total: 5 }, &items);
        assert!(running.contains("<span>已选 5 个案件</span><button type=\"button\" class=\"btn\" data-bulk=\"stop\">停止</button></div>"), "{running}");
        assert!(!running.contains("data-bulk=\"call\""), "{running}");
        assert!(running.contains("<p id=\"bulk-progress\" role=\"status\">正在逐个外呼:2 / 5</p>"), "{running}");
        assert!(running.contains("<li class=\"outcome ok\" data-case=\"C1\"><b>刘某 &lt;欠薪&gt;</b>: 已发起</li>"), "{running}");
        assert!(running.contains("<li class=\"outcome bad\" data-case=\"C2\"><b>李某</b>: 未发起 — 案件已被人工接管</li>"), "{running}");
        let idle = bulk_html(t, 2, RunState::Idle, &[]);
        assert!(idle.contains("data-bulk=\"call\">为所选案件发起 AI 外呼</button><button type=\"button\" class=\"btn\" data-bulk=\"clear\">清除选择</button>"), "{idle}");
        assert!(bulk_html(t, 0, RunState::Stopped { done: 1, total: 3 }, &items).contains("已停止:1 / 3 个案件已处理,其余未外呼"));
    }
}
