//! Every example JSON printed in the three upstream documents
//! (`fixtures/INDEX.md` lists where each comes from) is parsed verbatim into
//! its typed form and round-tripped: serialising the typed value gives the
//! same JSON, where an explicit `null` and an absent field count as the same.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use shared::wire::clink::{self, kb};
use shared::wire::{mediation as m, note};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Drops null-valued object members, recursively.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Parses `text` as `T`, serialises it again and compares with the original.
fn round_trip<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str, text: &str) -> T {
    let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: does not parse as typed: {e}"));
    let original: Value = serde_json::from_str(text).unwrap();
    let again_text = serde_json::to_string(&typed).unwrap();
    let again: Value = serde_json::from_str(&again_text).unwrap();
    assert_eq!(without_nulls(&again), without_nulls(&original), "{name}: round trip changed the JSON");
    let reparsed: T = serde_json::from_str(&again_text).unwrap();
    assert_eq!(reparsed, typed, "{name}: typed value changed after a round trip");
    typed
}

type Check = fn(&str, &str);

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(name: &str, text: &str) {
    round_trip::<T>(name, text);
}

/// Which type each fixture is.
fn table() -> Vec<(&'static str, Check)> {
    vec![
        ("mediation/01-unnamed-x-response.json", check::<serde_json::Map<String, Value>>),
        ("mediation/02-takeover-request.json", check::<m::TakeoverRequest>),
        ("mediation/03-takeover-400-response.json", check::<m::Envelope<()>>),
        ("mediation/04-call-v2-request.json", check_call_request),
        ("mediation/05-call-v2-response.json", check::<m::Envelope<Vec<m::CallResult>>>),
        ("mediation/06-conversation-log-response.json", check_conversation_log),
        ("mediation/07-status-response.json", check::<m::Envelope<m::CallStatusInfo>>),
        ("mediation/08-update-status-request.json", check::<m::UpdateStatusRequest>),
        ("mediation/09-update-status-response.json", check::<m::Envelope<()>>),
        ("mediation/10-ocr-process-response.json", check_ocr_answer),
        ("note_agent/01-push-request.json", check_push),
        ("note_agent/02-push-request-result-quality-inspection.json", check::<Vec<note::QualityItem>>),
        ("note_agent/03-push-request-result-summary.json", check::<note::Summary>),
        ("note_agent/04-push-response.json", check::<note::PushReply>),
        ("clink/01-cc-online-request.json", check::<clink::OnlineRequest>),
        ("clink/02-common-success-response.json", check::<clink::Ack>),
        ("clink/03-common-paging-response.json", check::<clink::Page<serde_json::Map<String, Value>>>),
        ("clink/04-common-error-response.json", check::<clink::ErrorResponse>),
        ("clink/05-error-codes-error-response.json", check::<clink::ErrorResponse>),
        ("clink/06-list-public-repositories-response.json", check::<kb::RepositoryList>),
        ("clink/07-list-private-repositories-response.json", check::<kb::RepositoryList>),
        ("clink/08-describe-bot-repository-response.json", check::<kb::BotRepository>),
        ("clink/09-list-directories-response.json", check::<kb::DirectoryList>),
        ("clink/10-create-article-request.json", check::<kb::ArticleInput>),
        ("clink/11-create-article-response.json", check::<kb::ArticleSaved>),
        ("clink/12-update-article-request.json", check::<kb::ArticleInput>),
        ("clink/13-update-article-response.json", check::<kb::ArticleSaved>),
        ("clink/14-delete-article-response.json", check::<kb::ArticleSaved>),
        ("clink/15-list-articles-response.json", check::<kb::ArticlePage>),
        ("clink/16-describe-article-response.json", check::<kb::ArticleDetail>),
        ("clink/17-list-faqs-response.json", check::<kb::FaqPage>),
        ("clink/18-chat-conversation-on-open-request.json", check::<kb::ChatRequest>),
        ("clink/19-chat-conversation-on-open-response.json", check::<kb::ChatResponse>),
        ("clink/20-list-conversations-response.json", check::<kb::ConversationPage>),
        ("clink/21-describe-conversation-response.json", check::<kb::MessagePage>),
        ("clink/22-update-conversation-request.json", check::<kb::UpdateConversationRequest>),
        ("clink/23-update-conversation-response.json", check::<clink::Ack>),
        ("clink/24-delete-conversation-request.json", check::<kb::DeleteConversationRequest>),
        ("clink/25-delete-conversation-response.json", check::<clink::Ack>),
        ("clink/26-search-knowledge-on-open-request.json", check::<kb::SearchRequest>),
        ("clink/27-search-knowledge-on-open-response.json", check::<kb::SearchPage>),
        ("clink/28-describe-file-media-url-response.json", check::<kb::MediaUrl>),
        ("clink/29-describe-faq-media-url-response.json", check::<kb::MediaUrl>),
        ("clink/30-page-standard-question-response.json", check::<kb::StandardQuestionPage>),
        ("clink/31-list-standard-question-response.json", check::<kb::StandardQuestionList>),
        ("clink/32-create-standard-question-request.json", check::<kb::StandardQuestionInput>),
        ("clink/33-create-standard-question-response.json", check::<kb::StandardQuestionSaved>),
        ("clink/34-update-standard-question-request.json", check::<kb::StandardQuestionInput>),
        ("clink/35-update-standard-question-response.json", check::<kb::StandardQuestionSaved>),
        ("clink/36-delete-standard-question-request.json", check::<kb::BotIdsRequest>),
        ("clink/37-delete-standard-question-response.json", check::<kb::ResultText>),
        ("clink/38-list-answer-response.json", check::<kb::BotAnswerList>),
        ("clink/39-create-answer-request.json", check::<kb::BotAnswerInput>),
        ("clink/40-create-answer-response.json", check::<kb::BotAnswerSaved>),
        ("clink/41-update-answer-request.json", check::<kb::BotAnswerInput>),
        ("clink/42-update-answer-response.json", check::<kb::ResultText>),
        ("clink/43-delete-answer-request.json", check::<kb::BotIdsRequest>),
        ("clink/44-delete-answer-response.json", check::<kb::ResultText>),
        ("clink/45-list-corpus-response.json", check::<kb::CorpusList>),
        ("clink/46-create-corpus-request.json", check::<kb::CreateCorpusRequest>),
        ("clink/47-create-corpus-response.json", check::<kb::ResultText>),
        ("clink/48-update-corpus-request.json", check::<kb::UpdateCorpusRequest>),
        ("clink/49-update-corpus-response.json", check::<kb::ResultText>),
        ("clink/50-delete-corpus-request.json", check::<kb::DeleteCorpusRequest>),
        ("clink/51-delete-corpus-response.json", check::<kb::ResultText>),
        ("clink/52-create-category-request.json", check::<kb::CategoryInput>),
        ("clink/53-create-category-response.json", check::<kb::CategorySaved>),
        ("clink/54-update-category-request.json", check::<kb::CategoryInput>),
        ("clink/55-update-category-response.json", check::<kb::CategorySaved>),
        ("clink/56-delete-category-request.json", check::<kb::BotIdRequest>),
        ("clink/57-delete-category-response.json", check::<kb::ResultText>),
        ("clink/58-media-url-response.json", check::<kb::KbMediaUrl>),
        ("clink/59-files-list-response.json", check::<kb::FilePage>),
        ("clink/60-files-request.json", check::<kb::FileUploadFields>),
        ("clink/61-files-response.json", check::<kb::ResultText>),
        ("clink/62-files-update-request.json", check::<kb::FileUpdateFields>),
        ("clink/63-files-update-response.json", check::<kb::ResultText>),
        ("clink/64-files-delete-request.json", check::<kb::FilesDeleteRequest>),
        ("clink/65-files-delete-response.json", check::<clink::Ack>),
        ("clink/66-files-attachment-request.json", check::<kb::FileAttachmentRequest>),
    ]
}

