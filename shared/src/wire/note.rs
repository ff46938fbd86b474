//! The note agent's HTTP batch push (Alibaba Cloud AICCS 小记智能体),
//! `../shared/specs/note-agent-push.md`.
//!
//! A push is a JSON array of [`PushRecord`]s. Each record's `result` is itself
//! a JSON string whose shape depends on `type`: a list of quality-inspection
//! items for 通话质检, an object of summary tags for 通话摘要.

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::wire::error::FieldError;
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

/// One quality-inspection item. The spec documents the scores as integers
/// and `problem`/`suggestion` as text; a record that sends fractional scores
/// or nulls is still kept (see [`NoteOutcome`]'s `issues`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityItem {
    pub item: String,
    #[serde(serialize_with = "whole_as_integer")]
    pub full_score: f64,
    #[serde(serialize_with = "whole_as_integer")]
    pub score: f64,
    #[serde(default)]
    pub problem: Option<String>,
    #[serde(default)]
    pub suggestion: Option<String>,
}

/// Writes a whole score as an integer (`15`, as the spec prints it), any other as a float.
fn whole_as_integer<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        s.serialize_i64(*v as i64)
    } else {
        s.serialize_f64(*v)
    }
}

/// A score as text: whole numbers without a point, others to two places,
/// by integer arithmetic (the board's bundle carries no float formatting).
pub fn score_text(v: f64) -> String {
    if !v.is_finite() {
        return "?".into();
    }
    let hundredths = (v * 100.0).round() as i64;
    let (sign, abs) = if hundredths < 0 { ("-", -hundredths) } else { ("", hundredths) };
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
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

/// What a record says, decoded. `issues` lists what did not fit the
/// documented shape (a null `problem`, a fractional or over-full score, a
/// field of the wrong type): the record is kept and shown with them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NoteOutcome {
    QualityInspection {
        items: Vec<QualityItem>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        issues: Vec<FieldError>,
    },
    Summary {
        tags: Summary,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        issues: Vec<FieldError>,
    },
    /// The agent could not infer (`success: false`); kept as such.
    Failed {
        error_code: String,
        error_msg: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        issues: Vec<FieldError>,
    },
    /// The record has its key but its result cannot be read (not JSON, not
    /// the shape its `type` calls for, or a `type` this version does not
    /// know): kept with the raw `result` text and why.
    Unreadable {
        field: String,
        problem: String,
        result: Option<String>,
    },
}

impl NoteOutcome {
    /// What did not fit the documented shape.
    pub fn issues(&self) -> &[FieldError] {
        match self {
            NoteOutcome::QualityInspection { issues, .. } | NoteOutcome::Summary { issues, .. } | NoteOutcome::Failed { issues, .. } => issues,
            NoteOutcome::Unreadable { .. } => &[],
        }
    }

    fn add_issues(&mut self, more: Vec<FieldError>) {
        match self {
            NoteOutcome::QualityInspection { issues, .. } | NoteOutcome::Summary { issues, .. } | NoteOutcome::Failed { issues, .. } => {
                issues.splice(0..0, more);
            }
            NoteOutcome::Unreadable { .. } => {}
        }
    }
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
            #[serde(default)]
            issues: Vec<FieldError>,
            field: Option<String>,
            problem: Option<String>,
            result: Option<String>,
        }
        let f = Flat::deserialize(d)?;
        let issues = f.issues;
        match f.kind.as_str() {
            "quality_inspection" => Ok(NoteOutcome::QualityInspection { items: f.items.ok_or_else(|| D::Error::missing_field("items"))?, issues }),
            "summary" => Ok(NoteOutcome::Summary { tags: f.tags.ok_or_else(|| D::Error::missing_field("tags"))?, issues }),
            "failed" => Ok(NoteOutcome::Failed { error_code: f.error_code.ok_or_else(|| D::Error::missing_field("error_code"))?, error_msg: f.error_msg, issues }),
            "unreadable" => Ok(NoteOutcome::Unreadable {
                field: f.field.unwrap_or_default(),
                problem: f.problem.ok_or_else(|| D::Error::missing_field("problem"))?,
                result: f.result,
            }),
            other => Err(D::Error::unknown_variant(other, &["quality_inspection", "summary", "failed", "unreadable"])),
        }
    }
}

