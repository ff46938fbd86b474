//! The embed protocol between a host portal (`/embed.js`) and an embedded
//! board: host → board [`HostCommand`]s, board → host [`BoardEvent`]s. The
//! messages travel by `postMessage` as plain objects (structured clone);
//! the board reads and writes them with `serde-wasm-bindgen`, and decoding a
//! command is [`HostCommand::decode`], a pure function tested natively.
//!
//! Host → board: `{ "target": "mediation-board", "version": 1, "type": T, "payload": P }`.
//! Board → host: `{ "source": "mediation-board", "version": 1, "board": id, "type": T, "payload": P }`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::wire::api::CallOutcome;

pub const PROTOCOL_VERSION: u32 = 1;
pub const TARGET: &str = "mediation-board";

/// A message as the host sends it. Every payload field of every command is
/// here, optional: one flat struct reads them all without buffering.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HostMessage {
    pub target: String,
    pub version: u32,
    #[serde(rename = "type")]
    pub kind: String,
    pub payload: HostPayload,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct HostPayload {
    pub board: Option<String>,
    pub token: Option<String>,
    pub view: Option<String>,
    pub case_id: Option<String>,
    pub job_id: Option<String>,
    pub filter: Option<String>,
    pub locale: Option<String>,
    /// `init`'s theme; `set_theme`'s is `vars`.
    pub theme: Option<BTreeMap<String, String>>,
    pub vars: Option<BTreeMap<String, String>>,
}

/// Which screen an embedded board opens on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmbedView {
    Board,
    Case { case_id: String },
    Transcript { case_id: String, job_id: String },
}

impl EmbedView {
    /// The board's own path for the view (`/embed…`).
    pub fn path(&self) -> String {
        match self {
            EmbedView::Board => "/embed".into(),
            EmbedView::Case { case_id } => format!("/embed/cases/{case_id}"),
            EmbedView::Transcript { case_id, job_id } => format!("/embed/cases/{case_id}/calls/{job_id}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Locale {
    Chinese,
    English,
}

impl Locale {
    fn parse(text: &str) -> Locale {
        if text.starts_with("en") {
            Locale::English
        } else {
            Locale::Chinese
        }
    }
}

/// A command from the host, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostCommand {
    /// The answer to `ready`: who the board is, the token, where to start.
    Init { board: String, token: Option<String>, view: Option<EmbedView>, filter: Option<String>, locale: Option<Locale>, theme: Vec<(String, String)> },
    SetToken { token: Option<String>, locale: Option<Locale>, theme: Vec<(String, String)> },
    OpenCase(EmbedView),
    OpenTranscript(EmbedView),
    OpenBoard,
    SetFilter { filter: String },
    SetLanguage(Locale),
    SetTheme(Vec<(String, String)>),
}

/// Why a message is not a command this board follows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not addressed to a board (another script's message): ignored quietly.
    NotForUs,
    /// Another protocol version: ignored, with a console warning.
    Version(u32),
    /// A type this version does not know: ignored, with a console warning.
    Unknown(String),
    /// A known command with what it needs missing: answered with `error`.
    Bad(&'static str),
}

fn plain_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Theme variables that are safe to set: CSS custom properties only, values
/// that cannot break out of a declaration. The rest is dropped (and named).
pub fn safe_theme(vars: Option<BTreeMap<String, String>>) -> (Vec<(String, String)>, Vec<String>) {
    let (mut ok, mut refused) = (vec![], vec![]);
    for (name, value) in vars.unwrap_or_default() {
        let safe_name = name.len() > 2 && name.starts_with("--") && name[2..].chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        let safe_value = value.len() <= 200 && !value.contains([';', '{', '}', '<', '>']) && !value.to_ascii_lowercase().contains("url(");
        if safe_name && safe_value {
            ok.push((name, value));
        } else {
            refused.push(name);
        }
    }
    (ok, refused)
}

impl HostCommand {
    /// Reads a host message. Theme variables that are not safe are dropped
    /// here (see [`safe_theme`]).
    pub fn decode(msg: HostMessage) -> Result<HostCommand, Refused> {
        if msg.target != TARGET {
            return Err(Refused::NotForUs);
        }
        if msg.version != PROTOCOL_VERSION {
            return Err(Refused::Version(msg.version));
        }
        let p = msg.payload;
        let locale = p.locale.as_deref().map(Locale::parse);
        let case = |case_id: Option<String>| case_id.filter(|c| plain_id(c));
        Ok(match msg.kind.as_str() {
            "init" => {
                let view = match p.view.as_deref().unwrap_or("board") {
                    "board" => Some(EmbedView::Board),
                    "case" => case(p.case_id).map(|case_id| EmbedView::Case { case_id }),
                    "transcript" => match (case(p.case_id), p.job_id.filter(|j| plain_id(j))) {
                        (Some(case_id), Some(job_id)) => Some(EmbedView::Transcript { case_id, job_id }),
                        _ => None,
                    },
                    _ => None,
                };
                let filter = p.filter.map(|f| f.trim_start_matches('?').to_owned()).filter(|f| !f.is_empty());
                HostCommand::Init { board: p.board.unwrap_or_default(), token: p.token, view, filter, locale, theme: safe_theme(p.theme).0 }
            }
            "set_token" => HostCommand::SetToken { token: p.token, locale, theme: safe_theme(p.theme).0 },
            "open_case" => HostCommand::OpenCase(EmbedView::Case { case_id: case(p.case_id).ok_or(Refused::Bad("open_case needs a caseId"))? }),
            "open_transcript" => match (case(p.case_id), p.job_id.filter(|j| plain_id(j))) {
                (Some(case_id), Some(job_id)) => HostCommand::OpenTranscript(EmbedView::Transcript { case_id, job_id }),
                _ => return Err(Refused::Bad("open_transcript needs caseId and jobId")),
            },
            "open_board" => HostCommand::OpenBoard,
            "set_filter" => HostCommand::SetFilter { filter: p.filter.unwrap_or_default() },
            "set_language" => HostCommand::SetLanguage(locale.unwrap_or(Locale::Chinese)),
            "set_theme" => HostCommand::SetTheme(safe_theme(p.vars).0),
            other => return Err(Refused::Unknown(other.to_owned())),
        })
    }
}

/// What an action reports to the host in `action_completed`'s `detail`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ActionDetail {
    Takeover {
        #[serde(rename = "userName")]
        user_name: String,
    },
    /// One outcome per party.
    CallPlaced(Vec<CallOutcome>),
    Agreement {
        #[serde(rename = "agreeId")]
        agree_id: String,
    },
    Ocr {
        files: usize,
    },
    Failed {
        message: String,
    },
}

/// An event from the board to its host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "payload", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum BoardEvent {
    Ready { version: u32 },
    SignedIn { user: String },
    CaseOpened { case_id: String },
    TranscriptOpened { job_id: String },
    ActionCompleted { action: String, case_id: String, ok: bool, detail: ActionDetail },
    /// Something happened to a case the user took over (shared::view::notify):
    /// `kind` is `call_ended`, `notes_arrived`, `reminder_due` or `attention`.
    Notice { kind: String, case_id: String, title: String, message: String },
    TokenExpiring { expires_at: Option<i64> },
    Error { code: String, message: String },
}

