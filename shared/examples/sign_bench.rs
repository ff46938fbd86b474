//! Signing throughput, natively: `cargo run --release -p mediation-shared --example sign_bench`.

use std::time::Instant;

use shared::wire::clink::sign::{BaseUrl, Credentials, Expires, Method, QueryValue, Signer};

fn main() {
    let signer = Signer::new(
        Credentials::new("b1fcdc6c62be261cf97b00b25be6a2af", "TEST_SECRET_NOT_REAL").unwrap(),
        Expires::default(),
        BaseUrl::parse("https://api-bj.clink.cn").unwrap(),
    );
    let query = vec![
        ("kbType".to_owned(), QueryValue::from("0")),
        ("keyword".to_owned(), QueryValue::from("拖欠 工资")),
        ("offset".to_owned(), QueryValue::from("0")),
        ("limit".to_owned(), QueryValue::from("10")),
    ];
    let get = |i: i64| signer.sign(Method::Get, "/kb/list_articles", &query, 1_795_312_800 + i).unwrap();
    let post = |i: i64| signer.sign(Method::Post, "/aikb/search_knowledge_on_open", &[], 1_795_312_800 + i).unwrap();
    for (name, f) in [("GET, 4 parameters", &get as &dyn Fn(i64) -> _), ("POST, common parameters only", &post)] {
        for i in 0..10_000 {
            std::hint::black_box(f(i));
        }
        let n = 500_000;
        let t = Instant::now();
        for i in 0..n {
            std::hint::black_box(f(i));
        }
        let secs = t.elapsed().as_secs_f64();
        println!("signing ({name}): {:.0} signatures/s ({:.2} µs each)", n as f64 / secs, secs * 1e6 / n as f64);
    }
    // The board's session token, verified as the edge does on every request.
    let secret = b"bench-session-secret";
    let claims = shared::wire::session::Claims { sub: "zhangmin".into(), name: Some("张敏".into()), role: shared::wire::session::Role::Mediator, exp: 1_795_316_400, iat: Some(1_795_312_800), ..Default::default() };
    let token = shared::wire::session::mint(&claims, secret);
    let n = 500_000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(shared::wire::session::verify(std::hint::black_box(&token), secret, 1_795_312_900).unwrap());
    }
    let secs = t.elapsed().as_secs_f64();
    println!("JWT verification (HS256, natively): {:.0} tokens/s ({:.2} µs each)", n as f64 / secs, secs * 1e6 / n as f64);
}