impl QualityItem {
    /// What about this item does not fit the spec (scores are integers
    /// between 0 and the full score; problem and suggestion are text).
    pub fn issues(&self) -> Vec<FieldError> {
        let mut out = vec![];
        if self.item.trim().is_empty() {
            out.push(FieldError::new("item", "is empty"));
        }
        for (name, v) in [("full_score", self.full_score), ("score", self.score)] {
            if v.fract() != 0.0 {
                out.push(FieldError::new(name, format!("{} is not a whole number (documented as Integer)", score_text(v))));
            }
        }
        if self.full_score < 0.0 {
            out.push(FieldError::new("full_score", "is negative"));
        }
        if self.score < 0.0 || self.score > self.full_score {
            out.push(FieldError::new(
                "score",
                format!("{} is outside 0 to full_score ({})", score_text(self.score), score_text(self.full_score)),
            ));
        }
        if self.problem.is_none() {
            out.push(FieldError::new("problem", "is null (documented as String)"));
        }
        if self.suggestion.is_none() {
            out.push(FieldError::new("suggestion", "is null (documented as String)"));
        }
        out
    }

    /// The score as a whole percentage of the full score (0 when the full score is not positive).
    pub fn percent(&self) -> i64 {
        if self.full_score > 0.0 {
            (self.score * 100.0 / self.full_score).round() as i64
        } else {
            0
        }
    }
}

/// Sum of scores and of full scores.
pub fn quality_total(items: &[QualityItem]) -> (f64, f64) {
    items.iter().fold((0.0, 0.0), |(s, f), i| (s + i.score, f + i.full_score))
}

impl PushRecord {
    /// The duplicate key: (`call_id`, `biz_id`, `type`).
    pub fn key(&self) -> (&str, &str, &str) {
        (&self.call_id, &self.biz_id, self.note_type.as_str())
    }

    /// Decodes `result` by `type`. Never fails: what cannot be read becomes
    /// [`NoteOutcome::Unreadable`], what does not fit is listed in `issues`.
    pub fn decode(&self) -> NoteOutcome {
        if !self.success {
            return NoteOutcome::Failed { error_code: self.error_code.clone(), error_msg: self.error_msg.clone(), issues: vec![] };
        }
        let text = self.result.as_deref().unwrap_or("");
        let unreadable = |field: &str, problem: String| NoteOutcome::Unreadable { field: field.into(), problem, result: self.result.clone() };
        if text.trim().is_empty() {
            return unreadable("result", "is empty although success is true".into());
        }
        match &self.note_type {
            NoteType::QualityInspection => match serde_json::from_str::<Vec<QualityItem>>(text) {
                Ok(items) => {
                    let issues = items
                        .iter()
                        .enumerate()
                        .flat_map(|(i, item)| item.issues().into_iter().map(move |e| e.within(&format!("result[{i}]"))))
                        .collect();
                    NoteOutcome::QualityInspection { items, issues }
                }
                Err(e) => unreadable("result", format!("not a list of quality items: {e}")),
            },
            NoteType::Summary => match ordered_entries(text) {
                Ok(entries) => {
                    let mut tags = Vec::with_capacity(entries.len());
                    let mut issues = vec![];
                    for (name, value) in entries {
                        let tag = match value {
                            serde_json::Value::String(s) => TagValue::Text(s),
                            serde_json::Value::Array(items) if items.iter().all(|v| v.is_string()) => {
                                TagValue::Choices(items.into_iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect())
                            }
                            other => {
                                issues.push(FieldError::new(format!("result.{name}"), "is neither text nor a list of text; shown as JSON"));
                                TagValue::Text(other.to_string())
                            }
                        };
                        tags.push((name, tag));
                    }
                    NoteOutcome::Summary { tags: Summary(tags), issues }
                }
                Err(e) => unreadable("result", format!("not an object of summary tags: {e}")),
            },
            NoteType::Other(t) => unreadable("type", format!("unknown type {t:?}; expected 通话质检 or 通话摘要")),
        }
    }

    /// `report_time` as milliseconds since the epoch (Asia/Shanghai), if it is a time.
    pub fn report_ms(&self) -> Option<i64> {
        crate::time::parse_shanghai(self.report_time.as_deref()?.trim())
    }
}

