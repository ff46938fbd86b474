//! Property tests: the parsers never panic on any input, and what is encoded
//! decodes back to the same value.

use proptest::prelude::*;
use shared::wire::clink::sign::{self, BaseUrl, Credentials, Expires, Method, QueryValue, Signer};
use shared::wire::mediation::answer;
use shared::wire::session::{mint, verify, Claims, Role};
use shared::wire::{clink, mediation as m, note};

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
        prop_oneof![Just("通话质检".to_owned()), Just("通话摘要".to_owned()), "[a-z通话质检摘要情绪]{1,8}"],
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
        shared::view::html::escape_html(&s, &mut out);
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
        let blocks = shared::view::markdown::parse(&s);
        // Markup characters may go, line breaks may move, but no text is invented.
        let text: String = blocks.iter().map(|b| match b {
            shared::view::markdown::Block::Heading { content, .. } | shared::view::markdown::Block::Paragraph(content) => shared::view::markdown::plain_text(content),
            shared::view::markdown::Block::List { items, .. } => items.iter().map(|i| shared::view::markdown::plain_text(i)).collect(),
        }).collect();
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            prop_assert!(s.contains(c));
        }
    }

    #[test]
    fn envelope_parser_never_panics(s in any::<String>()) {
        let _ = m::parse_envelope::<Vec<m::BoardRecord>>(&s);
    }

    // ---- the webhook body ----------------------------------------------

    #[test]
    fn a_push_of_records_is_read_back_whole(records in proptest::collection::vec(record(), 0..8)) {
        let body = serde_json::to_vec(&records).unwrap();
        let push = note::read_push(&body);
        prop_assert!(push.rejected.is_empty(), "{:?}", push.rejected);
        let keys: Vec<(String, String, String)> = push.accepted.iter().map(|a| (a.record.call_id.clone(), a.record.biz_id.clone(), a.record.note_type.as_str().to_owned())).collect();
        let expected: Vec<(String, String, String)> = records.iter().map(|r| (r.call_id.clone(), r.biz_id.clone(), r.note_type.as_str().to_owned())).collect();
        prop_assert_eq!(keys, expected);
        for (a, r) in push.accepted.iter().zip(&records) {
            prop_assert_eq!(&a.record, r);
            // The text kept is the element exactly as sent.
            prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&a.text).unwrap(), serde_json::to_value(r).unwrap());
        }
    }

    #[test]
    fn nothing_in_a_push_is_lost_or_invented(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let push = note::read_push(&body);
        for r in &push.rejected {
            // A dead letter is bytes that were in the body, never made up.
            prop_assert!(r.raw.is_empty() || body.windows(r.raw.len()).any(|w| w == r.raw.as_slice()));
        }
        if push.accepted.is_empty() && push.rejected.is_empty() {
            // Only an empty array holds nothing.
            prop_assert_eq!(note::split_array(&body).map(|p| p.len()), Some(0));
        }
    }

    #[test]
    fn every_element_of_an_array_lands_on_one_side(items in proptest::collection::vec(prop_oneof![
        record().prop_map(|r| serde_json::to_string(&r).unwrap()),
        Just("{\"call_id\": 1}".to_owned()),
        Just("[[[[1]]]]".to_owned()),
        "\"[^\"\\\\]{0,10}\"",
        Just("{\"call_id\": \"c\", \"biz_id\": }".to_owned()),
    ], 0..8)) {
        let body = format!("[{}]", items.join(","));
        let push = note::read_push(body.as_bytes());
        prop_assert_eq!(push.accepted.len() + push.rejected.len(), items.len());
        let mut indices: Vec<usize> = push.accepted.iter().map(|a| a.index).chain(push.rejected.iter().filter_map(|r| r.index)).collect();
        indices.sort();
        prop_assert_eq!(indices, (0..items.len()).collect::<Vec<_>>());
    }

    #[test]
    fn splitting_an_array_gives_back_its_elements(values in proptest::collection::vec(json_value(), 0..6)) {
        let body = serde_json::to_vec(&values).unwrap();
        let parts = note::split_array(&body).unwrap();
        let back: Vec<serde_json::Value> = parts.iter().map(|p| serde_json::from_slice(p).unwrap()).collect();
        prop_assert_eq!(back, values);
    }

    #[test]
    fn content_digests_ignore_member_order_only(a in json_value(), b in json_value()) {
        let reordered: serde_json::Value = serde_json::from_str(&a.to_string()).unwrap();
        prop_assert_eq!(note::content_digest(&a), note::content_digest(&reordered));
        if a != b {
            prop_assert_ne!(note::content_digest(&a), note::content_digest(&b));
        }
    }

    // ---- session tokens ------------------------------------------------

    #[test]
    fn tokens_round_trip_and_any_change_is_refused(
        sub in "[a-z0-9_.:-]{1,20}",
        role in prop_oneof![Just(Role::Mediator), Just(Role::Supervisor), Just(Role::Admin)],
        ttl in 1i64..43_200,
        at in 0usize..200,
        flip in 1u8..=255,
    ) {
        let now = 1_800_000_000;
        let claims = Claims { sub, name: None, role, exp: now + ttl, iat: Some(now), ..Claims::default() };
        let token = mint(&claims, b"secret");
        prop_assert_eq!(verify(&token, b"secret", now), Ok(claims.clone()));
        let mut bytes = token.into_bytes();
        let i = at % bytes.len();
        bytes[i] ^= flip;
        if let Ok(changed) = String::from_utf8(bytes) {
            // A changed token never verifies as different claims.
            match verify(&changed, b"secret", now) {
                Ok(c) => prop_assert_eq!(c, claims),
                Err(_) => {}
            }
        }
    }

    #[test]
    fn the_token_verifier_never_panics(s in any::<String>(), secret in proptest::collection::vec(any::<u8>(), 0..8)) {
        let _ = verify(&s, &secret, 1_800_000_000);
    }

    // ---- the mediation backend's answers ---------------------------------

    #[test]
    fn an_answer_succeeds_exactly_when_status_and_code_say_so(
        status in prop_oneof![Just(200u16), Just(201), Just(400), Just(404), Just(500), 100u16..600],
        code in prop_oneof![Just(200i64), Just(201), Just(400), Just(401), Just(404), Just(500), -1000i64..1000],
        message in ".{0,20}",
    ) {
        let body = serde_json::json!({ "code": code, "message": message, "data": null }).to_string();
        let read = answer::read::<Option<serde::de::IgnoredAny>>(status, &body, answer::Shape::Envelope);
        let success = (200..300).contains(&status) && (code == 200 || code == 201);
        prop_assert_eq!(read.is_ok(), success);
        match read {
            Ok(a) => prop_assert_eq!(a.message, message),
            Err(answer::UpstreamFault::Rejected { message: m, .. }) | Err(answer::UpstreamFault::Failed { message: m, .. }) => prop_assert_eq!(m, message),
            Err(answer::UpstreamFault::CredentialsRefused { .. }) => prop_assert!(status == 401 || status == 403 || code == 401 || code == 403),
            Err(answer::UpstreamFault::Unreadable { .. }) => prop_assert!(!(200..300).contains(&status) && !(400..600).contains(&status)),
        }
    }

    #[test]
    fn the_answer_reader_never_panics(status in 0u16..1000, body in any::<String>()) {
        let _ = answer::read::<Vec<m::BoardRecord>>(status, &body, answer::Shape::Envelope);
        let _ = answer::read::<m::OcrResult>(status, &body, answer::Shape::BareOrEnvelope);
    }

    // ---- Clink's answers -----------------------------------------------

    #[test]
    fn clink_errors_round_trip(code in "[A-Za-z]{1,24}", message in ".{0,40}", request_id in proptest::option::of("[0-9a-f-]{1,36}")) {
        let e = clink::ErrorResponse { request_id, error: clink::ErrorDetail { code: clink::ErrorCode::parse(&code), message } };
        let text = serde_json::to_string(&e).unwrap();
        prop_assert_eq!(clink::ErrorResponse::parse(&text), Some(e));
    }

    #[test]
    fn the_clink_error_reader_never_panics(s in any::<String>()) {
        let _ = clink::ErrorResponse::parse(&s);
    }

    // ---- allow-lists -----------------------------------------------------

    #[test]
    fn an_allowed_url_keeps_its_host(host in "[a-z]{1,8}(\\.[a-z]{1,8}){0,2}", path in "[a-z0-9/._-]{0,20}", https in any::<bool>()) {
        let list = shared::wire::origins::parse_allow_list("https://*.aliyuncs.com,http://127.0.0.1:8788").unwrap();
        let url = format!("{}://{host}/{path}", if https { "https" } else { "http" });
        if let Some(allowed) = shared::wire::origins::allowed_url(&url, &list) {
            prop_assert!(host.ends_with(".aliyuncs.com"));
            prop_assert_eq!(shared::wire::origins::origin_of(&allowed).unwrap().host, host);
        }
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        ".{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map("[a-z,\\]\\[{}\"]{0,6}", inner, 0..4).prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}