fn check_call_request(name: &str, text: &str) {
    // The doc's request example uses placeholder strings ("string"); it must
    // parse, and validation must accept the shape.
    let r = round_trip::<m::CallRequest>(name, text);
    assert_eq!(r.call_auto, m::CallMode::Automatic);
}

fn check_conversation_log(name: &str, text: &str) {
    let env = round_trip::<m::Envelope<Vec<m::ConversationLog>>>(name, text);
    assert_eq!(env.data.len(), 9);
    for (i, log) in env.data.iter().enumerate() {
        let turns = log.turns().unwrap_or_else(|e| panic!("{name}: data[{i}]: {e}"));
        assert!(turns.len() >= 3, "{name}: data[{i}] has {} turns", turns.len());
        assert_eq!(turns.first().unwrap().action, m::TurnAction::BeginDialogue);
        assert_eq!(turns.last().unwrap().action, m::TurnAction::EndDialogue);
        assert_eq!(turns.last().unwrap().script, None);
        assert!(turns.iter().all(|t| t.speaker.is_known() && t.action.is_known()));
        // Turns survive encoding and decoding.
        let again = m::parse_conversations(&m::encode_conversations(&turns)).unwrap();
        assert_eq!(again, turns);
    }
    let agreement = env.data.iter().find(|l| l.call_type == m::CallType::Agreement).unwrap();
    let script = agreement.turns().unwrap()[1].script.clone().unwrap();
    assert!(script.contains("\n\n1.") && script.contains("**分期支付**"), "markdown and newlines are kept: {script}");
}

