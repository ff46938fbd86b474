//! The board's own API: what the edge serves to the app under `/api/`.
//! (The OpenAPI document, `edge/openapi.json`, describes the same shapes.)

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::wire::error::FieldError;
use crate::wire::mediation::{BoardRecord, CallErrorCode, CallResult, CallStatus, CallType, OcrFile, OcrState, Turn};
use crate::wire::note::{NoteOutcome, PushRecord};
use crate::wire::session::{Claims, Role};

/// `GET /api/session`: who the token says you are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub user: String,
    pub name: String,
    pub role: Role,
    pub expires_at: i64,
}

impl From<&Claims> for SessionInfo {
    fn from(c: &Claims) -> Self {
        Self { user: c.sub.clone(), name: c.display_name().to_owned(), role: c.role.clone(), expires_at: c.exp }
    }
}

/// `POST /api/demo/session` (sandbox configuration only).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DemoSessionRequest {
    pub user: Option<String>,
    pub name: Option<String>,
    pub role: Option<Role>,
    /// Lifetime in seconds (default 8 hours, at most the edge's `SESSION_MAX_TTL`, 12 hours by default).
    pub ttl: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoSession {
    pub token: String,
    pub session: SessionInfo,
}

/// `GET /api/board`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardResponse {
    pub cases: Vec<BoardRecord>,
    /// Milliseconds since the epoch when the edge read the board.
    #[serde(default)]
    pub fetched_at: i64,
    /// The QA total of each case's latest inspected call (cases the edge has one for).
    #[serde(default)]
    pub qa: Vec<CaseQa>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseQa {
    pub case_id: String,
    /// Whole percent of the full score.
    pub percent: i64,
}

impl BoardResponse {
    /// The cases, each with its QA total set from `qa`.
    pub fn into_cases(self) -> Vec<BoardRecord> {
        // One lookup per case (a scan per total would be quadratic at 10,000 cases).
        let by_case: std::collections::BTreeMap<&str, i64> = self.qa.iter().map(|q| (q.case_id.as_str(), q.percent)).collect();
        let mut cases = self.cases;
        for c in &mut cases {
            c.qa_percent = by_case.get(c.case_id.as_str()).copied();
        }
        cases
    }
}

/// `POST /api/calls` answer: one result per party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceCallResponse {
    pub results: Vec<CallResult>,
}

/// What the board reads of a [`PlaceCallResponse`]: each party's outcome.
/// Deserialize-only, and smaller in the browser's bundle (the other fields
/// of [`CallResult`] are skipped unread).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct PlacedCalls {
    pub results: Vec<CallOutcome>,
}

/// One [`CallResult`] as the board shows it (and tells an embedding portal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallOutcome {
    pub error_code: CallErrorCode,
    pub message: String,
    pub person_id: String,
    /// When the next round of calls starts (a party that must wait).
    #[serde(default)]
    pub start_time: Option<String>,
}

/// `POST /api/cases/{caseId}/takeover` answer. The backend's success answer
/// may carry no data (the spec shows `data: null`): the user is then the one
/// the edge sent, and the time the edge's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TakeoverOutcome {
    pub case_id: String,
    pub user_name: String,
    pub takeover_time: String,
    /// The backend's message (e.g. "接管成功").
    #[serde(default)]
    pub message: String,
}

/// `POST` and `GET /api/cases/{caseId}/ocr` answer. The spec shows OCR's
/// answer as a bare `{}`: `status` is then absent, meaning "requested, no
/// progress reported".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OcrOutcome {
    pub case_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OcrState>,
    #[serde(default)]
    pub files: Vec<OcrFile>,
    #[serde(default)]
    pub message: String,
}

/// A call placement whose outcome the edge does not know (the backend timed
/// out, failed or answered unreadably after the request left): the answer
/// to a retry with the same `Idempotency-Key`, which never calls again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeUnknown {
    pub case_id: String,
    pub call_person_id: String,
    /// What went wrong the first time.
    pub reason: String,
}

