//! The board's reads of what grows without bound (the note agent's results
//! and their versions, the attention queue, the audit log a mediator's queue
//! consults) find their rows through an index, so they stay flat at a
//! million rows: each query's plan, as SQLite
//! (what D1 runs) makes it over the migrated schema, searches those tables
//! and never scans them. The plans come from Python's `sqlite3` over the
//! migrated schema ([`crate::migrated`]).

const PLANNER: &str = r#"
db = migrated()
db.execute("ANALYZE")
out = []
for sql in job["queries"]:
    n = max([int(m) for m in re.findall(r"\?(\d+)", sql)] or [0])
    out.append([row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, [None] * n)])
partial = [name for (name, sql) in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")]
json.dump({"plans": out, "partial": partial}, sys.stdout)
"#;

/// Each query's plan: one line per step ("SEARCH note_results USING INDEX …"),
/// with the partial indexes' scans left out: a partial index holds only the
/// rows its `WHERE` keeps (the open attention entries), so reading it in
/// order is reading those, not the table.
fn plans(queries: &[String]) -> Vec<Vec<String>> {
    #[derive(serde::Deserialize)]
    struct Answer {
        plans: Vec<Vec<String>>,
        partial: Vec<String>,
    }
    let answer: Answer = serde_json::from_value(crate::migrated::run(PLANNER, serde_json::json!({ "queries": queries }))).expect("plans as JSON");
    let of_partial = |step: &String| answer.partial.iter().any(|p| step.ends_with(&format!(" INDEX {p}")) || step.contains(&format!(" INDEX {p} ")));
    answer.plans.into_iter().map(|plan| plan.into_iter().filter(|step| !(step.starts_with("SCAN ") && of_partial(step))).collect()).collect()
}

/// The tables that grow without bound.
const GROWING: [&str; 4] = ["note_results", "note_versions", "attention_entries", "audit_log"];

/// The names a plan gives the growing tables `sql` reads: each table's own,
/// and the alias it has after `FROM`/`JOIN` (SQLite's plan names the alias).
fn growing_names(sql: &str) -> Vec<String> {
    let words: Vec<&str> = sql.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').filter(|w| !w.is_empty()).collect();
    let mut names: Vec<String> = GROWING.iter().map(|t| t.to_string()).collect();
    for (i, w) in words.iter().enumerate() {
        if GROWING.contains(w) && i > 0 && ["FROM", "JOIN"].contains(&words[i - 1].to_uppercase().as_str()) {
            let next = words.get(i + 1).copied().unwrap_or_default();
            let alias = if next.eq_ignore_ascii_case("AS") { words.get(i + 2).copied().unwrap_or_default() } else { next };
            let keyword = ["WHERE", "LEFT", "JOIN", "ON", "ORDER", "GROUP", "LIMIT", "INNER", "UNION"].contains(&alias.to_uppercase().as_str());
            if !alias.is_empty() && !keyword {
                names.push(alias.to_owned());
            }
        }
    }
    names
}

/// The plan's steps that read all of a growing table (a `SCAN` of it, with
/// or without an index: both read every row).
fn scans<'a>(sql: &str, plan: &'a [String]) -> Vec<&'a str> {
    let names = growing_names(sql);
    plan.iter()
        .map(String::as_str)
        .filter(|step| step.strip_prefix("SCAN ").is_some_and(|rest| names.iter().any(|n| rest == n || rest.starts_with(&format!("{n} ")))))
        .collect()
}

#[test]
fn the_reads_of_note_results_search_an_index() {
    let queries = vec![crate::store::notes_for_jobs_sql(3), crate::store::orphan_notes_sql(), crate::store::NOTE_HISTORY_SQL.to_owned()];
    let plans = plans(&queries);
    for (sql, plan) in queries.iter().zip(&plans) {
        assert!(scans(sql, plan).is_empty(), "{sql}\n  plan: {plan:#?}");
        assert!(plan.iter().any(|s| s.starts_with("SEARCH ")), "{sql}\n  plan: {plan:#?}");
    }
    assert!(plans[0].iter().any(|s| s.contains("note_results USING INDEX note_results_out_id")), "{:#?}", plans[0]);
    // Notes without a usable out_id: only those are read (by the out_id index), then by time.
    assert!(plans[1].iter().all(|s| !s.starts_with("SEARCH note_results") || s.contains("USING INDEX note_results_out_id (out_id=?)")), "{:#?}", plans[1]);
    assert!(plans[2].iter().any(|s| s.starts_with("SEARCH v USING INDEX sqlite_autoindex_note_versions_1 (call_id=? AND biz_id=? AND type=?)")), "{:#?}", plans[2]);
}

#[test]
fn the_open_attention_queue_and_its_count_search_an_index() {
    for scoped in [false, true] {
        let (list, count) = crate::attention::queue_sql(scoped, "open").unwrap();
        let queries = vec![list, count];
        for (sql, plan) in queries.iter().zip(plans(&queries)) {
            assert!(scans(sql, &plan).is_empty(), "scoped {scoped}: {sql}\n  plan: {plan:#?}");
        }
    }
    // A mediator's entries are found from their cases: the entries without a
    // case of their own through their calls, not by reading every such entry.
    let (list, count) = crate::attention::queue_sql(true, "open").unwrap();
    for plan in plans(&[list, count]) {
        // The entries read are those ids (not the open entries, one by one).
        assert_eq!(plan.first().map(String::as_str), Some("SEARCH e USING INTEGER PRIMARY KEY (rowid=?)"), "{plan:#?}");
        // Only their cases' open entries are read (migration 0018), not every
        // entry their cases were ever flagged for.
        assert!(plan.iter().any(|s| s == "SEARCH e USING INDEX attention_open_by_case (case_id=?)"), "{plan:#?}");
        assert!(plan.iter().any(|s| s == "SEARCH e USING INDEX attention_open_by_job (job_id=?)"), "{plan:#?}");
        // Their takeovers, and each such case's latest, without reading every takeover.
        assert!(plan.iter().any(|s| s == "SEARCH t USING INDEX audit_log_takeovers_by_user (user_name=?)"), "{plan:#?}");
        assert!(plan.iter().any(|s| s == "SEARCH u USING INDEX audit_log_takeovers_by_case (case_id=?)"), "{plan:#?}");
        assert!(plan.iter().all(|s| !s.contains("BLOOM FILTER")), "{plan:#?}");
    }
    // Everyone's count is one kept row, not a count of the open entries.
    let (_, everyone) = crate::attention::queue_sql(false, "open").unwrap();
    assert_eq!(plans(&[everyone]), [["SEARCH attention_open_count USING INTEGER PRIMARY KEY (rowid=?)"]]);
}

#[test]
fn a_read_that_scans_a_growing_table_is_caught() {
    let queries = vec!["SELECT call_id FROM note_results WHERE success = 1".to_owned(), "SELECT e.id FROM attention_entries e ORDER BY e.evidence".to_owned()];
    let found = plans(&queries);
    assert_eq!(scans(&queries[0], &found[0]), ["SCAN note_results"], "{found:#?}");
    assert_eq!(scans(&queries[1], &found[1]), ["SCAN e"], "{found:#?}");
    let open = plans(&["SELECT COUNT(*) FROM attention_entries e WHERE e.acked_at IS NULL".to_owned()]);
    assert_eq!(open, [Vec::<String>::new()], "the open entries' partial index is read, not the table");
    assert_eq!(growing_names("SELECT 1 FROM attention_entries e LEFT JOIN search_calls sc ON sc.job_id = e.job_id"), ["note_results", "note_versions", "attention_entries", "audit_log", "e"]);
}
