//! The note agent's HTTP batch push (Alibaba Cloud AICCS 小记智能体),
//! `../shared/specs/note-agent-push.md`.
//!
//! A push is a JSON array of [`PushRecord`]s. Each record's `result` is itself
//! a JSON string whose shape depends on `type`: a list of quality-inspection
//! items for 通话质检, an object of summary tags for 通话摘要.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::FieldError;
use crate::open_enum::open_enum;

open_enum! {
    /// The inference type (`type`).
    pub enum NoteType {
        /// 通话质检: quality inspection.
        QualityInspection = "通话质检",
        /// 通话摘要: summary.
        Summary = "通话摘要",
    }
}

/// `error_code` of a failed inference.
pub const PROCESS_FAIL: &str = "NOTE_AGENT_PROCESS_FAIL";

/// One record of a push, exactly as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRecord {
    pub call_id: String,
    pub biz_id: String,
    /// Echo of the caller's extension field. This project puts the call's
    /// `jobId` there, which is how a result is linked to its call.
    #[serde(default)]
    pub out_id: Option<String>,
    #[serde(default)]
    pub cell_number: Option<String>,
    pub success: bool,
    pub error_code: String,
    #[serde(default)]
    pub error_msg: Option<String>,
    #[serde(default)]
    pub content_length: Option<i64>,
    /// Billed seconds.
    #[serde(default)]
    pub duration: Option<i64>,
    #[serde(default)]
    pub start_time: Option<String>,
    #[serde(default)]
    pub report_time: Option<String>,
    #[serde(rename = "type")]
    pub note_type: NoteType,
    /// The inference result, a JSON string; may be empty or null on failure.
    #[serde(default)]
    pub result: Option<String>,
}

/// One quality-inspection item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityItem {
    pub item: String,
    pub full_score: i64,
    pub score: i64,
    pub problem: String,
    pub suggestion: String,
}

/// A summary tag's value: enum tags are arrays, text tags are strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TagValue {
    Choices(Vec<String>),
    Text(String),
}

// Read as `#[serde(untagged)]` would (an array of strings, else a string),
// by the value's type instead of by buffering it: serde's buffering
// (`Content`) is the largest part of JSON decoding in the board's wasm.
impl<'de> Deserialize<'de> for TagValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ChoicesOrText;
        impl<'de> Visitor<'de> for ChoicesOrText {
            type Value = TagValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of strings or a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<TagValue, E> {
                Ok(TagValue::Text(v.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<TagValue, A::Error> {
                let mut choices = Vec::new();
                while let Some(c) = seq.next_element::<String>()? {
                    choices.push(c);
                }
                Ok(TagValue::Choices(choices))
            }
        }
        d.deserialize_any(ChoicesOrText)
    }
}

/// A summary: tags in the order the agent sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary(pub Vec<(String, TagValue)>);

impl Summary {
    pub fn get(&self, tag: &str) -> Option<&TagValue> {
        self.0.iter().find(|(name, _)| name == tag).map(|(_, v)| v)
    }
}

impl Serialize for Summary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OrderedTags;
        impl<'de> Visitor<'de> for OrderedTags {
            type Value = Summary;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of summary tags (arrays of strings or strings)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary, A::Error> {
                let mut tags = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, TagValue>()? {
                    tags.push((k, v));
                }
                Ok(Summary(tags))
            }
        }
        d.deserialize_map(OrderedTags)
    }
}

/// What a record says, decoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteOutcome {
    QualityInspection { items: Vec<QualityItem> },
    Summary { tags: Summary },
    /// The agent could not infer (`success: false`); kept as such.
    Failed { error_code: String, error_msg: Option<String> },
}

// Read as the derived internally tagged form would be, through one flat
// struct instead of serde's buffering of the whole value (see `TagValue`).
impl<'de> Deserialize<'de> for NoteOutcome {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Flat {
            kind: String,
            items: Option<Vec<QualityItem>>,
            tags: Option<Summary>,
            error_code: Option<String>,
            error_msg: Option<String>,
        }
        let f = Flat::deserialize(d)?;
        match f.kind.as_str() {
            "quality_inspection" => Ok(NoteOutcome::QualityInspection { items: f.items.ok_or_else(|| D::Error::missing_field("items"))? }),
            "summary" => Ok(NoteOutcome::Summary { tags: f.tags.ok_or_else(|| D::Error::missing_field("tags"))? }),
            "failed" => Ok(NoteOutcome::Failed { error_code: f.error_code.ok_or_else(|| D::Error::missing_field("error_code"))?, error_msg: f.error_msg }),
            other => Err(D::Error::unknown_variant(other, &["quality_inspection", "summary", "failed"])),
        }
    }
}

