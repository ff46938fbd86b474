//! A call's turns as HTML for the transcript screen. A long call has a
//! thousand turns; building them as one string the browser parses at once is
//! several times faster than creating each node from WebAssembly. Every piece
//! of upstream text is escaped (`html::escape_html`), robot scripts are
//! rendered by the markdown reader, and nothing else reaches the markup.

use crate::time::push_duration;
use crate::view::html::{escape_html, push_decimal};
use crate::view::markdown::to_html;
use crate::wire::mediation::{Speaker, Turn, TurnAction};
use crate::time::format_shanghai_time;

/// The words around the turns, in the board's current language.
pub struct TurnLabels<'a> {
    pub robot: &'a str,
    pub party: &'a str,
    pub begin: &'a str,
    pub end: &'a str,
}


/// Seconds from the first turn to each turn (where the recording plays it).
pub fn offsets(turns: &[Turn]) -> Vec<f64> {
    let origin = turns.first().map(|t| t.timestamp).unwrap_or(0);
    turns.iter().map(|t| (t.timestamp - origin) as f64 / 1000.0).collect()
}

/// How many turns share one block of the conversation. The browser skips
/// the layout and style of blocks far from the viewport (`content-visibility`
/// on `.chunk`), so a 1,000-turn call costs about as much as the few blocks
/// on screen. (The same on every turn still left the browser 1,000 boxes to
/// place, twice, which cost more than laying out the visible turns.)
pub const CHUNK: usize = 10;

/// Where turn `i` is in the conversation: its block, and its place in it.
pub fn turn_position(i: usize) -> (usize, usize) {
    (i / CHUNK, i % CHUNK)
}

/// The items of the conversation (a `role="list"` element), in blocks of
/// [`CHUNK`]: markers for the begin and end of the dialogue, and for every
/// other turn a button (seek the recording to it; `data-turn` is the turn's
/// index) and the speech bubble. `offsets` are the turns' [`offsets`]. Each
/// button is described by the element `#seek-hint` ("play from here"), which
/// the page holds once rather than a label repeated on every turn.
pub fn turns_html(turns: &[Turn], offsets: &[f64], labels: &TurnLabels) -> String {
    let escaped = |text: &str| {
        let mut out = String::with_capacity(text.len());
        escape_html(text, &mut out);
        out
    };
    let (robot_label, party_label) = (escaped(labels.robot), escaped(labels.party));
    let (begin, end) = (escaped(labels.begin), escaped(labels.end));
    let mut out = String::with_capacity(turns.len() * 400);
    // "10:00:03 +0:03": the turn's clock time and where the recording plays
    // it (digits and punctuation only, so nothing to escape).
    let mut when = String::with_capacity(24);
    for (i, turn) in turns.iter().enumerate() {
        if i % CHUNK == 0 {
            if i > 0 {
                out.push_str("</div>");
            }
            out.push_str("<div class=\"chunk\">");
        }
        when.clear();
        when.push_str(&format_shanghai_time(turn.timestamp));
        let marker = match turn.action {
            TurnAction::BeginDialogue => Some(&begin),
            TurnAction::EndDialogue => Some(&end),
            _ => None,
        };
        if let Some(label) = marker {
            // Pieces pushed one by one rather than through `write!`: the
            // formatting machinery is the slow part of this loop in the browser.
            for piece in ["<div role=\"listitem\" class=\"marker\" ", super::TURN.attr, "=\""] {
                out.push_str(piece);
            }
            push_decimal(i as u64, &mut out);
            for piece in ["\">", label, " · ", &when, "</div>"] {
                out.push_str(piece);
            }
            continue;
        }
        when.push_str(" +");
        push_duration(offsets.get(i).copied().unwrap_or(0.0) as u32, &mut when);
        // Few elements per turn: a 1,000-turn call is 1,000 of these, and the
        // browser's parse, style and layout time grows with the element count.
        let robot = turn.speaker == Speaker::Robot;
        let (class, who) = if robot { ("robot", &robot_label) } else { ("party", &party_label) };
        for piece in ["<div role=\"listitem\" class=\"turn ", class, "\" ", super::TURN.attr, "=\""] {
            out.push_str(piece);
        }
        push_decimal(i as u64, &mut out);
        let button = "\"><button type=\"button\" class=\"turn-seek\" aria-describedby=\"seek-hint\"><b>";
        for piece in [button, who, "</b> ", &when, "</button><div class=\"bubble\">"] {
            out.push_str(piece);
        }
        let script = turn.script.as_deref().unwrap_or_default();
        if robot {
            to_html(script, &mut out);
        } else {
            escape_html(script, &mut out);
        }
        out.push_str("</div></div>");
    }
    if !turns.is_empty() {
        out.push_str("</div>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LABELS: TurnLabels = TurnLabels { robot: "AI 调解员", party: "当事人", begin: "通话开始", end: "通话结束" };

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
            "<div class=\"chunk\"><div role=\"listitem\" class=\"marker\" data-turn=\"0\">通话开始 · 10:00:00</div>\
             <div role=\"listitem\" class=\"turn robot\" data-turn=\"1\"><button type=\"button\" class=\"turn-seek\" aria-describedby=\"seek-hint\">\
             <b>AI 调解员</b> 10:00:03 +0:03</button>\
             <div class=\"bubble\"><p>您好,<strong>王先生</strong></p></div></div>\
             <div role=\"listitem\" class=\"turn party\" data-turn=\"2\"><button type=\"button\" class=\"turn-seek\" aria-describedby=\"seek-hint\">\
             <b>当事人</b> 10:01:05 +1:05</button>\
             <div class=\"bubble\">好的</div></div>\
             <div role=\"listitem\" class=\"marker\" data-turn=\"3\">通话结束 · 10:01:10</div></div>"
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
    fn blocks_of_turns() {
        let turns: Vec<Turn> = (0..CHUNK as i64 * 2 + 1).map(|i| turn(i * 1_000, Speaker::Contact, Some("嗯"), TurnAction::Dialogue)).collect();
        let html = turns_html(&turns, &offsets(&turns), &LABELS);
        assert_eq!(html.matches("<div class=\"chunk\">").count(), 3);
        assert_eq!(html.matches("role=\"listitem\"").count(), turns.len());
        // Every block is closed: as many </div> as <div.
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
        let second_block = html.split("<div class=\"chunk\">").nth(2).unwrap();
        assert!(second_block.starts_with(&format!("<div role=\"listitem\" class=\"turn party\" data-turn=\"{CHUNK}\">")));
        assert_eq!(turn_position(0), (0, 0));
        assert_eq!(turn_position(CHUNK - 1), (0, CHUNK - 1));
        assert_eq!(turn_position(CHUNK + 2), (1, 2));
        assert_eq!(turns_html(&[], &[], &LABELS), "");
    }

}
