//! The AI mediation backend ("AI云小调"), `../shared/specs/mediation-api.md`.
//!
//! Every answer is wrapped in [`Envelope`] (`code`, `message`, `data`). The
//! excerpt leaves parts of two schemas out (the board list shows only
//! `startTime` and `duration`; agreement generation only `agreeId` and
//! `agreeContent`), and the paths of the board list, agreement generation and
//! the OCR request body. What this project chose for them is all in this
//! module, marked "designed here", so it can be changed in one place.

use serde::{Deserialize, Serialize};

use crate::wire::error::FieldError;
use crate::open_enum::{open_enum, open_int_enum};

pub mod answer;

/// Paths of the backend's endpoints, relative to `MEDIATION_API_BASE`.
pub mod paths {
    /// Designed here: the excerpt names the board list but not its path.
    pub const BOARD: &str = "/api/v1/mediation-timeline/v2/board";
    /// `PUT …/case/{caseId}/takeover`.
    pub fn takeover(case_id: &str) -> String {
        format!("/api/v1/mediation-timeline/v2/case/{case_id}/takeover")
    }
    /// Designed here: the excerpt names agreement generation but not its path.
    pub const AGREEMENT: &str = "/api/v1/mediation-agreement/generate";
    pub const CALL_V2: &str = "/api/v1/outbound-bot/call-v2";
    pub const CONVERSATION_LOG: &str = "/api/v1/outbound-bot/conversation-log";
    pub const CALL_STATUS: &str = "/api/v1/outbound-bot/status";
    pub const UPDATE_STATUS: &str = "/api/v1/outbound-bot/update-status";
    pub const OCR_PROCESS: &str = "/api/v1/case-files-ocr/process";
    /// Designed here: the state of a case's OCR run (`?caseId=`), for polling.
    pub const OCR_STATUS: &str = "/api/v1/case-files-ocr/status";
}

/// The backend's response envelope. Errors carry `data: null` (`Envelope<()>`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    pub message: String,
    pub data: T,
}

impl<T> Envelope<T> {
    pub fn new(code: i64, message: impl Into<String>, data: T) -> Self {
        Self { code, message: message.into(), data }
    }
}

/// Parses an envelope, naming the field that did not fit.
pub fn parse_envelope<T: serde::de::DeserializeOwned>(body: &str) -> Result<Envelope<T>, FieldError> {
    serde_json::from_str(body).map_err(|e| FieldError::from_json("body", &e))
}

open_enum! {
    /// A call job's status. The first group is the job's own lifecycle, the
    /// second a job group's, the third how a single attempt ended
    /// (Alibaba Cloud OutboundBot). Any other value is kept in `Other`.
    pub enum CallStatus {
        Scheduling = "Scheduling",
        Executing = "Executing",
        Succeeded = "Succeeded",
        Paused = "Paused",
        Failed = "Failed",
        Cancelled = "Cancelled",
        Drafted = "Drafted",
        Draft = "Draft",
        Completed = "Completed",
        Initializing = "Initializing",
        NoAnswer = "NoAnswer",
        NotExist = "NotExist",
        Busy = "Busy",
        NotConnected = "NotConnected",
        PoweredOff = "PoweredOff",
        OutOfService = "OutOfService",
        InArrears = "InArrears",
        EmptyNumber = "EmptyNumber",
        PerDayCallCountLimit = "PerDayCallCountLimit",
        ContactBlockList = "ContactBlockList",
        Terminated = "Terminated",
        SucceededFinish = "SucceededFinish",
        SucceededChatbotHangUp = "SucceededChatbotHangUp",
        SucceededClientHangUp = "SucceededClientHangUp",
        SucceededTransferByIntent = "SucceededTransferByIntent",
    }
}

/// What a status means for a mediator watching the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    /// Queued, drafted or paused: not ringing yet.
    Pending,
    /// The call is being placed or is under way.
    InProgress,
    /// The party answered (any `Succeeded…`).
    Connected,
    /// Dialled but nobody was reached (no answer, busy, powered off, …).
    NotConnected,
    /// Stopped by a rule or an error (failed, cancelled, limit, block list).
    Stopped,
    /// A value this version does not know.
    Unknown,
}