impl QualityItem {
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.item.trim().is_empty() {
            return Err(FieldError::new("item", "must not be empty"));
        }
        if self.full_score < 0 {
            return Err(FieldError::new("full_score", "must not be negative"));
        }
        if self.score < 0 || self.score > self.full_score {
            return Err(FieldError::new(
                "score",
                format!("must be between 0 and full_score ({}), got {}", self.full_score, self.score),
            ));
        }
        Ok(())
    }
}

/// Sum of scores and of full scores.
pub fn quality_total(items: &[QualityItem]) -> (i64, i64) {
    items.iter().fold((0, 0), |(s, f), i| (s + i.score, f + i.full_score))
}

impl PushRecord {
    /// The duplicate key: (`call_id`, `biz_id`, `type`).
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.call_id, &self.biz_id, self.note_type.as_str())
    }

    /// Checks the record's own fields and decodes `result` by `type`.
    pub fn decode(&self) -> Result<NoteOutcome, FieldError> {
        if self.call_id.trim().is_empty() {
            return Err(FieldError::new("call_id", "is required"));
        }
        if self.biz_id.trim().is_empty() {
            return Err(FieldError::new("biz_id", "is required"));
        }
        if !self.success {
            return Ok(NoteOutcome::Failed { error_code: self.error_code.clone(), error_msg: self.error_msg.clone() });
        }
        let text = self.result.as_deref().unwrap_or("");
        if text.trim().is_empty() {
            return Err(FieldError::new("result", "is empty although success is true"));
        }
        match &self.note_type {
            NoteType::QualityInspection => {
                let items: Vec<QualityItem> = serde_json::from_str(text)
                    .map_err(|e| FieldError::new("result", format!("not a list of quality items: {e}")))?;
                for (i, item) in items.iter().enumerate() {
                    item.validate().map_err(|e| e.within(&format!("result[{i}]")))?;
                }
                Ok(NoteOutcome::QualityInspection { items })
            }
            NoteType::Summary => {
                let tags: Summary = serde_json::from_str(text)
                    .map_err(|e| FieldError::new("result", format!("not an object of summary tags: {e}")))?;
                Ok(NoteOutcome::Summary { tags })
            }
            NoteType::Other(t) => Err(FieldError::new("type", format!("unknown type {t:?}; expected 通话质检 or 通话摘要"))),
        }
    }
}

/// Parses a push body into records. A body that is not a JSON array is an
/// error; a record that does not fit is reported by index so the rest can be
/// kept (see [`parse_push_lenient`]).
pub fn parse_push(body: &str) -> Result<Vec<PushRecord>, FieldError> {
    let (records, bad) = parse_push_lenient(body)?;
    match bad.into_iter().next() {
        Some(b) => Err(b.error),
        None => Ok(records),
    }
}

/// A record that could not be read, with its raw JSON and why.
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedRecord {
    pub index: usize,
    pub raw: serde_json::Value,
    pub error: FieldError,
}

/// A record that was read and decoded, with its raw JSON.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedRecord {
    pub index: usize,
    pub raw: serde_json::Value,
    pub record: PushRecord,
    pub outcome: NoteOutcome,
}

/// Splits a push into records that parse and decode, and those that do not.
/// Only a body that is not a JSON array is an error.
pub fn parse_push_detailed(body: &str) -> Result<(Vec<AcceptedRecord>, Vec<RejectedRecord>), FieldError> {
    let values: Vec<serde_json::Value> = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => return Err(FieldError::new("body", "must be a JSON array of records")),
        Err(e) => return Err(FieldError::new("body", format!("not valid JSON: {e}"))),
    };
    let mut good = Vec::with_capacity(values.len());
    let mut bad = Vec::new();
    for (index, raw) in values.into_iter().enumerate() {
        match decode_value(&raw).map_err(|e| e.within(&format!("[{index}]"))) {
            Ok((record, outcome)) => good.push(AcceptedRecord { index, raw, record, outcome }),
            Err(error) => bad.push(RejectedRecord { index, raw, error }),
        }
    }
    Ok((good, bad))
}

/// Reads and decodes one record given as JSON.
pub fn decode_value(raw: &serde_json::Value) -> Result<(PushRecord, NoteOutcome), FieldError> {
    let record = PushRecord::deserialize(raw).map_err(|e| FieldError::new("", e.to_string()))?;
    let outcome = record.decode()?;
    Ok((record, outcome))
}

/// Splits a push into records that parse and those that do not.
pub fn parse_push_lenient(body: &str) -> Result<(Vec<PushRecord>, Vec<RejectedRecord>), FieldError> {
    let (good, bad) = parse_push_detailed(body)?;
    Ok((good.into_iter().map(|a| a.record).collect(), bad))
}

/// The receiver's reply. `code` 0 means received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReply {
    pub code: i64,
    pub msg: String,
}

impl PushReply {
    pub fn received() -> Self {
        Self { code: 0, msg: "接收成功".to_owned() }
    }
}

/// Delays before the pusher's retries, in seconds: 1, 5 and 10 minutes after a failure.
pub const RETRY_DELAYS_SECS: [u64; 3] = [60, 300, 600];