/// The members of a JSON object in the order written (serde_json's map sorts them).
fn ordered_entries(text: &str) -> Result<Vec<(String, serde_json::Value)>, serde_json::Error> {
    struct Ordered(Vec<(String, serde_json::Value)>);
    impl<'de> Deserialize<'de> for Ordered {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some(entry) = map.next_entry()? {
                        out.push(entry);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_str::<Ordered>(text).map(|o| o.0)
}

/// Reads one record of a push, as leniently as its key allows: the record
/// is kept whenever `call_id`, `biz_id` and `type` can be read (text, or a
/// number for the ids). Other fields of the wrong type are left out and
/// listed in the outcome's issues. An error (no key) means a dead letter.
pub fn read_record(raw: &serde_json::Value) -> Result<(PushRecord, NoteOutcome), FieldError> {
    use serde_json::Value;
    let Value::Object(map) = raw else {
        return Err(FieldError::new("", "a record must be a JSON object"));
    };
    let id = |name: &str| -> Result<String, FieldError> {
        match map.get(name) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::String(_)) => Err(FieldError::new(name, "is empty")),
            Some(_) => Err(FieldError::new(name, "must be text")),
            None => Err(FieldError::new(name, "is required")),
        }
    };
    let call_id = id("call_id")?;
    let biz_id = id("biz_id")?;
    let note_type = match map.get("type") {
        Some(Value::String(s)) if !s.trim().is_empty() => NoteType::parse(s),
        Some(_) => return Err(FieldError::new("type", "must be text such as 通话质检 or 通话摘要")),
        None => return Err(FieldError::new("type", "is required")),
    };
    let mut issues = vec![];
    let mut text = |name: &str| -> Option<String> {
        match map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                issues.push(FieldError::new(name, "is not text; left out"));
                None
            }
        }
    };
    let out_id = text("out_id");
    let cell_number = text("cell_number");
    let error_code = text("error_code");
    let error_msg = text("error_msg");
    let start_time = text("start_time");
    let report_time = text("report_time");
    let result = match map.get("result") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        // A result sent as JSON rather than as a JSON string: read it as its text.
        Some(other) => {
            issues.push(FieldError::new("result", "is JSON, not a JSON string as documented"));
            Some(other.to_string())
        }
    };
    let mut int = |name: &str| -> Option<i64> {
        match map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64(),
            Some(_) => {
                issues.push(FieldError::new(name, "is not an integer; left out"));
                None
            }
        }
    };
    let content_length = int("content_length");
    let duration = int("duration");
    let success = match map.get("success") {
        Some(Value::Bool(b)) => *b,
        _ => {
            let assumed = error_code.as_deref().map_or(result.is_some(), |c| c == "success");
            issues.push(FieldError::new("success", format!("is not true or false; read as {assumed}")));
            assumed
        }
    };
    if report_time.as_deref().is_some_and(|t| crate::time::parse_shanghai(t.trim()).is_none()) {
        issues.push(FieldError::new("report_time", "is not a time (yyyy-MM-dd HH:mm:ss); ordered as the oldest"));
    }
    let record = PushRecord {
        call_id,
        biz_id,
        out_id,
        cell_number,
        success,
        error_code: error_code.unwrap_or_default(),
        error_msg,
        content_length,
        duration,
        start_time,
        report_time,
        note_type,
        result,
    };
    let mut outcome = record.decode();
    outcome.add_issues(issues);
    Ok((record, outcome))
}

/// A stable digest of a record's content (its JSON with members sorted), so
/// a redelivery of the same content is told apart from a new version.
pub fn content_digest(raw: &serde_json::Value) -> String {
    use sha2::{Digest, Sha256};
    let canonical = raw.to_string();
    Sha256::digest(canonical.as_bytes()).iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// A record that was read, with its raw JSON and its text as received.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedRecord {
    pub index: usize,
    pub raw: serde_json::Value,
    pub text: String,
    pub record: PushRecord,
    pub outcome: NoteOutcome,
}

/// Something of a push that could not be read as a record, kept whole: one
/// element of the array (`index`), or the whole body (`index: None`).
#[derive(Clone, Debug, PartialEq)]
pub struct RejectedRecord {
    pub index: Option<usize>,
    /// Exactly the bytes received (may not be UTF-8).
    pub raw: Vec<u8>,
    pub error: FieldError,
}

/// A push, read: the records, and whatever had to go to dead letters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Push {
    pub accepted: Vec<AcceptedRecord>,
    pub rejected: Vec<RejectedRecord>,
}

