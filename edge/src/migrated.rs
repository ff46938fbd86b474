//! Tests of the edge's SQL over the schema its migrations make: a Python
//! script (the test command already needs Python) runs on SQLite (what D1
//! runs). It starts after [`PRELUDE`]: `json`, `re`, `sqlite3` and `sys`
//! imported, the test's `job` read (every `migrations/*.sql` in order as
//! `job["migrations"]`), and `migrated()` making a database of them.

/// What every script starts with; `migrated(upto)` applies only the first
/// `upto` migrations (to put rows in before a later one runs).
const PRELUDE: &str = r#"
import json, re, sqlite3, sys
job = json.load(sys.stdin)
def migrated(upto=None):
    db = sqlite3.connect(":memory:", isolation_level=None)
    for sql in job["migrations"][:upto]:
        db.executescript(sql)
    return db
"#;

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs [`PRELUDE`] then `script`, with `job` (plus the migrations) as JSON
/// on its stdin, and returns what it printed as JSON.
pub fn run(script: &str, mut job: serde_json::Value) -> serde_json::Value {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("migrations").map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "sql")).collect();
    files.sort();
    job["migrations"] = files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let mut child = Command::new("python3").args(["-c", &format!("{PRELUDE}{script}")]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().expect("python3 runs");
    child.stdin.take().unwrap().write_all(job.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "the script failed");
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}
