//! Components mounted in a real browser (headless Chromium via wasm-bindgen-test).

#![cfg(target_arch = "wasm32")]

use app::i18n::*;
use app::widgets::knowledge::Highlighted;
use app::widgets::notes::NoteResults;
use leptos::prelude::*;
use shared::wire::api::NoteView;
use shared::wire::note::{NoteOutcome, QualityItem, Summary, TagValue};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    host.unchecked_into()
}

fn note(outcome: NoteOutcome, success: bool) -> NoteView {
    NoteView {
        call_id: "c".into(),
        biz_id: "b".into(),
        note_type: "通话质检".into(),
        out_id: Some("job".into()),
        cell_number: Some("139****1489".into()),
        success,
        error_code: Some(if success { "success".into() } else { "NOTE_AGENT_PROCESS_FAIL".into() }),
        error_msg: Some("推理失败:通话内容不足".into()),
        start_time: None,
        report_time: Some("2026-11-22 10:00:00".into()),
        outcome,
        received_at: 0,
        versions: 1,
    }
}

#[wasm_bindgen_test]
async fn markdown_renders_structure_and_never_html() {
    let el = host();
    let text = "草案如下:\n\n1. **分期支付**:6月前付清\n2. <img src=x onerror=alert(1)>\n\n谢谢";
    // As the agreement dialog renders a draft: the one markdown reader, as HTML.
    let mut h = shared::view::html::Html::new();
    h.markdown(text);
    let html = h.finish();
    let _h = leptos::mount::mount_to(el.clone(), move || view! { <div inner_html=html.clone()></div> });
    leptos::task::tick().await;
    assert_eq!(el.query_selector_all("ol li").unwrap().length(), 2);
    assert_eq!(el.query_selector("strong").unwrap().unwrap().text_content().unwrap(), "分期支付");
    assert!(el.query_selector("img").unwrap().is_none(), "no element from the text");
    assert!(el.text_content().unwrap().contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn highlights_become_marks_and_the_rest_stays_text() {
    let el = host();
    let _h = leptos::mount::mount_to(el.clone(), || view! { <Highlighted text="<em>拖欠</em>工资<script>x()</script><b>粗</b>"/> });
    leptos::task::tick().await;
    let marks = el.query_selector_all("mark").unwrap();
    assert_eq!(marks.length(), 1);
    assert_eq!(marks.item(0).unwrap().text_content().unwrap(), "拖欠");
    assert!(el.query_selector("script, b, em").unwrap().is_none());
    assert_eq!(el.text_content().unwrap(), "拖欠工资<script>x()</script><b>粗</b>");
}

#[wasm_bindgen_test]
async fn note_results_show_totals_items_tags_and_failures() {
    let el = host();
    let items = vec![
        QualityItem { item: "开场规范".into(), full_score: 10.0, score: 9.0, problem: Some("无".into()), suggestion: Some("保持".into()) },
        QualityItem { item: "协议内容准确性".into(), full_score: 25.0, score: 12.0, problem: Some("漏读金额".into()), suggestion: Some("完整复述".into()) },
    ];
    let summary = Summary(vec![("通话结果".into(), TagValue::Choices(vec!["同意协议".into()])), ("通话摘要".into(), TagValue::Text("已同意".into()))]);
    let notes = vec![
        note(NoteOutcome::QualityInspection { items, issues: vec![] }, true),
        note(NoteOutcome::Summary { tags: summary, issues: vec![] }, true),
        note(NoteOutcome::Failed { error_code: "NOTE_AGENT_PROCESS_FAIL".into(), error_msg: Some("推理失败:通话内容不足".into()), issues: vec![] }, false),
    ];
    let _h = leptos::mount::mount_to(el.clone(), move || view! { <I18nContextProvider><NoteResults notes=notes.clone()/></I18nContextProvider> });
    leptos::task::tick().await;
    assert_eq!(el.query_selector(".note.quality .score").unwrap().unwrap().text_content().unwrap(), "21");
    let meters = el.query_selector_all("[role=meter]").unwrap();
    assert_eq!(meters.length(), 2);
    let second: web_sys::Element = meters.item(1).unwrap().unchecked_into();
    assert_eq!(second.get_attribute("aria-valuenow").as_deref(), Some("12"));
    assert_eq!(second.get_attribute("aria-valuemax").as_deref(), Some("25"));
    assert_eq!(el.query_selector_all(".tag").unwrap().length(), 1);
    assert!(el.query_selector(".note.failed").unwrap().unwrap().text_content().unwrap().contains("推理失败"));
}

#[wasm_bindgen_test]
async fn records_that_do_not_fit_are_shown_with_what_does_not_fit() {
    let el = host();
    let items = vec![QualityItem { item: "情绪安抚".into(), full_score: 15.0, score: 7.5, problem: None, suggestion: None }];
    let issues = vec![shared::FieldError::new("result[0].score", "7.5 is not a whole number (documented as Integer)")];
    let notes = vec![
        note(NoteOutcome::QualityInspection { items, issues }, true),
        note(NoteOutcome::Unreadable { field: "type".into(), problem: "unknown type \"通话情绪\"".into(), result: Some("{\"x\":1}".into()) }, true),
    ];
    let _h = leptos::mount::mount_to(el.clone(), move || view! { <I18nContextProvider><NoteResults notes=notes.clone()/></I18nContextProvider> });
    leptos::task::tick().await;
    assert_eq!(el.query_selector(".note.quality .score").unwrap().unwrap().text_content().unwrap(), "7.5");
    assert_eq!(el.query_selector(".qi-score").unwrap().unwrap().text_content().unwrap(), "7.5 / 15");
    assert_eq!(el.query_selector_all(".note-issues li").unwrap().length(), 1);
    // A null problem shows as a dash after its label (in whichever language the browser asks for).
    let problem = el.query_selector(".qi-problem").unwrap().unwrap().text_content().unwrap();
    assert_eq!(problem.split_once(": ").map(|(_, text)| text), Some("—"), "{problem}");
    let unreadable = el.query_selector(".note.unreadable").unwrap().unwrap();
    assert_eq!(unreadable.query_selector("pre.raw").unwrap().unwrap().text_content().unwrap(), "{\"x\":1}");
}

#[wasm_bindgen_test]
async fn an_empty_note_list_says_results_are_pending() {
    let el = host();
    let _h = leptos::mount::mount_to(el.clone(), || view! { <I18nContextProvider><NoteResults notes=vec![]/></I18nContextProvider> });
    leptos::task::tick().await;
    assert!(el.query_selector("#notes-none").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn the_dialog_takes_focus_and_closes_on_escape() {
    let el = host();
    let closed = RwSignal::new(false);
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <I18nContextProvider>
                <Show when=move || !closed.get()>
                    <app::widgets::dialog::Dialog title=Signal::derive(|| "测试") on_close=Callback::new(move |_| closed.set(true))>
                        <button id="inside">"确定"</button>
                    </app::widgets::dialog::Dialog>
                </Show>
            </I18nContextProvider>
        }
    });
    leptos::task::tick().await;
    let document = web_sys::window().unwrap().document().unwrap();
    let active = document.active_element().unwrap();
    assert!(active.closest("[role=dialog]").unwrap().is_some(), "focus is inside the dialog");
    assert_eq!(el.query_selector("[role=dialog]").unwrap().unwrap().get_attribute("aria-modal").as_deref(), Some("true"));
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Escape");
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    web_sys::window().unwrap().dispatch_event(&ev).unwrap();
    leptos::task::tick().await;
    assert!(closed.get_untracked());
    assert!(el.query_selector("[role=dialog]").unwrap().is_none());
}

#[wasm_bindgen_test]
fn a_token_s_claims_are_read_from_its_base64url_payload() {
    // Payload {"sub": "zhangmin", "name": "张敏?>>", "role": "mediator", "exp": 4102444800}:
    // Chinese (multi-byte UTF-8), '_' from base64url, and no padding.
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiAiemhhbmdtaW4iLCAibmFtZSI6ICLlvKDmlY8_Pj4iLCAicm9sZSI6ICJtZWRpYXRvciIsICJleHAiOiA0MTAyNDQ0ODAwfQ.sig";
    let info = app::services::session::decode_claims(token).expect("claims");
    assert_eq!((info.user.as_str(), info.name.as_str(), info.expires_at), ("zhangmin", "张敏?>>", 4102444800));
    assert_eq!(info.role, shared::wire::session::Role::Mediator);
    assert!(app::services::session::decode_claims("not-a-token").is_none());
    assert!(app::services::session::decode_claims("a.%%%.c").is_none());
}

#[wasm_bindgen_test]
fn the_playing_highlight_moves_across_blocks_of_turns() {
    use shared::wire::mediation::{Speaker, Turn, TurnAction};
    use shared::view::render::transcript::{offsets, turns_html, TurnLabels, CHUNK};
    let turns: Vec<Turn> = (0..CHUNK as i64 * 3)
        .map(|i| Turn { timestamp: i * 1_000, speaker: Speaker::Robot, script: Some(format!("第{i}句")), action: TurnAction::Broadcast })
        .collect();
    let labels = TurnLabels { robot: "AI", party: "当事人", begin: "开始", end: "结束" };
    let el = host();
    el.set_inner_html(&turns_html(&turns, &offsets(&turns), &labels));
    let playing = || {
        let found = el.query_selector_all(".playing[aria-current=true]").unwrap();
        (0..found.length())
            .map(|i| found.item(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("data-turn").unwrap())
            .collect::<Vec<_>>()
    };
    let late = CHUNK * 2 + 3;
    app::screens::transcript::highlight(&el, None, Some(late));
    assert_eq!(playing(), vec![late.to_string()]);
    app::screens::transcript::highlight(&el, Some(late), Some(1));
    assert_eq!(playing(), vec!["1".to_string()]);
    app::screens::transcript::highlight(&el, Some(1), None);
    assert!(playing().is_empty());
}