/// What the board reads of a status answer (`CallStatusInfo`) when it
/// checks on a call whose outcome is unknown. Deserialize-only, smaller in
/// the bundle: the other fields are skipped unread.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusCheck {
    pub job_id: String,
    pub call_status: CallStatus,
    pub fetch_time: String,
}

/// An empty JSON object, the body of actions that need none (`{}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoBody;

impl Serialize for NoBody {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

/// The board's Q&A question (`POST /api/clink/aikb/chat_conversation_on_open`):
/// the edge adds the caller's Clink `userId`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChatAsk {
    pub content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
}

/// `POST /api/calls/{jobId}/status` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusChange {
    pub call_status: CallStatus,
}

/// A stored note-agent result, as the board shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteView {
    pub call_id: String,
    pub biz_id: String,
    #[serde(rename = "type")]
    pub note_type: String,
    pub out_id: Option<String>,
    pub cell_number: Option<String>,
    pub success: bool,
    pub error_code: Option<String>,
    pub error_msg: Option<String>,
    pub start_time: Option<String>,
    pub report_time: Option<String>,
    pub outcome: NoteOutcome,
    pub received_at: i64,
    /// How many different versions of this record the edge has kept (the
    /// newest is this one); supervisors can open them (`/api/notes/history`).
    #[serde(default)]
    pub versions: i64,
}

impl NoteView {
    /// Builds the view of a record that decoded to `outcome`.
    pub fn from_record(r: &PushRecord, outcome: NoteOutcome, received_at: i64) -> Self {
        Self {
            call_id: r.call_id.clone(),
            biz_id: r.biz_id.clone(),
            note_type: r.note_type.as_str().to_owned(),
            out_id: r.out_id.clone(),
            cell_number: r.cell_number.clone(),
            success: r.success,
            error_code: Some(r.error_code.clone()),
            error_msg: r.error_msg.clone(),
            start_time: r.start_time.clone(),
            report_time: r.report_time.clone(),
            outcome,
            received_at,
            versions: 1,
        }
    }
}

/// One AI call with its parsed conversation and the note results linked to it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallView {
    pub job_id: String,
    pub call_type: CallType,
    pub call_status: CallStatus,
    /// When the call started (ms since the epoch): its first turn, or for a
    /// call whose turns cannot be read, the time its `jobId` begins with.
    #[serde(default)]
    pub started_at: Option<i64>,
    pub turns: Vec<Turn>,
    /// Why the backend's `conversations` string could not be read (the
    /// turns are then empty); the call is still listed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<String>,
    /// The unreadable string itself, for roles that see raw data (supervisors, admins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_conversations: Option<String>,
    /// Where the board fetches the recording (`/api/recordings/{jobId}`), if there is one.
    pub recording: Option<String>,
    pub notes: Vec<NoteView>,
    /// Personal data in the call's texts was masked (`shared::wire::privacy`);
    /// supervisors and admins may ask for it shown (`reveal=1`, audited).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

impl CallView {
    /// Seconds from the first turn to the last (0 without turns).
    pub fn duration_secs(&self) -> u32 {
        match (self.turns.first(), self.turns.last()) {
            (Some(a), Some(b)) => ((b.timestamp - a.timestamp) / 1000) as u32,
            _ => 0,
        }
    }
}

/// `GET /api/conversations`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationsResponse {
    pub calls: Vec<CallView>,
}

/// `GET /api/notes?jobId=`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotesResponse {
    pub notes: Vec<NoteView>,
}

/// One kept version of a note record (`GET /api/notes/history`), newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteVersion {
    pub report_time: Option<String>,
    /// `report_time` read as Asia/Shanghai time; absent when it is not a time.
    pub report_ms: Option<i64>,
    /// When the edge first received this content (ms since the epoch).
    pub received_at: i64,
    pub outcome: NoteOutcome,
    /// Whether this is the version the board shows.
    pub current: bool,
    /// The record exactly as received.
    pub raw: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteHistory {
    pub versions: Vec<NoteVersion>,
}