#[cfg(test)]
mod tests {
    use super::*;

    fn record(note_type: &str, result: &str) -> String {
        format!(
            r#"{{"call_id":"c1","biz_id":"b1","out_id":"job-1","cell_number":"13900000000","success":true,"error_code":"success","error_msg":"success","content_length":10,"duration":60,"start_time":"2026-03-02 15:28:59","report_time":"2026-03-02 15:29:07","type":"{note_type}","result":{}}}"#,
            serde_json::to_string(result).unwrap()
        )
    }

    #[test]
    fn decodes_summary_in_order() {
        let body = format!("[{}]", record("通话摘要", r#"{"b":["x","y"],"a":"text"}"#));
        let records = parse_push(&body).unwrap();
        match records[0].decode().unwrap() {
            NoteOutcome::Summary { tags } => {
                assert_eq!(tags.0[0].0, "b");
                assert_eq!(tags.0[0].1, TagValue::Choices(vec!["x".into(), "y".into()]));
                assert_eq!(tags.get("a"), Some(&TagValue::Text("text".into())));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_score_above_full() {
        let body = format!(
            "[{}]",
            record("通话质检", r#"[{"item":"x","full_score":10,"score":11,"problem":"","suggestion":""}]"#)
        );
        let err = parse_push(&body).unwrap_err();
        assert_eq!(err.field, "[0].result[0].score");
    }

    #[test]
    fn mixed_batch_keeps_good_records() {
        let good = record("通话质检", r#"[{"item":"x","full_score":10,"score":9,"problem":"无","suggestion":"无"}]"#);
        let body = format!(r#"[{good}, {{"call_id": 5}}, {}]"#, record("通话摘要", "not json"));
        let (ok, bad) = parse_push_lenient(&body).unwrap();
        assert_eq!(ok.len(), 1);
        assert_eq!(bad.len(), 2);
        assert_eq!(bad[0].index, 1);
        assert_eq!(bad[1].error.field, "[2].result");
    }

    #[test]
    fn failure_record_is_kept_as_failed() {
        let body = r#"[{"call_id":"c","biz_id":"b","success":false,"error_code":"NOTE_AGENT_PROCESS_FAIL","error_msg":"推理失败","type":"通话质检","result":""}]"#;
        let r = &parse_push(body).unwrap()[0];
        assert_eq!(
            r.decode().unwrap(),
            NoteOutcome::Failed { error_code: PROCESS_FAIL.into(), error_msg: Some("推理失败".into()) }
        );
    }

    #[test]
    fn not_an_array() {
        assert_eq!(parse_push("{}").unwrap_err().field, "body");
        assert!(parse_push("[").unwrap_err().problem.contains("JSON"));
    }
}

#[cfg(test)]
mod decode_like_derive {
    use super::*;

    /// The derived forms the hand-written readers replace.
    #[derive(Deserialize, PartialEq, Debug)]
    #[serde(untagged)]
    enum DerivedTag {
        Choices(Vec<String>),
        Text(String),
    }

    #[test]
    fn tag_values_read_as_untagged_did() {
        for text in [r#"["同意","分期"]"#, r#"[]"#, r#""已同意""#] {
            let ours: TagValue = serde_json::from_str(text).unwrap();
            let derived: DerivedTag = serde_json::from_str(text).unwrap();
            let same = match (&ours, &derived) {
                (TagValue::Choices(a), DerivedTag::Choices(b)) => a == b,
                (TagValue::Text(a), DerivedTag::Text(b)) => a == b,
                _ => false,
            };
            assert!(same, "{text}");
        }
        for bad in ["1", "[1]", "{}", "null"] {
            assert!(serde_json::from_str::<TagValue>(bad).is_err(), "{bad}");
            assert!(serde_json::from_str::<DerivedTag>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn outcomes_round_trip_and_refuse_what_the_derived_form_refused() {
        let all = [
            NoteOutcome::QualityInspection {
                items: vec![QualityItem { item: "开场".into(), full_score: 10, score: 9, problem: "无".into(), suggestion: "保持".into() }],
            },
            NoteOutcome::Summary { tags: Summary(vec![("结果".into(), TagValue::Choices(vec!["同意".into()])), ("摘要".into(), TagValue::Text("好".into()))]) },
            NoteOutcome::Failed { error_code: "NOTE_AGENT_PROCESS_FAIL".into(), error_msg: Some("推理失败".into()) },
            NoteOutcome::Failed { error_code: "X".into(), error_msg: None },
        ];
        for o in all {
            let text = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<NoteOutcome>(&text).unwrap(), o, "{text}");
        }
        for bad in [r#"{"kind":"summary"}"#, r#"{"kind":"other"}"#, r#"{"items":[]}"#, r#"{"kind":"failed"}"#, "[]"] {
            assert!(serde_json::from_str::<NoteOutcome>(bad).is_err(), "{bad}");
        }
    }
}