/// Reads a push body. Never fails: the body's top-level array is split into
/// its elements first, so an element that is not UTF-8, not JSON, or nested
/// deeper than the parser allows is a dead letter on its own and the others
/// are read; a body that is not an array at all is one dead letter (a single
/// object is read as a one-record push).
pub fn read_push(body: &[u8]) -> Push {
    let mut push = Push::default();
    let whole = |problem: &str| RejectedRecord { index: None, raw: body.to_vec(), error: FieldError::new("body", problem) };
    let Some(elements) = split_array(body) else {
        match std::str::from_utf8(body).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) {
            Some(v @ serde_json::Value::Object(_)) => read_element(&mut push, 0, body, Ok(v)),
            Some(_) => push.rejected.push(whole("must be a JSON array of records")),
            None if std::str::from_utf8(body).is_err() => push.rejected.push(whole("is not UTF-8 text")),
            None => push.rejected.push(whole("is not a JSON array of records")),
        }
        return push;
    };
    for (index, bytes) in elements.into_iter().enumerate() {
        let value = std::str::from_utf8(bytes)
            .map_err(|_| FieldError::new(format!("[{index}]"), "is not UTF-8 text"))
            .and_then(|t| serde_json::from_str::<serde_json::Value>(t).map_err(|e| FieldError::new(format!("[{index}]"), format!("is not JSON: {e}"))));
        read_element(&mut push, index, bytes, value);
    }
    push
}

fn read_element(push: &mut Push, index: usize, bytes: &[u8], value: Result<serde_json::Value, FieldError>) {
    let reading = value.and_then(|raw| match read_record(&raw) {
        Ok((record, outcome)) => Ok(AcceptedRecord { index, raw, text: String::from_utf8_lossy(bytes).into_owned(), record, outcome }),
        Err(e) => Err(e.within(&format!("[{index}]"))),
    });
    match reading {
        Ok(a) => push.accepted.push(a),
        Err(error) => push.rejected.push(RejectedRecord { index: Some(index), raw: bytes.to_vec(), error }),
    }
}

