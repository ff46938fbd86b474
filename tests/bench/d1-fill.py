#!/usr/bin/env python3
"""Grows a local D1's note results to at least TARGET rows, for the D1 growth
benchmark (scripts/bench.sh, tests/e2e/src/bin/d1_growth_bench.rs).

    d1-fill.py PERSIST_DIR TARGET      prints the rows the table then holds

The rows are copies of what the edge itself stored through its webhook (the
"originals"), under new call and job ids (`<id>.c<k>`), in every table that
holds a row or more per note result: note_results, note_versions, qa_items,
qa_calls, summary_tags and attention_entries. The insight rollups are then
rebuilt for every day with the statements of the migration that introduced
them (edge/migrations/0012_insights_by_dispute.sql), so the rollups agree
with the facts. Stop the Worker before running it: SQLite is written directly.
"""
import glob
import os
import re
import sqlite3
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COPY = ".c"  # a copy's id: the original's + ".c<k>" (originals never hold ".c")

# For each table: the columns that name the call (copied with the suffix).
TABLES = {
    "note_results": ("call_id", "out_id"),
    "note_versions": ("call_id",),
    "qa_items": ("call_id", "job_id"),
    "qa_calls": ("call_id", "job_id"),
    "summary_tags": ("call_id", "job_id"),
    "attention_entries": ("job_id",),
}


def database(persist):
    files = [f for f in glob.glob(f"{persist}/v3/d1/miniflare-D1DatabaseObject/*.sqlite") if not f.endswith("/metadata.sqlite")]
    if len(files) != 1:
        sys.exit(f"d1-fill: expected one D1 database under {persist}, found {files}")
    return files[0]


def copy_statement(db, table, k):
    cols = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
    renamed = TABLES[table]
    suffix = f"'{COPY}{k}'"
    exprs = []
    names = []
    for c in cols:
        if table == "attention_entries" and c == "id":
            continue  # a new id each
        names.append(c)
        if c in renamed:
            exprs.append(f"{c} || {suffix}")
        elif table == "attention_entries" and c == "source":
            # call_id|biz_id|type: the call id is renamed, the rest kept.
            exprs.append(f"substr(source, 1, instr(source, '|') - 1) || {suffix} || substr(source, instr(source, '|'))")
        else:
            exprs.append(c)
    key = "source" if table == "attention_entries" else renamed[0]
    return (f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(exprs)} FROM {table} "
            f"WHERE instr({key}, '{COPY}') = 0")


def rollup_statements():
    text = open(os.path.join(ROOT, "edge/migrations/0012_insights_by_dispute.sql"), encoding="utf-8").read()
    start = text.index("INSERT OR IGNORE INTO qa_dirty_days")
    end = text.index("DELETE FROM qa_dirty_days;") + len("DELETE FROM qa_dirty_days;")
    body = re.sub(r"--[^\n]*", "", text[start:end])
    return ["DELETE FROM qa_daily", "DELETE FROM tag_daily"] + [s.strip() for s in body.split(";") if s.strip()]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    persist, target = sys.argv[1], int(sys.argv[2])
    db = sqlite3.connect(database(persist), isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    count = lambda: db.execute("SELECT COUNT(*) FROM note_results").fetchone()[0]
    originals = db.execute(f"SELECT COUNT(*) FROM note_results WHERE instr(call_id, '{COPY}') = 0").fetchone()[0]
    if originals == 0:
        sys.exit("d1-fill: no note results to copy (store some through the webhook first)")
    k = db.execute(f"SELECT COUNT(DISTINCT substr(call_id, instr(call_id, '{COPY}'))) FROM note_results WHERE instr(call_id, '{COPY}') > 0").fetchone()[0]
    while count() < target:
        k += 1
        db.execute("BEGIN")
        for table in TABLES:
            db.execute(copy_statement(db, table, k))
        db.execute("COMMIT")
    db.execute("BEGIN")
    for statement in rollup_statements():
        db.execute(statement)
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(count())


if __name__ == "__main__":
    main()