/// The time a `jobId` begins with (the backend's ids start with the
/// milliseconds they were made at, e.g. `1770463000471-447e-…`).
pub fn time_of_job_id(job_id: &str) -> Option<i64> {
    let digits = job_id.split('-').next()?;
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `GET /api/recordings/{jobId}/link`: a short-lived link that plays the
/// recording without the session token (see [`crate::wire::media`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordingLink {
    pub url: String,
    /// Seconds since the epoch.
    pub expires_at: i64,
}

/// One audit-log entry: who did what, when, and what the upstream said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub user: String,
    pub role: String,
    /// One of `shared::wire::audit::ACTIONS` (`takeover`, `call`, …).
    pub action: String,
    pub case_id: Option<String>,
    pub target: Option<String>,
    /// Upstream HTTP status (0: unreachable).
    pub status: i64,
    pub outcome: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditResponse {
    pub entries: Vec<AuditEntry>,
    /// The whole trail only: when the page is full, the `before` that asks for
    /// the next (older) one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_before: Option<i64>,
}

/// A record the webhook could not read, kept with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadLetter {
    pub id: i64,
    /// What was received: text as is, or base64 when it was not UTF-8 (`encoding`).
    pub raw: String,
    /// `utf8` or `base64`.
    #[serde(default = "utf8")]
    pub encoding: String,
    pub field: Option<String>,
    pub reason: String,
    pub received_at: i64,
    pub replayed_at: Option<i64>,
    /// Who replayed it.
    #[serde(default)]
    pub replayed_by: Option<String>,
    /// Set aside without a replay: when, by whom, and why.
    #[serde(default)]
    pub discarded_at: Option<i64>,
    #[serde(default)]
    pub discarded_by: Option<String>,
    #[serde(default)]
    pub discard_reason: Option<String>,
}

fn utf8() -> String {
    "utf8".into()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadLettersResponse {
    pub dead_letters: Vec<DeadLetter>,
}

/// `POST /api/admin/dead-letters/{id}/replay` body: the corrected record, or
/// nothing to retry the stored one as it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ReplayRequest {
    pub record: Option<Value>,
}

/// `POST /api/admin/dead-letters/{id}/replay` answer: `stored` is whether
/// the record became the shown version (false: a newer one was kept).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplayResponse {
    pub id: i64,
    pub replayed: bool,
    pub stored: bool,
}

/// `POST /api/admin/dead-letters/{id}/discard` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscardResponse {
    pub id: i64,
    pub discarded: bool,
}

/// Longest reason for discarding a dead letter, in characters.
pub const MAX_DISCARD_REASON: usize = 200;

/// `POST /api/admin/dead-letters/{id}/discard` body: why it is set aside.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiscardRequest {
    pub reason: String,
}

impl DiscardRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.reason.trim().is_empty() {
            return Err(FieldError::new("reason", "must say why the record is set aside"));
        }
        if self.reason.chars().count() > MAX_DISCARD_REASON {
            return Err(FieldError::new("reason", format!("must be at most {MAX_DISCARD_REASON} characters")));
        }
        Ok(())
    }
}

/// What happened, pushed to open boards over `/api/live`. The edge writes
/// and keeps the whole [`EventData`]; the board reads what it acts on, the
/// row's fields ([`RowPatch`], the default), and skips the rest unread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveEvent<D = RowPatch> {
    /// Increases by one per event; a client that reconnects sends the last it saw.
    pub seq: i64,
    /// Milliseconds since the epoch.
    pub at: i64,
    pub kind: EventKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
    /// Kind-specific details (never a phone number).
    #[serde(default)]
    pub data: D,
}

/// The fields of a board row a live event changes (`board_changed`,
/// `call_status_changed`, `takeover`); absent fields did not change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RowPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_status: Option<CallStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<crate::wire::mediation::Stage>,
    /// Present when the holder changed: `null` means nobody holds it now.
    #[serde(skip_serializing_if = "Option::is_none", deserialize_with = "present")]
    pub takeover_user: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_person_id: Option<String>,
    /// The kind of the row's latest call (a new call may be of another kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_type: Option<CallType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    /// `note_stored`: the case's QA total (whole percent) when the stored
    /// result is now its latest inspected call's (the board's QA column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qa_percent: Option<i64>,
}