impl CallStatus {
    pub fn category(&self) -> StatusCategory {
        use CallStatus::*;
        match self {
            Scheduling | Paused | Drafted | Draft | Initializing => StatusCategory::Pending,
            Executing => StatusCategory::InProgress,
            Succeeded | Completed | SucceededFinish | SucceededChatbotHangUp | SucceededClientHangUp
            | SucceededTransferByIntent => StatusCategory::Connected,
            NoAnswer | NotExist | Busy | NotConnected | PoweredOff | OutOfService | InArrears | EmptyNumber => {
                StatusCategory::NotConnected
            }
            Failed | Cancelled | PerDayCallCountLimit | ContactBlockList | Terminated => StatusCategory::Stopped,
            Other(s) if s.starts_with("Succeeded") => StatusCategory::Connected,
            Other(_) => StatusCategory::Unknown,
        }
    }

    /// True once the call will not change any more.
    pub fn is_final(&self) -> bool {
        !matches!(self.category(), StatusCategory::Pending | StatusCategory::InProgress)
    }
}

open_enum! {
    /// The kind of AI call (`callType`, "阶段类型").
    pub enum CallType {
        /// Reads out the agreement draft for the party to confirm.
        Agreement = "agreement",
        /// Follows up on whether the agreement is being honoured (payment).
        FollowUp = "follow_up",
    }
}

open_enum! {
    /// Who speaks in a conversation turn.
    pub enum Speaker {
        Robot = "Robot",
        Contact = "Contact",
    }
}

open_enum! {
    /// What a conversation turn is.
    pub enum TurnAction {
        BeginDialogue = "BeginDialogue",
        Broadcast = "Broadcast",
        Dialogue = "Dialogue",
        EndDialogue = "EndDialogue",
    }
}

open_enum! {
    /// Designed here: the kind of dispute a case is about.
    pub enum DisputeType {
        /// 劳动报酬 (unpaid wages)
        WageArrears = "wage_arrears",
        /// 邻里纠纷
        Neighbour = "neighbour",
        /// 消费纠纷
        Consumer = "consumer",
        /// 房屋租赁
        Tenancy = "tenancy",
    }
}

open_enum! {
    /// Designed here: where a case stands in the mediation process.
    pub enum Stage {
        /// 已受理: registered, no AI contact yet.
        Accepted = "accepted",
        /// 调解中: the AI is talking with the parties.
        Mediating = "mediating",
        /// 协议确认: the agreement draft is being read out and confirmed.
        Agreement = "agreement",
        /// 履约回访: following up on payment.
        FollowUp = "follow_up",
        /// 已结案
        Closed = "closed",
    }
}

/// A party to a case. Designed here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    pub person_id: String,
    pub name: String,
    /// 0: applicant (申请人), 1: respondent (被申请人), as `personType` in call-v2.
    pub person_type: i64,
    pub phone_number: String,
}

/// One row of the real-time board list ("查询调解记录列表(实时看板专用)").
/// The excerpt shows only `startTime` and `duration`; the rest is designed
/// here, and (with the `lenient` feature, as the edge reads the backend) any
/// of it may be missing: it then reads as empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "lenient", serde(default))]
#[serde(rename_all = "camelCase")]
pub struct BoardRecord {
    pub case_id: String,
    pub mediation_id: i64,
    pub case_name: String,
    pub dispute_type: DisputeType,
    pub stage: Stage,
    /// Amount in dispute, yuan, as a decimal string ("3742.00").
    pub amount: Option<String>,
    /// 纠纷事实: the facts of the dispute.
    pub facts: String,
    pub parties: Vec<Party>,
    /// The party the latest AI call is for.
    pub call_person_id: Option<String>,
    pub call_type: Option<CallType>,
    pub call_status: Option<CallStatus>,
    pub job_id: Option<String>,
    /// Who took the case over from the AI, if anyone.
    pub takeover_user: Option<String>,
    pub takeover_time: Option<String>,
    /// Start of the latest call, `yyyy-MM-dd HH:mm:ss` Asia/Shanghai; "" before any call.
    pub start_time: String,
    /// Length of the latest call in whole seconds, as text ("" before any call).
    pub duration: String,
    pub update_time: String,
    /// Not the backend's: the QA total (whole percent of the full score) of
    /// the case's latest inspected call, as the edge adds it
    /// (`crate::wire::api::BoardResponse::qa`). Never sent or read as part of a record.
    #[serde(skip)]
    pub qa_percent: Option<i64>,
}

