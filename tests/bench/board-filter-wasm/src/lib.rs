//! The board's filter per keystroke in WebAssembly, without the browser: the
//! same cases and keystrokes as shared's `board_filter_bench` example, with
//! `mediation-shared` built as the app builds it (`scripts/bench.sh` builds
//! this for wasm32 and `tests/bench/board-filter-wasm.mjs` times each call
//! from Node). Between the native figure and the app bench's (which adds the
//! DOM update): what the scan costs as wasm. Its own crate because shared's
//! examples bring its dev-dependencies, which do not build for wasm32.

#[path = "../../../../shared/examples/common/board_cases.rs"]
mod board_cases;

use std::cell::RefCell;

use shared::view::board::{BoardFilter, BoardSearch, SearchIndex};
use shared::wire::mediation::BoardRecord;

struct Bench {
    records: Vec<BoardRecord>,
    index: SearchIndex,
    board: BoardSearch,
    keystrokes: Vec<String>,
}

thread_local! {
    static BENCH: RefCell<Option<Bench>> = const { RefCell::new(None) };
}

/// Makes `size` cases and their index (warmed, as the board does after its
/// first paint); returns how many keystrokes [`keystroke`] takes.
#[no_mangle]
pub extern "C" fn setup(size: u32) -> u32 {
    let records: Vec<BoardRecord> = (0..size as usize).map(board_cases::record).collect();
    let index = SearchIndex::new();
    index.warm(&records);
    let keystrokes = board_cases::keystrokes();
    let count = keystrokes.len() as u32;
    BENCH.with(|b| *b.borrow_mut() = Some(Bench { records, index, board: BoardSearch::default(), keystrokes }));
    count
}

/// The board's filter after keystroke `i`; returns the rows shown.
#[no_mangle]
pub extern "C" fn keystroke(i: u32) -> u32 {
    BENCH.with(|b| {
        let mut b = b.borrow_mut();
        let Some(Bench { records, index, board, keystrokes }) = b.as_mut() else { return 0 };
        let filter = BoardFilter { query: keystrokes[i as usize % keystrokes.len()].clone(), ..BoardFilter::default() };
        board.filter(&filter, records, index, "zhangmin").rows.len() as u32
    })
}

/// The search box after keystroke `i`: where its UTF-8 lies in this
/// module's memory (high 32 bits) and its length (low 32 bits).
#[no_mangle]
pub extern "C" fn keystroke_text(i: u32) -> u64 {
    BENCH.with(|b| {
        let b = b.borrow();
        let Some(bench) = b.as_ref() else { return 0 };
        let text = bench.keystrokes[i as usize % bench.keystrokes.len()].as_bytes();
        (text.as_ptr() as u64) << 32 | text.len() as u64
    })
}