/// Everything a live event says: the row's changed fields, and the details
/// of the other kinds. One object on the wire (`data`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EventData {
    #[serde(flatten)]
    pub row: RowPatch,
    /// Who acted (display name for a takeover, user for a status change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree_id: Option<String>,
    /// OCR: how many files were sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<usize>,
    /// `call_placed`: each party's outcome.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<PlacedResult>,
    /// `note_stored`: which records changed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<StoredRecord>,
}

/// A field that was sent reads as `Some`, even when it was `null`.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PlacedResult {
    pub person_id: String,
    pub error_code: i64,
    pub job_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct StoredRecord {
    #[serde(rename = "type")]
    pub note_type: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub call_id: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub biz_id: String,
    pub success: bool,
    /// The dead letter this record was replayed from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replayed: Option<i64>,
}

impl RowPatch {
    /// A board row's fields, all of them (the hub's poll, which sees whole rows).
    pub fn row(record: &BoardRecord) -> Self {
        RowPatch {
            call_status: record.call_status.clone(),
            stage: Some(record.stage.clone()),
            takeover_user: Some(record.takeover_user.clone()),
            call_person_id: record.call_person_id.clone(),
            call_type: record.call_type.clone(),
            start_time: Some(record.start_time.clone()),
            duration: Some(record.duration.clone()),
            qa_percent: None,
        }
    }

    /// Changes `record` as the event says (only the fields it carries).
    pub fn apply(&self, record: &mut BoardRecord, job_id: Option<&str>) {
        if let Some(s) = &self.call_status {
            record.call_status = Some(s.clone());
        }
        if let Some(s) = &self.stage {
            record.stage = s.clone();
        }
        if let Some(t) = &self.takeover_user {
            record.takeover_user = t.clone();
        }
        if let Some(s) = &self.start_time {
            record.start_time = s.clone();
        }
        if let Some(s) = &self.duration {
            record.duration = s.clone();
        }
        if let Some(p) = &self.call_person_id {
            record.call_person_id = Some(p.clone());
        }
        if let Some(t) = &self.call_type {
            record.call_type = Some(t.clone());
        }
        if let Some(p) = self.qa_percent {
            record.qa_percent = Some(p);
        }
        if let Some(j) = job_id {
            record.job_id = Some(j.to_owned());
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    NoteStored,
    CallPlaced,
    CallStatusChanged,
    Takeover,
    AgreementGenerated,
    OcrStarted,
    /// A board row changed upstream (stage or takeover; a new call or call
    /// status is `CallStatusChanged`, and a duration change alone is no event).
    BoardChanged,
    /// The attention queue changed: a new entry, an acknowledgement or an assignment.
    AttentionChanged,
}

/// Messages on the live socket, client → edge. A second `hello` on an open
/// socket replaces its token (refresh before expiry).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ClientMessage {
    /// First message: authenticate, and ask for what was missed after `since`.
    Hello { token: String, since: Option<i64> },
    Ping,
}

/// Messages on the live socket, edge → client (the edge sends the whole
/// [`EventData`], the board reads [`RowPatch`] of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
#[serde(bound(deserialize = "D: Deserialize<'de> + Default", serialize = "D: Serialize"))]
pub enum ServerMessage<D = RowPatch> {
    Welcome { last_seq: i64 },
    Event { event: LiveEvent<D> },
    /// Events before this seq are no longer kept: reload the board.
    Gap { oldest_seq: i64 },
    Pong,
    /// The session token expires within seconds: send a new `hello`.
    TokenExpiring,
    /// The session token expired; the socket closes (code 4001).
    TokenExpired,
    Error { message: String },
}

impl ServerMessage {
    /// Reads a message as `serde_json::from_str` does, but through a flat
    /// struct: serde reads internally tagged enums by buffering the whole
    /// message first, which costs the board's wasm several KB.
    pub fn decode(text: &str) -> Option<ServerMessage> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Flat {
            #[serde(rename = "type")]
            kind: String,
            last_seq: Option<i64>,
            event: Option<LiveEvent>,
            oldest_seq: Option<i64>,
            message: Option<String>,
        }
        let f: Flat = serde_json::from_str(text).ok()?;
        Some(match f.kind.as_str() {
            "welcome" => ServerMessage::Welcome { last_seq: f.last_seq? },
            "event" => ServerMessage::Event { event: f.event? },
            "gap" => ServerMessage::Gap { oldest_seq: f.oldest_seq? },
            "pong" => ServerMessage::Pong,
            "token_expiring" => ServerMessage::TokenExpiring,
            "token_expired" => ServerMessage::TokenExpired,
            "error" => ServerMessage::Error { message: f.message? },
            _ => return None,
        })
    }
}

