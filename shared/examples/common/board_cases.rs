//! The cases and the searches of the board filter benchmarks
//! (`board_filter_bench` natively, `board_filter_wasm` in WebAssembly).

use shared::wire::mediation::{BoardRecord, CallStatus, DisputeType, Party, Stage};

/// The app bench's searches (`tests/browser/bench/app-bench.mjs`).
pub const SEARCHES: [&str; 6] = ["刘树杰", "王", "1489", "zhang", "拖欠工资纠纷", "2026012"];

/// What the search box holds after each keystroke of [`SEARCHES`], each
/// search typed one character at a time after clearing the box (a keystroke too).
pub fn keystrokes() -> Vec<String> {
    let mut typed = vec![];
    for q in SEARCHES {
        typed.push(String::new());
        for (at, c) in q.char_indices() {
            typed.push(q[..at + c.len_utf8()].to_owned());
        }
    }
    typed
}

const NAMES: [&str; 8] = ["刘树杰", "王芳", "张敏", "李建国", "陈晓燕", "赵磊", "孙丽", "周强"];
const COMPANIES: [&str; 4] = ["某建筑劳务有限公司", "某餐饮管理有限公司", "某物流有限公司", "某电子厂"];
const STATUSES: [&str; 6] = ["Succeeded", "Executing", "Failed", "Waiting", "Cancelled", "Finished"];

pub fn record(n: usize) -> BoardRecord {
    let name = NAMES[n % NAMES.len()];
    let company = COMPANIES[n % COMPANIES.len()];
    let phone = |k: usize| format!("13{}****{:04}", n % 10, (n * 7 + k * 131) % 10_000);
    BoardRecord {
        case_id: format!("2026012{:07}", n),
        mediation_id: n as i64,
        case_name: format!("{name}诉{company}拖欠工资纠纷({:04})", n / 8),
        dispute_type: DisputeType::WageArrears,
        stage: [Stage::Accepted, Stage::Mediating, Stage::Agreement, Stage::FollowUp][n % 4].clone(),
        amount: Some(format!("{}.00", 1000 + n % 50_000)),
        facts: String::new(),
        parties: vec![
            Party { person_id: format!("p{n}a"), name: name.into(), person_type: 0, phone_number: phone(0) },
            Party { person_id: format!("p{n}b"), name: company.into(), person_type: 1, phone_number: phone(1) },
        ],
        call_person_id: None,
        call_type: None,
        call_status: (n % 7 != 0).then(|| CallStatus::parse(STATUSES[n % STATUSES.len()])),
        job_id: None,
        takeover_user: (n % 11 == 0).then(|| "zhangmin".to_owned()),
        takeover_time: None,
        start_time: format!("2026-11-{:02} 10:00:00", 1 + n % 28),
        duration: format!("{}", n % 300),
        update_time: format!("2026-11-{:02} {:02}:{:02}:00", 1 + n % 28, n % 24, n % 60),
        qa_percent: None,
    }
}