/// The elements of a top-level JSON array, as byte ranges, found by
/// tracking strings and nesting only (nothing is parsed, so no depth limit
/// applies). Whitespace-only elements (a trailing comma) are dropped. `None`
/// if the body is not an array at the top or its brackets do not close.
pub fn split_array(body: &[u8]) -> Option<Vec<&[u8]>> {
    let ws = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let mut i = if body.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
    while i < body.len() && ws(body[i]) {
        i += 1;
    }
    if body.get(i) != Some(&b'[') {
        return None;
    }
    i += 1;
    fn trim(mut s: &[u8]) -> &[u8] {
        while let [first, rest @ ..] = s {
            if !matches!(first, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            s = rest;
        }
        while let [rest @ .., last] = s {
            if !matches!(last, b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            s = rest;
        }
        s
    }
    let (mut depth, mut in_string, mut escaped, mut start) = (0usize, false, false, i);
    let mut items = vec![];
    while i < body.len() {
        let b = body[i];
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => depth += 1,
                b']' | b'}' if depth > 0 => depth -= 1,
                b',' if depth == 0 => {
                    items.push(trim(&body[start..i]));
                    start = i + 1;
                }
                b']' => {
                    items.push(trim(&body[start..i]));
                    if !body[i + 1..].iter().all(|b| ws(*b)) {
                        return None;
                    }
                    items.retain(|s| !s.is_empty());
                    return Some(items);
                }
                b'}' => return None,
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Parses a push body into records, for callers that want all or nothing
/// (tests and the sandbox): any dead letter is an error.
pub fn parse_push(body: &str) -> Result<Vec<PushRecord>, FieldError> {
    let (records, bad) = parse_push_lenient(body)?;
    match bad.into_iter().next() {
        Some(b) => Err(b.error),
        None => Ok(records),
    }
}

/// Splits a push into records that can be kept and those that cannot. Only
/// a body that is not an array of records at all is an error.
pub fn parse_push_lenient(body: &str) -> Result<(Vec<PushRecord>, Vec<RejectedRecord>), FieldError> {
    let push = read_push(body.as_bytes());
    if let Some(whole) = push.rejected.iter().find(|r| r.index.is_none()) {
        return Err(whole.error.clone());
    }
    Ok((push.accepted.into_iter().map(|a| a.record).collect(), push.rejected))
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

    fn outcome_of(body: &str) -> NoteOutcome {
        let push = read_push(body.as_bytes());
        assert!(push.rejected.is_empty(), "{:?}", push.rejected);
        push.accepted[0].outcome.clone()
    }

    #[test]
    fn decodes_summary_in_order() {
        let body = format!("[{}]", record("通话摘要", r#"{"b":["x","y"],"a":"text"}"#));
        match outcome_of(&body) {
            NoteOutcome::Summary { tags, issues } => {
                assert_eq!(tags.0[0].0, "b");
                assert_eq!(tags.0[0].1, TagValue::Choices(vec!["x".into(), "y".into()]));
                assert_eq!(tags.get("a"), Some(&TagValue::Text("text".into())));
                assert!(issues.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scores_that_do_not_fit_are_kept_with_their_issues() {
        let body = format!(
            "[{}]",
            record("通话质检", r#"[{"item":"x","full_score":10,"score":11,"problem":null,"suggestion":""},{"item":"y","full_score":20,"score":7.5,"problem":"p","suggestion":"s"}]"#)
        );
        match outcome_of(&body) {
            NoteOutcome::QualityInspection { items, issues } => {
                assert_eq!((items[0].score, items[1].score), (11.0, 7.5));
                assert_eq!(items[0].problem, None);
                let fields: Vec<&str> = issues.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["result[0].score", "result[0].problem", "result[1].score"]);
                assert!(issues[2].problem.contains("7.5"), "{:?}", issues[2]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn only_a_record_without_its_key_is_a_dead_letter() {
        let good = record("通话质检", r#"[{"item":"x","full_score":10,"score":9,"problem":"无","suggestion":"无"}]"#);
        let unknown = record("通话情绪", "{}");
        let body = format!(r#"[{good}, {{"call_id": 5}}, {}, {unknown}, {{"call_id":"c","biz_id":"","type":"通话质检"}}]"#, record("通话摘要", "not json"));
        let push = read_push(body.as_bytes());
        assert_eq!(push.accepted.len(), 3);
        assert!(matches!(&push.accepted[1].outcome, NoteOutcome::Unreadable { field, .. } if field == "result"));
        assert!(matches!(&push.accepted[2].outcome, NoteOutcome::Unreadable { field, .. } if field == "type"));
        let bad: Vec<(Option<usize>, &str)> = push.rejected.iter().map(|r| (r.index, r.error.field.as_str())).collect();
        assert_eq!(bad, [(Some(1), "[1].biz_id"), (Some(4), "[4].biz_id")]);
        assert_eq!(push.rejected[0].raw, br#"{"call_id": 5}"#);
    }

    #[test]
    fn one_broken_element_does_not_take_the_others() {
        let good = record("通话摘要", r#"{"a":"b"}"#);
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let mut body = format!(r#"[{good}, {{"call_id": "x", "biz_id": }}, {deep}, "#).into_bytes();
        body.extend_from_slice(b"\"\xff\xfe\", ");
        body.extend_from_slice(format!("{good}]").as_bytes());
        let push = read_push(&body);
        assert_eq!(push.accepted.len(), 2);
        let bad: Vec<Option<usize>> = push.rejected.iter().map(|r| r.index).collect();
        assert_eq!(bad, [Some(1), Some(2), Some(3)]);
        assert!(push.rejected[1].error.problem.contains("recursion"), "{:?}", push.rejected[1].error);
        assert_eq!(push.rejected[2].error.problem, "is not UTF-8 text");
        assert_eq!(push.rejected[2].raw, b"\"\xff\xfe\"");
    }

    #[test]
    fn a_body_that_is_not_an_array_is_kept_whole() {
        for (body, problem) in [(&b"{\"x\":1}"[..], "[0].call_id"), (b"not json", "body"), (b"\xff[", "body"), (b"[1, 2", "body"), (b"[]]", "body")] {
            let push = read_push(body);
            assert!(push.accepted.is_empty());
            assert_eq!(push.rejected.len(), 1, "{body:?}");
            assert_eq!(push.rejected[0].raw, body);
            assert_eq!(push.rejected[0].error.field, problem, "{body:?}");
        }
        assert_eq!(read_push(b" [ ] ").rejected.len() + read_push(b"[]").accepted.len(), 0);
        // One object alone is read as a push of one.
        let one = record("通话摘要", r#"{"a":"b"}"#);
        assert_eq!(read_push(one.as_bytes()).accepted.len(), 1);
    }

    #[test]
    fn the_splitter_respects_strings_and_nesting() {
        let body = br#" [ {"a":"x,]}[\"y"}, [1,[2]] , "s,t" ,] "#;
        let parts = split_array(body).unwrap();
        assert_eq!(parts, [&br#"{"a":"x,]}[\"y"}"#[..], b"[1,[2]]", br#""s,t""#]);
        assert_eq!(split_array(b"[1}"), None);
        assert_eq!(split_array(b"[1] x"), None);
        assert_eq!(split_array(b"{}"), None);
    }

    #[test]
    fn fields_of_the_wrong_type_are_left_out_and_listed() {
        let raw: serde_json::Value = serde_json::json!({
            "call_id": 155, "biz_id": "b", "type": "通话摘要", "duration": "267", "success": "yes",
            "error_code": "success", "report_time": "x", "result": {"态度": ["配合"]}
        });
        let (record, outcome) = read_record(&raw).unwrap();
        assert_eq!((record.call_id.as_str(), record.duration, record.success, record.report_ms()), ("155", None, true, None));
        let fields: Vec<&str> = outcome.issues().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["result", "duration", "success", "report_time"]);
        assert!(matches!(outcome, NoteOutcome::Summary { ref tags, .. } if tags.get("态度") == Some(&TagValue::Choices(vec!["配合".into()]))));
    }

    #[test]
    fn failure_record_is_kept_as_failed() {
        let body = r#"[{"call_id":"c","biz_id":"b","success":false,"error_code":"NOTE_AGENT_PROCESS_FAIL","error_msg":"推理失败","type":"通话质检","result":""}]"#;
        assert_eq!(
            outcome_of(body),
            NoteOutcome::Failed { error_code: PROCESS_FAIL.into(), error_msg: Some("推理失败".into()), issues: vec![] }
        );
    }

    #[test]
    fn report_times_are_read_as_shanghai_time() {
        let body = format!("[{}]", record("通话摘要", "{}"));
        let r = &parse_push(&body).unwrap()[0];
        assert_eq!(r.report_ms(), crate::time::parse_shanghai("2026-03-02 15:29:07"));
        assert_eq!(r.report_ms(), Some(1_772_436_547_000));
    }

    #[test]
    fn digests_tell_content_apart_but_not_member_order() {
        let a: serde_json::Value = serde_json::from_str(r#"{"x":1,"y":"2"}"#).unwrap();
        let b: serde_json::Value = serde_json::from_str(r#"{"y":"2","x":1}"#).unwrap();
        let c: serde_json::Value = serde_json::from_str(r#"{"y":"3","x":1}"#).unwrap();
        assert_eq!(content_digest(&a), content_digest(&b));
        assert_ne!(content_digest(&a), content_digest(&c));
        assert_eq!(content_digest(&a).len(), 32);
    }

    #[test]
    fn scores_as_text() {
        for (v, t) in [(15.0, "15"), (7.5, "7.5"), (7.25, "7.25"), (-1.0, "-1"), (0.0, "0"), (99.999, "100"), (f64::NAN, "?")] {
            assert_eq!(score_text(v), t);
        }
    }

    #[test]
    fn not_an_array() {
        assert_eq!(parse_push("5").unwrap_err().field, "body");
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
                items: vec![QualityItem { item: "开场".into(), full_score: 10.0, score: 9.0, problem: Some("无".into()), suggestion: Some("保持".into()) }],
                issues: vec![],
            },
            NoteOutcome::QualityInspection {
                items: vec![QualityItem { item: "开场".into(), full_score: 10.0, score: 9.5, problem: None, suggestion: None }],
                issues: vec![FieldError::new("result[0].score", "9.5 is not a whole number")],
            },
            NoteOutcome::Summary { tags: Summary(vec![("结果".into(), TagValue::Choices(vec!["同意".into()])), ("摘要".into(), TagValue::Text("好".into()))]), issues: vec![] },
            NoteOutcome::Failed { error_code: "NOTE_AGENT_PROCESS_FAIL".into(), error_msg: Some("推理失败".into()), issues: vec![] },
            NoteOutcome::Failed { error_code: "X".into(), error_msg: None, issues: vec![] },
            NoteOutcome::Unreadable { field: "type".into(), problem: "unknown".into(), result: Some("{}".into()) },
        ];
        for o in all {
            let text = serde_json::to_string(&o).unwrap();
            assert_eq!(serde_json::from_str::<NoteOutcome>(&text).unwrap(), o, "{text}");
        }
        for bad in [r#"{"kind":"summary"}"#, r#"{"kind":"other"}"#, r#"{"items":[]}"#, r#"{"kind":"failed"}"#, r#"{"kind":"unreadable"}"#, "[]"] {
            assert!(serde_json::from_str::<NoteOutcome>(bad).is_err(), "{bad}");
        }
    }
}