crate::open_enum::open_enum! {
    /// The edge's error codes. Clink's own codes (e.g. `TooManyRequests`) are
    /// passed through as they come and read as `Other`.
    pub enum ErrorCode {
        /// The request's input is wrong; `field` names it.
        BadRequest = "bad_request",
        /// No valid session token.
        Unauthorized = "unauthorized",
        /// The user's role or ownership does not allow this.
        Forbidden = "forbidden",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        /// A setting or binding of the edge is missing or wrong.
        Misconfigured = "misconfigured",
        Internal = "internal",
        TooLarge = "too_large",
        UpgradeRequired = "upgrade_required",
        TooManyConnections = "too_many_connections",
        UpstreamUnreachable = "upstream_unreachable",
        UpstreamTimeout = "upstream_timeout",
        /// The backend refused the request; its message is passed through.
        UpstreamRejected = "upstream_rejected",
        UpstreamError = "upstream_error",
        /// The upstream answered something the edge cannot read.
        UpstreamInvalid = "upstream_invalid",
        /// The upstream refused the edge's own credentials.
        UpstreamAuthFailed = "upstream_auth_failed",
        /// A call may or may not have been placed: check, never retry blindly.
        OutcomeUnknown = "outcome_unknown",
        InFlight = "in_flight",
        IdempotencyKeyReused = "idempotency_key_reused",
        AlreadyReplayed = "already_replayed",
        /// The dead letter was discarded before (it can be neither replayed nor discarded again).
        AlreadyDiscarded = "already_discarded",
        /// The attention entry was acknowledged before.
        AlreadyDone = "already_done",
        /// The call's case is not known yet, so it cannot be assigned.
        CaseUnknown = "case_unknown",
        StillInvalid = "still_invalid",
        RecordingUnavailable = "recording_unavailable",
    }
}

/// Every error the edge answers with: a stable code, a readable message and,
/// for bad input, the field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ApiErrorBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorBody {
    pub code: ErrorCode,
    /// Human-readable; upstream messages are passed through unchanged.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Clink's request id, when the error came from Clink.
    #[serde(default, rename = "requestId", skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { error: ApiErrorBody { code, message: message.into(), field: None, request_id: None } }
    }

    pub fn bad_field(err: &FieldError) -> Self {
        Self {
            error: ApiErrorBody { code: ErrorCode::BadRequest, message: err.to_string(), field: Some(err.field.clone()), request_id: None },
        }
    }
}

/// Masks a phone number for people who may not see it: the first three and
/// last four digits stay (`13922111489` → `139****1489`). Short numbers keep
/// only their last two characters.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n >= 8 {
        let mut out: String = chars[..3].iter().collect();
        out.push_str("****");
        out.extend(&chars[n - 4..]);
        out
    } else if n > 2 {
        let mut out = "*".repeat(n - 2);
        out.extend(&chars[n - 2..]);
        out
    } else {
        "*".repeat(n)
    }
}

