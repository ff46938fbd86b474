//! What stored note records bring with them, written after the records
//! themselves and before the webhook answers: the attention entries their
//! outcomes call for (`attention`), their insight facts and rollups
//! (`insights`, `rollups`), and the read of the QA totals their live events
//! carry — in one D1 batch. Local D1 (and a D1 database's primary) runs one
//! writer at a time, so each round trip is a turn waited for: a push makes
//! two (the records with the rules read, then this), where it made five.
//!
//! A failure is logged, never answered with an error: the records are
//! stored, and the next change of each rewrites its facts. When the one
//! batch fails, the entries and the facts are tried again each on their own,
//! so that a fault in one does not cost the other.

use shared::wire::api::StoredRecord;
use shared::wire::attention::Rule;
use shared::wire::note::{NoteOutcome, PushRecord};
use worker::{D1Database, D1PreparedStatement};

use crate::auth::now_ms;
use crate::live::NewEvent;

/// The events to announce, and how long writing took (milliseconds).
pub struct Derived {
    pub events: Vec<NewEvent>,
    /// Reading the attention rules when not given, and the batch of entries, facts and totals.
    pub batch_ms: i64,
}

struct Statements {
    judge: Vec<D1PreparedStatement>,
    /// The call each of `judge` is about.
    jobs: Vec<Option<String>>,
    facts: Vec<D1PreparedStatement>,
    totals: Option<D1PreparedStatement>,
}

fn statements(db: &D1Database, rules: &[Rule], judged: &[(&PushRecord, &NoteOutcome)], per_job: &[(Option<String>, Vec<StoredRecord>)]) -> Statements {
    let (judge, jobs) = crate::attention::judge_statements(db, rules, judged);
    let keys: Vec<(&str, &str)> = judged.iter().map(|(r, _)| (r.call_id.as_str(), r.biz_id.as_str())).collect();
    let facts = crate::insights::refresh_statements(db, &keys).unwrap_or_else(|e| {
        worker::console_error!("insights: could not prepare the facts of {} records: {e}", keys.len());
        vec![]
    });
    let totals = crate::insights::totals_statement(db, per_job).unwrap_or_else(|e| {
        worker::console_warn!("insights: could not prepare the read of the QA totals: {e}");
        None
    });
    Statements { judge, jobs, facts, totals }
}

/// Writes what `judged` (the records whose shown version changed) bring with
/// them under the attention `rules` (read here when not given); `per_job`
/// are their calls' `note_stored` events to be.
pub async fn write(db: &D1Database, rules: Option<worker::Result<Vec<Rule>>>, judged: &[(&PushRecord, &NoteOutcome)], per_job: Vec<(Option<String>, Vec<StoredRecord>)>) -> Derived {
    let t0 = now_ms();
    let rules = match rules {
        _ if judged.is_empty() => Ok(vec![]),
        Some(given) => given,
        None => crate::attention::rules(db).await,
    };
    let rules = rules.unwrap_or_else(|e| {
        worker::console_error!("attention: could not read the rules: {e}");
        vec![]
    });
    let Statements { judge, jobs, facts, totals } = statements(db, &rules, judged, &per_job);
    let (n_judge, n_facts, has_totals) = (judge.len(), facts.len(), totals.is_some());
    let all: Vec<D1PreparedStatement> = judge.into_iter().chain(facts).chain(totals).collect();
    let mut events = vec![];
    if all.is_empty() {
        events.extend(crate::insights::stored_events(per_job, None));
    } else {
        match db.batch(all).await {
            Ok(results) => {
                let totals = has_totals.then(|| results.get(n_judge + n_facts)).flatten();
                let judged_events = crate::attention::judged_events(jobs, &results[..n_judge.min(results.len())]);
                events.extend(crate::insights::stored_events(per_job, totals));
                events.extend(judged_events);
            }
            Err(e) => {
                worker::console_error!("derived: the batch for {} records failed ({e}); trying the entries and the facts apart", judged.len());
                let again = statements(db, &rules, judged, &per_job);
                if !again.judge.is_empty() {
                    match db.batch(again.judge).await {
                        Ok(results) => events.extend(crate::attention::judged_events(again.jobs, &results)),
                        Err(e) => worker::console_error!("attention: could not write the entries of {} records: {e}", judged.len()),
                    }
                }
                if !again.facts.is_empty() {
                    if let Err(e) = db.batch(again.facts).await {
                        worker::console_error!("insights: could not rewrite the facts of {} records: {e}", judged.len());
                    }
                }
                events.splice(0..0, crate::insights::stored_events(per_job, None));
            }
        }
    }
    Derived { events, batch_ms: now_ms() - t0 }
}