/// OCR's documented answer is a bare `{}`: read as the edge reads it, it is
/// a success with nothing reported yet.
fn check_ocr_answer(name: &str, text: &str) {
    use shared::wire::mediation::answer::{read, Shape};
    let answered = read::<m::OcrResult>(200, text, Shape::BareOrEnvelope).unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!((answered.code, answered.data), (None, m::OcrResult::default()));
}

fn check_push(name: &str, text: &str) {
    let records = round_trip::<Vec<note::PushRecord>>(name, text);
    assert_eq!(records.len(), 1);
    match records[0].decode() {
        note::NoteOutcome::QualityInspection { items, issues } => {
            assert_eq!(items[0].item, "违规敏感词");
            assert_eq!((items[0].score, items[0].full_score), (15.0, 15.0));
            assert!(issues.is_empty(), "the spec's own example fits the spec: {issues:?}");
        }
        other => panic!("{name}: decoded as {other:?}"),
    }
}

#[test]
fn every_fixture_round_trips() {
    let table = table();
    for (file, check) in &table {
        let text = std::fs::read_to_string(fixtures_dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        check(file, &text);
    }
}

#[test]
fn every_fixture_file_is_in_the_table() {
    let listed: Vec<&str> = table().iter().map(|(f, _)| *f).collect();
    for dir in ["mediation", "note_agent", "clink"] {
        for entry in std::fs::read_dir(fixtures_dir().join(dir)).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(listed.contains(&name.as_str()), "{name} has no typed check");
        }
    }
}