/// The whole message the board posts: the event with who sent it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BoardMessage<'a> {
    pub source: &'static str,
    pub version: u32,
    pub board: &'a str,
    #[serde(flatten)]
    pub event: &'a BoardEvent,
}

impl<'a> BoardMessage<'a> {
    pub fn new(board: &'a str, event: &'a BoardEvent) -> Self {
        Self { source: TARGET, version: PROTOCOL_VERSION, board, event }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(json: serde_json::Value) -> HostMessage {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn commands_decode_with_what_they_need() {
        let init = msg(serde_json::json!({ "target": "mediation-board", "version": 1, "type": "init",
            "payload": { "board": "b1", "token": "t", "view": "transcript", "caseId": "C1", "jobId": "J1", "filter": "?stage=x", "locale": "en",
                "theme": { "--accent": "#1f5fbf", "--x": "red;} body{", "color": "red" } } }));
        assert_eq!(
            HostCommand::decode(init),
            Ok(HostCommand::Init {
                board: "b1".into(),
                token: Some("t".into()),
                view: Some(EmbedView::Transcript { case_id: "C1".into(), job_id: "J1".into() }),
                filter: Some("stage=x".into()),
                locale: Some(Locale::English),
                theme: vec![("--accent".into(), "#1f5fbf".into())],
            })
        );
        let open = |kind: &str, payload: serde_json::Value| HostCommand::decode(msg(serde_json::json!({ "target": "mediation-board", "version": 1, "type": kind, "payload": payload })));
        assert_eq!(open("open_case", serde_json::json!({ "caseId": "C2" })), Ok(HostCommand::OpenCase(EmbedView::Case { case_id: "C2".into() })));
        assert_eq!(open("open_case", serde_json::json!({ "caseId": "../x" })), Err(Refused::Bad("open_case needs a caseId")));
        assert_eq!(open("open_transcript", serde_json::json!({ "caseId": "C2" })), Err(Refused::Bad("open_transcript needs caseId and jobId")));
        assert_eq!(open("open_board", serde_json::json!({})), Ok(HostCommand::OpenBoard));
        assert_eq!(open("set_language", serde_json::json!({ "locale": "zh-CN" })), Ok(HostCommand::SetLanguage(Locale::Chinese)));
        assert_eq!(open("set_theme", serde_json::json!({ "vars": { "--bg": "url(x)" } })), Ok(HostCommand::SetTheme(vec![])));
        assert_eq!(open("explode", serde_json::json!({})), Err(Refused::Unknown("explode".into())));
    }

    #[test]
    fn messages_for_others_and_other_versions_are_refused() {
        assert_eq!(HostCommand::decode(msg(serde_json::json!({ "type": "open_board" }))), Err(Refused::NotForUs));
        assert_eq!(HostCommand::decode(msg(serde_json::json!({ "target": "mediation-board", "version": 2, "type": "open_board" }))), Err(Refused::Version(2)));
        // A view that names nothing opens nothing (the token still counts).
        let init = msg(serde_json::json!({ "target": "mediation-board", "version": 1, "type": "init", "payload": { "view": "case" } }));
        assert!(matches!(HostCommand::decode(init), Ok(HostCommand::Init { view: None, .. })));
    }

    #[test]
    fn events_are_written_as_the_readme_documents() {
        let e = BoardEvent::ActionCompleted {
            action: "takeover".into(),
            case_id: "C1".into(),
            ok: true,
            detail: ActionDetail::Takeover { user_name: "lihua".into() },
        };
        let text = serde_json::to_value(BoardMessage::new("b1", &e)).unwrap();
        assert_eq!(
            text,
            serde_json::json!({ "source": "mediation-board", "version": 1, "board": "b1", "type": "action_completed",
                "payload": { "action": "takeover", "caseId": "C1", "ok": true, "detail": { "userName": "lihua" } } })
        );
        let ready = serde_json::to_value(BoardMessage::new("", &BoardEvent::Ready { version: 1 })).unwrap();
        assert_eq!(ready["payload"], serde_json::json!({ "version": 1 }));
        assert_eq!(serde_json::to_value(BoardEvent::TokenExpiring { expires_at: None }).unwrap()["payload"], serde_json::json!({ "expiresAt": null }));
    }
}
