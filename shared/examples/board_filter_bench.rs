//! The board's filter per keystroke over 10,000 and 100,000 cases, natively:
//! `cargo run --profile native-release -p mediation-shared --example board_filter_bench`.
//! Types the app bench's searches one character at a time (each search after
//! clearing the box) through [`BoardSearch`], as the board does, and prints
//! percentiles of the time per keystroke. The browser's figure is the app
//! bench's (WebAssembly, plus the DOM update); this one is the scan alone.

use std::time::Instant;

#[path = "common/board_cases.rs"]
mod board_cases;

use board_cases::{keystrokes, record};
use shared::view::board::{BoardFilter, BoardSearch, SearchIndex};
use shared::wire::mediation::BoardRecord;

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    for size in [10_000, 100_000] {
        let records: Vec<BoardRecord> = (0..size).map(record).collect();
        let index = SearchIndex::new();
        index.warm(&records);
        let mut board = BoardSearch::default();
        let mut times = vec![];
        let mut shown = 0;
        for _round in 0..3 {
            for typed in keystrokes() {
                let filter = BoardFilter { query: typed, ..BoardFilter::default() };
                let t = Instant::now();
                let result = board.filter(&filter, &records, &index, "zhangmin");
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                shown += std::hint::black_box(result.rows.len());
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
