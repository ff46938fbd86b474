//! The board's filter per keystroke over 10,000 and 100,000 cases, natively:
//! `cargo run --profile native-release -p mediation-shared --example board_filter_bench`.
//! Types the app bench's searches one character at a time (each search after
//! clearing the box) through [`BoardSearch`], as the board does, and prints
//! percentiles of the time per keystroke. The browser's figure is the app
//! bench's (WebAssembly, plus the DOM update); this one is the scan alone.

use std::time::Instant;

use shared::view::board::{BoardFilter, BoardSearch, SearchIndex};
use shared::wire::mediation::{BoardRecord, CallStatus, DisputeType, Party, Stage};

const NAMES: [&str; 8] = ["刘树杰", "王芳", "张敏", "李建国", "陈晓燕", "赵磊", "孙丽", "周强"];
const COMPANIES: [&str; 4] = ["某建筑劳务有限公司", "某餐饮管理有限公司", "某物流有限公司", "某电子厂"];
const STATUSES: [&str; 6] = ["Succeeded", "Executing", "Failed", "Waiting", "Cancelled", "Finished"];

fn record(n: usize) -> BoardRecord {
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

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let searches = ["刘树杰", "王", "1489", "zhang", "拖欠工资纠纷", "2026012"];
    for size in [10_000, 100_000] {
        let records: Vec<BoardRecord> = (0..size).map(record).collect();
        let index = SearchIndex::new();
        index.warm(&records);
        let mut board = BoardSearch::default();
        let mut times = vec![];
        let mut shown = 0;
        for _round in 0..3 {
            for q in searches {
                let mut typed = String::new();
                // Clearing the box is a keystroke too.
                for next in std::iter::once(None).chain(q.chars().map(Some)) {
                    if let Some(c) = next {
                        typed.push(c);
                    }
                    let filter = BoardFilter { query: typed.clone(), ..BoardFilter::default() };
                    let t = Instant::now();
                    let result = board.filter(&filter, &records, &index, "zhangmin");
                    times.push(t.elapsed().as_secs_f64() * 1000.0);
                    shown += std::hint::black_box(result.rows.len());
                }
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "board filter per keystroke, {size} cases, natively: p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms (n={}, {shown} rows shown in all)",
            pct(&times, 0.5),
            pct(&times, 0.95),
            times[times.len() - 1],
            times.len()
        );
    }
}