#[test]
fn summary_and_quality_examples_decode_through_a_push() {
    let dir = fixtures_dir().join("note_agent");
    for (file, kind) in [("02-push-request-result-quality-inspection.json", "通话质检"), ("03-push-request-result-summary.json", "通话摘要")] {
        let result = std::fs::read_to_string(dir.join(file)).unwrap();
        let body = serde_json::json!([{
            "call_id": "c", "biz_id": "b", "out_id": "job", "cell_number": "155", "success": true,
            "error_code": "success", "error_msg": "success", "content_length": 1, "duration": 1,
            "start_time": "2026-03-02 15:28:59", "report_time": "2026-03-02 15:29:07",
            "type": kind, "result": result,
        }]);
        let records = note::parse_push(&body.to_string()).unwrap();
        match records[0].decode() {
            note::NoteOutcome::QualityInspection { items, issues } => {
                assert_eq!(note::quality_total(&items), (92.0, 100.0));
                assert!(issues.is_empty(), "{issues:?}");
            }
            note::NoteOutcome::Summary { tags, issues } => {
                assert!(issues.is_empty(), "{issues:?}");
                assert_eq!(tags.0.len(), 4);
                assert_eq!(tags.get("枚举型标签2"), Some(&note::TagValue::Choices(vec!["取值2.1".into(), "取值2.2".into()])));
                assert_eq!(tags.get("文本型标签1"), Some(&note::TagValue::Text("内容1".into())));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn the_boards_summaries_read_the_same_values_as_the_full_types() {
    // Search hits, from the spec's example answer.
    let text = std::fs::read_to_string(fixtures_dir().join("clink/27-search-knowledge-on-open-response.json")).unwrap();
    let full: kb::SearchPage = serde_json::from_str(&text).unwrap();
    let slim: kb::HitList = serde_json::from_str(&text).unwrap();
    assert!(!full.result.is_empty());
    assert_eq!(slim.result.len(), full.result.len());
    for (s, f) in slim.result.iter().zip(&full.result) {
        assert_eq!((&s.id, &s.question, &s.name, &s.content, &s.knowledge_type), (&f.id, &f.question, &f.name, &f.content, &f.knowledge_type));
        assert_eq!(s.answers.as_ref().map(Vec::len), f.answers.as_ref().map(Vec::len));
        for (sa, fa) in s.answers.iter().flatten().zip(f.answers.iter().flatten()) {
            assert_eq!(sa.content, fa.content);
        }
    }
    // Call outcomes, from the spec's call-v2 answer as the edge relays it.
    let text = std::fs::read_to_string(fixtures_dir().join("mediation/05-call-v2-response.json")).unwrap();
    let env: m::Envelope<Vec<m::CallResult>> = serde_json::from_str(&text).unwrap();
    let relayed = serde_json::to_string(&shared::wire::api::PlaceCallResponse { results: env.data.clone() }).unwrap();
    let slim: shared::wire::api::PlacedCalls = serde_json::from_str(&relayed).unwrap();
    assert_eq!(slim.results.len(), env.data.len());
    for (s, f) in slim.results.iter().zip(&env.data) {
        assert_eq!((&s.error_code, &s.message, &s.person_id, &s.start_time), (&f.error_code, &f.message, &f.person_id, &f.start_time));
    }
}

#[test]
fn the_documented_answers_read_by_the_one_rule() {
    use shared::wire::mediation::answer::{read, Shape, UpstreamFault};
    let text = |f: &str| std::fs::read_to_string(fixtures_dir().join("mediation").join(f)).unwrap();
    let conflict = read::<Option<m::TakeoverResult>>(400, &text("03-takeover-400-response.json"), Shape::Envelope).unwrap_err();
    assert_eq!(conflict, UpstreamFault::Rejected { status: 400, message: m::TAKEOVER_CONFLICT_MESSAGE.into() });
    // The same envelope with HTTP 200 is the same refusal.
    assert_eq!(read::<Option<m::TakeoverResult>>(200, &text("03-takeover-400-response.json"), Shape::Envelope).unwrap_err(), conflict);
    let updated = read::<Option<serde::de::IgnoredAny>>(200, &text("09-update-status-response.json"), Shape::Envelope).unwrap();
    assert_eq!(updated.message, "状态更新成功");
    let placed = read::<Vec<m::CallResult>>(201, &text("05-call-v2-response.json"), Shape::Envelope).unwrap();
    assert_eq!((placed.code, placed.data.len()), (Some(201), 2));
    let status = read::<m::CallStatusInfo>(200, &text("07-status-response.json"), Shape::Envelope).unwrap();
    assert_eq!(status.data.call_status, m::CallStatus::Succeeded);
    let logs = read::<Vec<m::ConversationLog>>(200, &text("06-conversation-log-response.json"), Shape::Envelope).unwrap();
    assert!(logs.data.iter().all(|l| l.turns().is_ok()));
}
