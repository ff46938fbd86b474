//! Property tests: the parsers never panic on any input, and what is encoded
//! decodes back to the same value.

use proptest::prelude::*;
use shared::clink::sign::{self, escape, BaseUrl, Credentials, Expires, Method, QueryValue, Signer};
use shared::{mediation as m, note};

fn turn() -> impl Strategy<Value = m::Turn> {
    (
        any::<i64>(),
        prop_oneof![Just("Robot".to_owned()), Just("Contact".to_owned()), "[A-Za-z]{1,12}"],
        proptest::option::of(".{0,80}"),
        prop_oneof![
            Just("BeginDialogue".to_owned()),
            Just("Broadcast".to_owned()),
            Just("Dialogue".to_owned()),
            Just("EndDialogue".to_owned()),
            "[A-Za-z]{1,12}"
        ],
    )
        .prop_map(|(timestamp, speaker, script, action)| m::Turn {
            timestamp,
            speaker: m::Speaker::parse(&speaker),
            script,
            action: m::TurnAction::parse(&action),
        })
}

fn record() -> impl Strategy<Value = note::PushRecord> {
    (
        "[0-9a-z^*]{1,30}",
        "[0-9]{1,12}",
        proptest::option::of("[0-9a-f-]{1,40}"),
        any::<bool>(),
        prop_oneof![Just("通话质检".to_owned()), Just("通话摘要".to_owned()), ".{0,8}"],
        proptest::option::of(".{0,200}"),
        proptest::option::of(any::<i64>()),
    )
        .prop_map(|(call_id, biz_id, out_id, success, kind, result, duration)| note::PushRecord {
            call_id,
            biz_id,
            out_id,
            cell_number: Some("155********".into()),
            success,
            error_code: if success { "success".into() } else { note::PROCESS_FAIL.into() },
            error_msg: None,
            content_length: None,
            duration,
            start_time: Some("2026-03-02 15:28:59".into()),
            report_time: None,
            note_type: note::NoteType::parse(&kind),
            result,
        })
}

proptest! {
    #[test]
    fn html_escaping_replaces_exactly_the_five_special_characters(s in any::<String>()) {
        let mut out = String::new();
        shared::markdown::escape_html(&s, &mut out);
        let expected: String = s.chars().map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        }).collect();
        prop_assert_eq!(out, expected);
    }

    #[test]
    fn url_encoding_round_trips(s in any::<String>()) {
        let encoded = escape::java_url_encode(&s);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b".-*_+%".contains(&b)));
        prop_assert_eq!(escape::form_decode(&encoded), Some(s));
    }

    #[test]
    fn form_decode_never_panics(s in any::<String>()) {
        let _ = escape::form_decode(&s);
    }

    #[test]
    fn timestamps_round_trip(secs in -62_135_596_800i64..253_402_300_799i64) {
        let text = sign::format_timestamp(secs);
        prop_assert_eq!(sign::parse_timestamp(&text), Some(secs));
    }

    #[test]
    fn timestamp_parser_never_panics(s in any::<String>()) {
        let _ = sign::parse_timestamp(&s);
    }

    #[test]
    fn base_url_parser_never_panics(s in any::<String>()) {
        let _ = BaseUrl::parse(&s);
    }

    #[test]
    fn signer_is_deterministic_and_sorted(
        params in proptest::collection::btree_map("[a-zA-Z~ *中]{1,8}", any::<String>(), 0..8),
        now in 0i64..4_102_444_800,
    ) {
        let signer = Signer::new(Credentials::new("ak", "sk").unwrap(), Expires::default(), BaseUrl::parse("https://api-bj.clink.cn").unwrap());
        let query: Vec<(String, QueryValue)> = params.into_iter().map(|(k, v)| (k, QueryValue::One(v))).collect();
        let a = signer.sign(Method::Get, "/kb/list_articles", &query, now);
        let b = signer.sign(Method::Get, "/kb/list_articles", &query, now);
        prop_assert_eq!(&a, &b);
        if let Ok(signed) = a {
            let (_, q) = signed.string_to_sign.split_once('?').unwrap();
            let names: Vec<&str> = q.split('&').map(|p| p.split_once('=').unwrap().0).collect();
            let mut sorted = names.clone();
            sorted.sort();
            prop_assert_eq!(names, sorted);
        }
    }

    #[test]
    fn conversations_parser_never_panics(s in any::<String>()) {
        let _ = m::parse_conversations(&s);
    }

    #[test]
    fn conversations_round_trip(turns in proptest::collection::vec(turn(), 0..20)) {
        let text = m::encode_conversations(&turns);
        prop_assert_eq!(m::parse_conversations(&text).unwrap(), turns);
    }

    #[test]
    fn push_parser_never_panics(s in any::<String>()) {
        let _ = note::read_push(s.as_bytes());
    }

    #[test]
    fn push_parser_never_panics_on_json_shaped_input(s in r#"\[(\{("[a-z_]{1,12}":("[^"]{0,10}"|[0-9]{1,5}|true|null|\[\]),?){0,14}\},?){0,4}\]"#) {
        let _ = note::read_push(s.as_bytes());
    }

    #[test]
    fn push_records_round_trip(records in proptest::collection::vec(record(), 0..6)) {
        let text = serde_json::to_string(&records).unwrap();
        let back: Vec<note::PushRecord> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(back, records.clone());
        // Every record lands on exactly one side of a lenient parse.
        let (good, bad) = note::parse_push_lenient(&text).unwrap();
        prop_assert_eq!(good.len() + bad.len(), records.len());
    }

    #[test]
    fn markdown_never_panics_and_keeps_every_character(s in any::<String>()) {
        let blocks = shared::markdown::parse(&s);
        // Markup characters may go, line breaks may move, but no text is invented.
        let text: String = blocks.iter().map(|b| match b {
            shared::markdown::Block::Heading { content, .. } | shared::markdown::Block::Paragraph(content) => shared::markdown::plain_text(content),
            shared::markdown::Block::List { items, .. } => items.iter().map(|i| shared::markdown::plain_text(i)).collect(),
        }).collect();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            prop_assert!(s.contains(c));
        }
    }

    #[test]
    fn envelope_parser_never_panics(s in any::<String>()) {
        let _ = m::parse_envelope::<Vec<m::BoardRecord>>(&s);
    }
}