/// Masks every phone number in board rows, unless the role may see them.
pub fn mask_board(cases: &mut [BoardRecord], role: &Role) {
    if role.sees_phone_numbers() {
        return;
    }
    for case in cases {
        for p in &mut case.parties {
            p.phone_number = mask_phone(&p.phone_number);
        }
    }
}

/// Whether a stored note belongs to a call: by `out_id` (the call's jobId,
/// set when the call was placed), or, for records without a usable `out_id`,
/// by the party's number and a start time between the call's start and an
/// hour after it ends.
pub fn note_belongs_to(note: &NoteView, job_id: &str, phone: Option<&str>, call_start_ms: i64, call_end_ms: i64) -> bool {
    match note.out_id.as_deref().filter(|o| !o.is_empty()) {
        Some(out) => out == job_id,
        None => {
            let same_phone = matches!((note.cell_number.as_deref(), phone), (Some(a), Some(b)) if a == b);
            let at = note.start_time.as_deref().and_then(crate::time::parse_shanghai);
            same_phone && at.is_some_and(|t| t >= call_start_ms - 60_000 && t <= call_end_ms + 3_600_000)
        }
    }
}

/// How long before a call and after it ended a record without `out_id` may
/// start and still be the call's (the agent runs after the call).
pub const LINK_BEFORE_MS: i64 = 60_000;
pub const LINK_AFTER_MS: i64 = 3_600_000;

/// The span of calls a case's records without `out_id` may belong to: from
/// a minute before the first connected call to an hour after the last
/// (`None` when no call connected). The edge reads those records for it.
pub fn orphan_window(calls: &[CallView]) -> Option<(i64, i64)> {
    let spans = calls.iter().filter_map(call_span);
    let (from, to) = spans.fold(None, |acc: Option<(i64, i64)>, (s, e)| Some(acc.map_or((s, e), |(a, b)| (a.min(s), b.max(e)))))?;
    Some((from - LINK_BEFORE_MS, to + LINK_AFTER_MS))
}

/// A connected call's first and last turn (ms since the epoch).
fn call_span(call: &CallView) -> Option<(i64, i64)> {
    let start = call.turns.first()?.timestamp;
    (start > 0).then(|| (start, call.turns.last().map(|t| t.timestamp).unwrap_or(start)))
}

/// Gives each connected call the records without `out_id` that belong to it
/// ([`note_belongs_to`]: the party's number, `phone_of(job_id)`, and a start
/// time in the call's window).
pub fn link_orphans(calls: &mut [CallView], orphans: &[NoteView], phone_of: impl Fn(&str) -> Option<String>) {
    for call in calls.iter_mut() {
        let Some((start, end)) = call_span(call) else { continue };
        let phone = phone_of(&call.job_id);
        let linked = orphans.iter().filter(|n| note_belongs_to(n, &call.job_id, phone.as_deref(), start, end)).cloned();
        call.notes.extend(linked);
    }
}

