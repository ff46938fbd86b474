//! Every HTML-string renderer of the board, in one place: the read-only
//! parts that are far cheaper in the bundle as one escaped string than as a
//! view built node by node (board rows and status chips, a case's parties,
//! calls and audit trail, note results, action outcomes, knowledge hits and
//! chat, the call header, a call's turns). Each takes the labels of the current locale
//! ([`Strings`]) and returns a string the app puts into the page.
//!
//! Whatever the app listens for in these strings (one click listener per
//! list) is a [`Hook`]: the attribute the renderer writes and the selector the
//! listener matches, declared once here and used on both sides.

pub mod attention;
pub mod audit;
pub mod board;
pub mod bulk;
pub mod case;
pub mod dead_letters;
pub mod followups;
pub mod insights;
pub mod format;
pub mod knowledge;
pub mod notes;
pub mod notify;
pub mod search;
pub mod actions;
pub mod transcript;

pub use super::labels::Strings;

/// What a renderer needs besides its data.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The labels of the current locale.
    pub t: &'a Strings,
    /// Whether the board runs embedded (`/embed…` links) or standalone.
    pub embedded: bool,
}

/// A data attribute a renderer writes and the selector that finds the
/// element carrying it from a click inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hook {
    pub attr: &'static str,
    pub selector: &'static str,
}

/// A board row (`<tr class="row" data-case-id>`): opens the case.
pub const CASE_ROW: Hook = Hook { attr: "data-case-id", selector: "tr.row[data-case-id]" };
/// A status button (board chip or a call's "update status"): its status value.
pub const STATUS_BUTTON: Hook = Hook { attr: "data-status", selector: "button[data-status]" };
/// A call of a case's timeline: its job id.
pub const CALL_ITEM: Hook = Hook { attr: "data-job-id", selector: "li[data-job-id]" };
/// A knowledge hit's "open" button: the file id.
pub const FILE_BUTTON: Hook = Hook { attr: "data-file-id", selector: "button[data-file-id]" };
/// An FAQ hit's attachment: its file key (opened through the FAQ media URL).
pub const FAQ_MEDIA: Hook = Hook { attr: "data-faq-media", selector: "button[data-faq-media]" };
/// An answer's FAQ source: the FAQ's question (shown by searching for it).
pub const FAQ_SOURCE: Hook = Hook { attr: "data-faq-source", selector: "button[data-faq-source]" };
/// A note record kept in several versions: its call id (with `data-biz`, `data-type`).
pub const NOTE_HISTORY: Hook = Hook { attr: "data-history", selector: "button[data-history]" };
/// The button that asks for a call's texts unmasked.
pub const REVEAL_BUTTON: Hook = Hook { attr: "data-reveal", selector: "button[data-reveal]" };
/// A transcript turn: its index.
/// A follow-up reminder's "mark done" button (`data-note-done` = the note's id).
pub const NOTE_DONE: Hook = Hook { attr: "data-note-done", selector: "button[data-note-done]" };
/// A toast's dismiss button (`data-notice-close` = the toast's id).
pub const NOTICE_CLOSE: Hook = Hook { attr: "data-notice-close", selector: "button[data-notice-close]" };
/// A bulk-run button on the board (`data-bulk` = `call`, `clear` or `stop`).
pub const BULK_BUTTON: Hook = Hook { attr: "data-bulk", selector: "button[data-bulk]" };
/// A board row's selection checkbox (`data-pick` = the case id).
pub const PICK: Hook = Hook { attr: "data-pick", selector: "input[data-pick]" };
/// A saved-filter button on the board (`data-preset` = `save` or `delete`).
pub const PRESET_BUTTON: Hook = Hook { attr: "data-preset", selector: "button[data-preset]" };
/// A button in a produced document's actions (`copy`, `print`).
pub const DOC_BUTTON: Hook = Hook { attr: "data-act", selector: "button[data-act]" };
/// A turn of a transcript (`data-turn` = its index in the call).
/// Acknowledge an attention entry (its note in `#ack-note-{id}`).
pub const ATTENTION_ACK: Hook = Hook { attr: "data-attention-ack", selector: "button[data-attention-ack]" };
/// Assign an attention entry's case (the name in `#assignee-{id}`).
pub const ATTENTION_ASSIGN: Hook = Hook { attr: "data-attention-assign", selector: "button[data-attention-assign]" };
/// Save an attention rule (its fields `#rule-{id}-…`).
pub const RULE_SAVE: Hook = Hook { attr: "data-rule-save", selector: "button[data-rule-save]" };
/// Replay a dead letter (the edited copy in `#dl-{id}-record`).
pub const DEAD_LETTER_REPLAY: Hook = Hook { attr: "data-dead-letter-replay", selector: "button[data-dead-letter-replay]" };
/// Discard a dead letter (the reason in `#dl-{id}-reason`).
pub const DEAD_LETTER_DISCARD: Hook = Hook { attr: "data-dead-letter-discard", selector: "button[data-dead-letter-discard]" };
/// Export one insights view as CSV (`data-csv="total|items|item_trend|lowest|tags"`).
pub const CSV_EXPORT: Hook = Hook { attr: "data-csv", selector: "button[data-csv]" };
pub const TURN: Hook = Hook { attr: "data-turn", selector: "[data-turn]" };

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hook_selector_matches_its_attribute() {
        for hook in [CASE_ROW, STATUS_BUTTON, CALL_ITEM, FILE_BUTTON, FAQ_MEDIA, FAQ_SOURCE, NOTE_HISTORY, REVEAL_BUTTON, TURN, DEAD_LETTER_REPLAY, DEAD_LETTER_DISCARD] {
            assert!(hook.selector.ends_with(&format!("[{}]", hook.attr)), "{hook:?}");
        }
    }
}
