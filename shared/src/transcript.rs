//! A call's turns as HTML for the transcript screen. A long call has a
//! thousand turns; building them as one string the browser parses at once is
//! several times faster than creating each node from WebAssembly. Every piece
//! of upstream text is escaped (`markdown::escape_html`), robot scripts are
//! rendered by the markdown reader, and nothing else reaches the markup.

use std::fmt::Write;

use crate::markdown::{escape_html, to_html};
use crate::mediation::{Speaker, Turn, TurnAction};
use crate::time::format_shanghai_time;

/// The words around the turns, in the board's current language.
pub struct TurnLabels<'a> {
    pub robot: &'a str,
    pub party: &'a str,
    /// Screen-reader prefix of each turn's button ("play from here").
    pub seek: &'a str,
    pub begin: &'a str,
    pub end: &'a str,
}

/// `m:ss`, or `h:mm:ss` from an hour.
pub fn duration(secs: u32) -> String {
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Seconds from the first turn to each turn (where the recording plays it).
pub fn offsets(turns: &[Turn]) -> Vec<f64> {
    let origin = turns.first().map(|t| t.timestamp).unwrap_or(0);
    turns.iter().map(|t| (t.timestamp - origin) as f64 / 1000.0).collect()
}

/// The `<li>` elements of the conversation: markers for the begin and end of
/// the dialogue, and for every other turn a button (seek the recording to it;
/// `data-turn` is the turn's index) and the speech bubble. `offsets` are the
/// turns' [`offsets`].
pub fn turns_html(turns: &[Turn], offsets: &[f64], labels: &TurnLabels) -> String {
    let mut out = String::with_capacity(turns.len() * 400);
    for (i, turn) in turns.iter().enumerate() {
        let time = format_shanghai_time(turn.timestamp);
        let marker = match turn.action {
            TurnAction::BeginDialogue => Some(labels.begin),
            TurnAction::EndDialogue => Some(labels.end),
            _ => None,
        };
        if let Some(label) = marker {
            let _ = write!(out, "<li class=\"marker\" data-turn=\"{i}\">");
            escape_html(label, &mut out);
            out.push_str(" · ");
            escape_html(&time, &mut out);
            out.push_str("</li>");
            continue;
        }
        // Few elements per turn: a 1,000-turn call is 1,000 of these, and the
        // browser's parse, style and layout time grows with the element count.
        let robot = turn.speaker == Speaker::Robot;
        let who = if robot { labels.robot } else { labels.party };
        // "10:00:03 +0:03": the turn's clock time and where the recording plays it.
        let when = format!("{time} +{}", duration(offsets.get(i).copied().unwrap_or(0.0) as u32));
        let _ = write!(
            out,
            "<li class=\"turn {}\" data-turn=\"{i}\"><button type=\"button\" class=\"turn-seek\" aria-label=\"",
            if robot { "robot" } else { "party" }
        );
        escape_html(&format!("{} · {who} {when}", labels.seek), &mut out);
        out.push_str("\"><b>");
        escape_html(who, &mut out);
        out.push_str("</b> ");
        escape_html(&when, &mut out);
        out.push_str("</button><div class=\"bubble\">");
        let script = turn.script.as_deref().unwrap_or_default();
        if robot {
            to_html(script, &mut out);
        } else {
            escape_html(script, &mut out);
        }
        out.push_str("</div></li>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: TurnLabels = TurnLabels { robot: "AI 调解员", party: "当事人", seek: "从这里播放", begin: "通话开始", end: "通话结束" };

    fn turn(ms: i64, speaker: Speaker, script: Option<&str>, action: TurnAction) -> Turn {
        Turn { timestamp: ms, speaker, script: script.map(str::to_owned), action }
    }

    #[test]
    fn markers_turns_and_offsets() {
        // 2026-02-06 10:00:00 in Shanghai.
        let t0 = 1_770_343_200_000;
        let turns = vec![
            turn(t0, Speaker::Robot, Some(""), TurnAction::BeginDialogue),
            turn(t0 + 3_000, Speaker::Robot, Some("您好,**王先生**"), TurnAction::Broadcast),
            turn(t0 + 65_000, Speaker::Contact, Some("好的"), TurnAction::Dialogue),
            turn(t0 + 70_000, Speaker::Robot, None, TurnAction::EndDialogue),
        ];
        assert_eq!(
            turns_html(&turns, &offsets(&turns), &LABELS),
            "<li class=\"marker\" data-turn=\"0\">通话开始 · 10:00:00</li>\
             <li class=\"turn robot\" data-turn=\"1\"><button type=\"button\" class=\"turn-seek\" aria-label=\"从这里播放 · AI 调解员 10:00:03 +0:03\">\
             <b>AI 调解员</b> 10:00:03 +0:03</button>\
             <div class=\"bubble\"><p>您好,<strong>王先生</strong></p></div></li>\
             <li class=\"turn party\" data-turn=\"2\"><button type=\"button\" class=\"turn-seek\" aria-label=\"从这里播放 · 当事人 10:01:05 +1:05\">\
             <b>当事人</b> 10:01:05 +1:05</button>\
             <div class=\"bubble\">好的</div></li>\
             <li class=\"marker\" data-turn=\"3\">通话结束 · 10:01:10</li>"
        );
    }

    #[test]
    fn party_speech_is_never_markup() {
        let turns = vec![turn(0, Speaker::Contact, Some("<img src=x onerror=alert(1)> **不是粗体**"), TurnAction::Dialogue)];
        let html = turns_html(&turns, &offsets(&turns), &LABELS);
        assert!(html.contains("<div class=\"bubble\">&lt;img src=x onerror=alert(1)&gt; **不是粗体**</div>"), "{html}");
        let robot = vec![turn(0, Speaker::Robot, Some("<script>x</script>"), TurnAction::Broadcast)];
        assert!(!turns_html(&robot, &offsets(&robot), &LABELS).contains("<script>"));
    }

    #[test]
    fn unknown_actions_are_spoken_turns() {
        let turns = vec![turn(0, Speaker::Other("Agent".into()), Some("转人工"), TurnAction::Other("Transfer".into()))];
        assert!(turns_html(&turns, &offsets(&turns), &LABELS).contains("class=\"turn party\""));
    }

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0:00");
        assert_eq!(duration(65), "1:05");
        assert_eq!(duration(3_725), "1:02:05");
    }
}