/// The connected calls whose number the edge needs for [`link_orphans`].
pub fn connected_job_ids(calls: &[CallView]) -> Vec<String> {
    calls.iter().filter(|c| call_span(c).is_some()).map(|c| c.job_id.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_discard_needs_a_reason_of_at_most_two_hundred_characters() {
        let r = |s: &str| DiscardRequest { reason: s.into() }.validate().map_err(|e| e.field);
        assert_eq!(r("字段错了,已人工补录"), Ok(()));
        assert_eq!(r("  "), Err("reason".into()));
        assert_eq!(r(&"因".repeat(200)), Ok(()));
        assert_eq!(r(&"因".repeat(201)), Err("reason".into()));
    }

    #[test]
    fn records_without_out_id_go_to_the_call_of_their_number_and_time() {
        let turn = |ms: i64| Turn { timestamp: ms, speaker: crate::wire::mediation::Speaker::Robot, script: None, action: crate::wire::mediation::TurnAction::Broadcast };
        let call = |job: &str, start: i64| CallView {
            job_id: job.into(),
            call_type: CallType::FollowUp,
            call_status: CallStatus::Succeeded,
            started_at: Some(start),
            turns: vec![turn(start), turn(start + 120_000)],
            unreadable: None,
            raw_conversations: None,
            recording: None,
            notes: vec![],
            masked: false,
        };
        let t0 = crate::time::parse_shanghai("2026-11-22 10:00:00").unwrap();
        let mut calls = vec![call("j1", t0), call("j2", t0 + 7_200_000), CallView { turns: vec![], ..call("j3", t0) }];
        assert_eq!(orphan_window(&calls), Some((t0 - LINK_BEFORE_MS, t0 + 7_200_000 + 120_000 + LINK_AFTER_MS)));
        assert_eq!(connected_job_ids(&calls), ["j1", "j2"]);
        let orphan = |cell: &str, start: &str| NoteView { out_id: None, cell_number: Some(cell.into()), start_time: Some(start.into()), ..note(None, None, start) };
        let orphans = [orphan("139", "2026-11-22 10:10:00"), orphan("138", "2026-11-22 12:05:00"), orphan("139", "2026-11-22 15:00:00")];
        let phones = |job: &str| Some(if job == "j1" { "139" } else { "138" }.to_owned());
        link_orphans(&mut calls, &orphans, phones);
        let got: Vec<usize> = calls.iter().map(|c| c.notes.len()).collect();
        assert_eq!(got, [1, 1, 0], "each its own, the late one nobody's");
        assert_eq!(orphan_window(&calls[2..]), None);
    }

    #[test]
    fn error_codes_travel_as_their_snake_case_names_and_clink_codes_pass_through() {
        let body = serde_json::to_value(ApiError::new(ErrorCode::OutcomeUnknown, "m")).unwrap();
        assert_eq!(body, serde_json::json!({ "error": { "code": "outcome_unknown", "message": "m" } }));
        let read: ApiError = serde_json::from_str(r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#).unwrap();
        assert_eq!(read.error.code, ErrorCode::Other("TooManyRequests".into()));
        assert_eq!(read.error.code.as_str(), "TooManyRequests");
        for code in ErrorCode::KNOWN {
            assert_eq!(ErrorCode::parse(code.as_str()), *code);
            assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{code}");
        }
        assert_eq!(ApiError::bad_field(&FieldError::new("phone", "bad")).error.code, ErrorCode::BadRequest);
    }

    #[test]
    fn server_messages_decode_as_serde_reads_them() {
        let event = LiveEvent {
            seq: 7,
            at: 1_700_000_000_000,
            kind: EventKind::CallStatusChanged,
            case_id: Some("C-1".into()),
            job_id: None,
            data: RowPatch { call_status: Some(CallStatus::Executing), ..RowPatch::default() },
        };
        let all = [
            ServerMessage::Welcome { last_seq: 3 },
            ServerMessage::Event { event },
            ServerMessage::Gap { oldest_seq: 9 },
            ServerMessage::Pong,
            ServerMessage::TokenExpiring,
            ServerMessage::TokenExpired,
            ServerMessage::Error { message: "坏了".into() },
        ];
        for m in all {
            let text = serde_json::to_string(&m).unwrap();
            assert_eq!(ServerMessage::decode(&text), Some(m.clone()), "{text}");
            assert_eq!(serde_json::from_str::<ServerMessage>(&text).ok(), Some(m));
        }
        for bad in [r#"{"type":"welcome"}"#, r#"{"type":"nope"}"#, r#"{"lastSeq":1}"#, "[]", "x"] {
            assert_eq!(ServerMessage::decode(bad), None, "{bad}");
        }
    }
    use crate::wire::note::QualityItem;

    #[test]
    fn live_event_data_patches_a_row() {
        let mut r = BoardRecord { case_id: "C1".into(), takeover_user: Some("a".into()), duration: "10".into(), ..BoardRecord::default() };
        let data: RowPatch = serde_json::from_str(r#"{"callStatus":"Executing","takeoverUser":null,"agreeId":"x"}"#).unwrap();
        assert_eq!(data.takeover_user, Some(None), "a null that was sent clears the holder");
        data.apply(&mut r, Some("J2"));
        assert_eq!((r.call_status.clone(), r.takeover_user.clone(), r.duration.as_str(), r.job_id.as_deref()), (Some(CallStatus::Executing), None, "10", Some("J2")));
        let untouched: RowPatch = serde_json::from_str(r#"{"agreeId":"A1"}"#).unwrap();
        assert_eq!(untouched.takeover_user, None, "an absent field changes nothing");
        // A new QA total for the board's QA column.
        let qa: RowPatch = serde_json::from_str(r#"{"qaPercent":38,"records":[]}"#).unwrap();
        qa.apply(&mut r, None);
        assert_eq!((r.qa_percent, r.job_id.as_deref()), (Some(38), Some("J2")));
        // What the edge writes is what the board reads, and the edge keeps the rest.
        let row = BoardRecord { stage: crate::wire::mediation::Stage::FollowUp, start_time: "2026-11-22 10:00:00".into(), ..BoardRecord::default() };
        let written = EventData { row: RowPatch::row(&row), agree_id: Some("A1".into()), ..EventData::default() };
        let text = serde_json::to_string(&written).unwrap();
        assert_eq!(serde_json::from_str::<RowPatch>(&text).unwrap(), RowPatch::row(&row));
        assert_eq!(serde_json::from_str::<EventData>(&text).unwrap(), written);
        assert!(text.contains(r#""takeoverUser":null"#) && text.contains(r#""agreeId":"A1""#), "{text}");
    }

    #[test]
    fn job_ids_carry_their_time() {
        assert_eq!(time_of_job_id("1770463000471-447e-96ea-97523c61189b"), Some(1_770_463_000_471));
        assert_eq!(time_of_job_id("J1001"), None);
        assert_eq!(time_of_job_id("17704630004711-x"), None);
        assert_eq!(time_of_job_id(""), None);
    }

    #[test]
    fn masks_like_the_spec_example() {
        assert_eq!(mask_phone("13922111489"), "139****1489");
        assert_eq!(mask_phone("02168881234"), "021****1234");
        assert_eq!(mask_phone("12345"), "***45");
        assert_eq!(mask_phone("1"), "*");
        assert_eq!(mask_phone(""), "");
    }

    fn note(out_id: Option<&str>, cell: Option<&str>, start: &str) -> NoteView {
        NoteView {
            call_id: "c".into(),
            biz_id: "b".into(),
            note_type: "通话质检".into(),
            out_id: out_id.map(Into::into),
            cell_number: cell.map(Into::into),
            success: true,
            error_code: None,
            error_msg: None,
            start_time: Some(start.into()),
            report_time: None,
            versions: 1,
            outcome: NoteOutcome::QualityInspection { items: vec![QualityItem { item: "x".into(), full_score: 1.0, score: 1.0, problem: None, suggestion: None }], issues: vec![] },
            received_at: 0,
        }
    }

    #[test]
    fn notes_link_by_out_id_then_by_phone_and_time() {
        let start = crate::time::parse_shanghai("2026-11-22 10:00:00").unwrap();
        let end = start + 120_000;
        assert!(note_belongs_to(&note(Some("job1"), None, "2026-11-22 10:05:00"), "job1", None, start, end));
        assert!(!note_belongs_to(&note(Some("job2"), Some("139"), "2026-11-22 10:05:00"), "job1", Some("139"), start, end));
        assert!(note_belongs_to(&note(None, Some("139"), "2026-11-22 10:30:00"), "job1", Some("139"), start, end));
        assert!(note_belongs_to(&note(Some(""), Some("139"), "2026-11-22 10:30:00"), "job1", Some("139"), start, end));
        assert!(!note_belongs_to(&note(None, Some("139"), "2026-11-22 12:30:00"), "job1", Some("139"), start, end));
        assert!(!note_belongs_to(&note(None, Some("138"), "2026-11-22 10:30:00"), "job1", Some("139"), start, end));
    }
}