impl BoardRecord {
    /// The party the latest call is for.
    pub fn call_person(&self) -> Option<&Party> {
        let id = self.call_person_id.as_deref()?;
        self.parties.iter().find(|p| p.person_id == id)
    }

    /// `duration` in seconds, if it is a number.
    pub fn duration_seconds(&self) -> Option<u32> {
        self.duration.trim().parse().ok()
    }
}

/// `PUT …/case/{caseId}/takeover` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TakeoverRequest {
    pub user_name: String,
}

/// Designed here: what a takeover's success `data` may hold. The spec shows
/// the takeover's envelope with `data: null`, so every field is optional and
/// `data` itself may be null (`Option<TakeoverResult>`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TakeoverResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub takeover_time: Option<String>,
}

/// The message of the backend's takeover conflict.
pub const TAKEOVER_CONFLICT_MESSAGE: &str = "案件已被接管,不允许重复接管";

/// Designed here: agreement generation's body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementRequest {
    pub case_id: String,
}

/// Agreement generation's `data`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgreementResult {
    pub agree_id: String,
    pub agree_content: String,
}

/// `callAuto`: 0 automatic, 1 manual.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "i64")]
pub enum CallMode {
    Automatic,
    Manual,
}

impl From<CallMode> for u8 {
    fn from(mode: CallMode) -> u8 {
        match mode {
            CallMode::Automatic => 0,
            CallMode::Manual => 1,
        }
    }
}

impl TryFrom<i64> for CallMode {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
        match n {
            0 => Ok(CallMode::Automatic),
            1 => Ok(CallMode::Manual),
            other => Err(format!("callAuto must be 0 (automatic) or 1 (manual), got {other}")),
        }
    }
}

/// `POST /api/v1/outbound-bot/call-v2` body. `callPersonId` names one party,
/// or several separated by commas (designed here: the excerpt's example
/// answers for two parties); the backend answers with one result per party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRequest {
    pub case_id: String,
    pub mediation_id: String,
    pub call_auto: CallMode,
    pub call_person_id: String,
}

impl CallRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        require_id("caseId", &self.case_id)?;
        require_id("mediationId", &self.mediation_id)?;
        for id in self.call_person_id.split(',') {
            require_id("callPersonId", id.trim())?;
        }
        Ok(())
    }

    /// The parties named in `callPersonId`.
    pub fn person_ids(&self) -> Vec<String> {
        self.call_person_id.split(',').map(|p| p.trim().to_owned()).collect()
    }
}

/// Checks an identifier is present and plain (no spaces, slashes or control characters).
pub fn require_id(field: &str, value: &str) -> Result<(), FieldError> {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if value.len() > 64 {
        return Err(FieldError::new(field, "must be at most 64 characters"));
    }
    if !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(FieldError::new(field, "may contain only letters, digits, '-' and '_'"));
    }
    Ok(())
}

open_int_enum! {
    /// call-v2's per-person `errorCode`.
    pub enum CallErrorCode {
        /// 外呼发起成功
        Started = 0,
        /// 须等待: the same party was called too recently.
        MustWait = 1001,
        /// 呼叫已达上限: the party's daily limit is reached.
        LimitReached = 1002,
    }
}

