//! Components mounted in a real browser (headless Chromium via wasm-bindgen-test).

#![cfg(target_arch = "wasm32")]

use app::board::BoardTable;
use leptos::prelude::*;
use shared::mediation::{BoardRecord, CallStatus, DisputeType, Party, Stage};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn case(id: &str, name: &str, person: &str) -> BoardRecord {
    BoardRecord {
        case_id: id.into(),
        mediation_id: 1,
        case_name: name.into(),
        dispute_type: DisputeType::WageArrears,
        stage: Stage::FollowUp,
        amount: Some("3742.00".into()),
        facts: "拖欠工资".into(),
        parties: vec![Party { person_id: "p1".into(), name: person.into(), person_type: 0, phone_number: "139****1489".into() }],
        call_person_id: Some("p1".into()),
        call_type: None,
        call_status: Some(CallStatus::Executing),
        job_id: None,
        takeover_user: None,
        takeover_time: None,
        start_time: "2026-11-22 10:00:00".into(),
        duration: "42".into(),
        update_time: "2026-11-22 10:00:42".into(),
    }
}

#[wasm_bindgen_test]
async fn board_table_renders_one_row_per_case() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let cases = vec![case("202601301030001111", "刘树杰与胡龙光劳动报酬纠纷", "刘树杰"), case("202601301030002222", "邻里噪音纠纷", "王芳")];
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), move || view! { <BoardTable cases=cases.clone()/> });
    leptos::task::tick().await;
    let rows = host.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 2);
    let text = host.text_content().unwrap();
    assert!(text.contains("刘树杰与胡龙光劳动报酬纠纷"), "{text}");
    assert!(text.contains("王芳"));
}

#[wasm_bindgen_test]
async fn empty_board_says_so() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let _handle = leptos::mount::mount_to(host.clone().unchecked_into(), || view! { <BoardTable cases=vec![]/> });
    leptos::task::tick().await;
    assert!(host.text_content().unwrap().contains("暂无案件"));
}
