//! The edge's streamed board natively (`cargo run --profile native-release
//! -p mediation-shared --example board_stream_bench`): 100,000 cases as the
//! backend's envelope, fed in 64 KB chunks, read, masked and written as they
//! come, beside reading the same answer whole. Prints figures.

#[path = "common/board_cases.rs"]
#[allow(dead_code)] // the keystrokes are the filter bench's
mod board_cases;

use std::time::Instant;

use shared::wire::api::mask_board;
use shared::wire::board_stream::{Elements, StreamedBoard};
use shared::wire::mediation::answer::{read, Shape};
use shared::wire::mediation::BoardRecord;
use shared::wire::session::Role;

fn main() {
    let cases: Vec<BoardRecord> = (0..100_000).map(board_cases::record).collect();
    let body = format!("{{\"code\":200,\"message\":\"查询成功\",\"data\":{}}}", serde_json::to_string(&cases).unwrap());
    println!("board stream: 100,000 cases, {} bytes from the backend", body.len());
    for round in 1..=3 {
        let t = Instant::now();
        let mut elements = Elements::default();
        let mut n = 0;
        for chunk in body.as_bytes().chunks(64 << 10) {
            elements.feed(chunk, &mut |_| {
                n += 1;
                Ok(())
            })
            .unwrap();
        }
        let split = t.elapsed();
        let t = Instant::now();
        let mut board = StreamedBoard::new(200, Role::Mediator);
        let mut written = 0;
        for chunk in body.as_bytes().chunks(64 << 10) {
            written += board.push(chunk).unwrap().len();
        }
        written += board.finish(0, &[]).unwrap().len();
        let streamed = t.elapsed();
        let t = Instant::now();
        let mut whole = read::<Vec<BoardRecord>>(200, &body, Shape::Envelope).unwrap().data;
        mask_board(&mut whole, &Role::Mediator);
        let whole_len = serde_json::to_string(&whole).unwrap().len();
        let read_whole = t.elapsed();
        println!(
            "  round {round}: split alone {:.0} ms ({n} cases); streamed (split, read, mask, write) {:.0} ms, {written} bytes; read whole {:.0} ms, {whole_len} bytes of cases",
            split.as_secs_f64() * 1e3,
            streamed.as_secs_f64() * 1e3,
            read_whole.as_secs_f64() * 1e3
        );
    }
}