/// One entry of call-v2's `data`: the outcome for one party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallResult {
    pub error_code: CallErrorCode,
    pub message: String,
    pub id: Option<i64>,
    pub mediation_id: Option<i64>,
    pub node_id: Option<i64>,
    pub task_name: Option<String>,
    pub result: Option<serde_json::Value>,
    pub person_type: Option<i64>,
    pub mediation_type: Option<i64>,
    pub person_id: String,
    pub job_id: Option<String>,
    pub instance_id: Option<String>,
    pub job_group_id: Option<String>,
    pub script_id: Option<String>,
    pub call_status: Option<CallStatus>,
    pub remark: Option<String>,
    pub delete_status: Option<i64>,
    pub creator: Option<String>,
    pub create_time: Option<String>,
    pub modifier: Option<String>,
    pub modify_time: Option<String>,
    /// 下一轮呼叫开始时间
    pub start_time: Option<String>,
    /// 下一轮呼叫间隔
    pub call_interval: Option<serde_json::Value>,
}

/// `GET /api/v1/outbound-bot/conversation-log` query (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationLogQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}

/// One recorded call, as the backend sends it: `conversations` is a JSON
/// string (which may not parse: see [`ConversationLog::turns`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationLog {
    pub call_type: CallType,
    pub job_id: String,
    #[serde(default)]
    pub conversations: String,
    pub call_status: CallStatus,
    #[serde(default)]
    pub record_url: String,
}

impl ConversationLog {
    /// Parses `conversations` into turns.
    pub fn turns(&self) -> Result<Vec<Turn>, FieldError> {
        parse_conversations(&self.conversations).map_err(|e| e.within("conversations"))
    }
}

/// One turn of a call.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// Milliseconds since the epoch.
    pub timestamp: i64,
    pub speaker: Speaker,
    /// May be null (end of dialogue), empty (begin), or markdown with `\n`.
    pub script: Option<String>,
    pub action: TurnAction,
}

/// Parses the `conversations` JSON string.
///
/// The backend's own documentation prints this string with non-breaking
/// spaces (U+00A0) between tokens, which JSON does not allow; they are read
/// as ordinary spaces outside string values, and kept inside them.
pub fn parse_conversations(text: &str) -> Result<Vec<Turn>, FieldError> {
    let text = nbsp_outside_strings_to_space(text);
    let values: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| FieldError::new("", format!("not a JSON array of turns: {e}")))?;
    values
        .into_iter()
        .enumerate()
        .map(|(i, v)| serde_json::from_value(v).map_err(|e| FieldError::new(format!("[{i}]"), e.to_string())))
        .collect()
}

fn nbsp_outside_strings_to_space(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\u{a0}') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match c {
            '\u{a0}' if !in_string => out.push(' '),
            '"' if !escaped => {
                in_string = !in_string;
                out.push(c);
            }
            _ => out.push(c),
        }
        escaped = in_string && c == '\\' && !escaped;
    }
    std::borrow::Cow::Owned(out)
}

/// Serialises turns back into the backend's `conversations` string.
pub fn encode_conversations(turns: &[Turn]) -> String {
    serde_json::to_string(turns).expect("turns always serialise")
}

/// `GET /api/v1/outbound-bot/status` query (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStatusQuery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_id: Option<String>,
}

/// `GET /api/v1/outbound-bot/status` `data`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStatusInfo {
    pub case_ref: String,
    pub phone_number: String,
    pub job_id: String,
    pub call_status: CallStatus,
    pub fetch_time: String,
    pub job_group_id: String,
    pub instance_id: String,
}

/// `POST /api/v1/outbound-bot/update-status` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateStatusRequest {
    pub job_id: String,
    pub call_status: CallStatus,
}

impl UpdateStatusRequest {
    pub fn validate(&self) -> Result<(), FieldError> {
        require_id("jobId", &self.job_id)?;
        let status = self.call_status.as_str();
        if status.is_empty() || status.len() > 64 || !status.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(FieldError::new("callStatus", "must be a status name such as Succeeded or Cancelled"));
        }
        Ok(())
    }
}

/// Designed here: OCR's body (the excerpt shows none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OcrRequest {
    pub case_id: String,
}

open_enum! {
    /// Designed here: the state of a case file's OCR.
    pub enum OcrState {
        Pending = "pending",
        Processing = "processing",
        Done = "done",
        Failed = "failed",
    }
}

/// Designed here: one case file's OCR outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OcrFile {
    pub file_id: String,
    pub file_name: String,
    pub status: OcrState,
    /// Recognised text, when done.
    pub text: Option<String>,
    /// The AI's summary of the text (OCR识别AI总结), when done.
    pub summary: Option<String>,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

/// Designed here: what OCR's answer may hold. The spec shows the answer to
/// `process` as a bare `{}`, so every field may be missing: no status means
/// "requested, progress not reported".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct OcrResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<OcrState>,
    pub files: Vec<OcrFile>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_status_is_kept() {
        let s: CallStatus = serde_json::from_str("\"SucceededSomethingNew\"").unwrap();
        assert_eq!(s, CallStatus::Other("SucceededSomethingNew".into()));
        assert_eq!(s.category(), StatusCategory::Connected);
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"SucceededSomethingNew\"");
        let s = CallStatus::parse("Weird");
        assert_eq!(s.category(), StatusCategory::Unknown);
        assert!(s.is_final());
        assert!(!CallStatus::Executing.is_final());
    }

    #[test]
    fn every_documented_status_is_mapped() {
        for name in [
            "Scheduling", "Executing", "Succeeded", "Paused", "Failed", "Cancelled", "Drafted", "Draft",
            "Completed", "Initializing", "NoAnswer", "NotExist", "Busy", "NotConnected", "PoweredOff",
            "OutOfService", "InArrears", "EmptyNumber", "PerDayCallCountLimit", "ContactBlockList",
            "Terminated", "SucceededFinish", "SucceededClientHangUp", "SucceededTransferByIntent",
        ] {
            let s = CallStatus::parse(name);
            assert!(s.is_known(), "{name} is not mapped");
            assert_ne!(s.category(), StatusCategory::Unknown, "{name}");
            assert_eq!(s.as_str(), name);
        }
    }

    #[test]
    fn call_mode_rejects_other_numbers() {
        let err = serde_json::from_str::<CallRequest>(
            r#"{"caseId":"1","mediationId":"2","callAuto":3,"callPersonId":"4"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("callAuto"), "{err}");
    }

    #[test]
    fn call_request_validation_names_field() {
        let mut r = CallRequest {
            case_id: "202601301030001111".into(),
            mediation_id: "20".into(),
            call_auto: CallMode::Automatic,
            call_person_id: "2303191513081131".into(),
        };
        assert!(r.validate().is_ok());
        r.call_person_id = " ".into();
        assert_eq!(r.validate().unwrap_err().field, "callPersonId");
        r.call_person_id = "../x".into();
        assert_eq!(r.validate().unwrap_err().field, "callPersonId");
    }

    #[test]
    fn conversation_errors_name_the_turn() {
        let err = parse_conversations(r#"[{"timestamp":1,"speaker":"Robot","script":null,"action":"Broadcast"},{"speaker":"Robot"}]"#)
            .unwrap_err();
        assert_eq!(err.field, "[1]");
        assert!(err.problem.contains("timestamp"), "{err}");
        let err = parse_conversations("not json").unwrap_err();
        assert!(err.problem.contains("JSON"));
        let turns = parse_conversations("[{\"timestamp\":\u{a0}1,\u{a0}\"speaker\": \"Robot\", \"script\": \"a\u{a0}\\\"b\", \"action\": \"Broadcast\"}]").unwrap();
        assert_eq!(turns[0].script.as_deref(), Some("a\u{a0}\"b"));
        let err = parse_conversations("not json").unwrap_err();
        assert!(err.problem.contains("JSON"));
    }
}
