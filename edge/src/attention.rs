//! The attention queue (`shared::wire::attention`): entries are written when
//! a note record meets a rule (the webhook, before it answers), the backend
//! refuses a call at the daily limit, or the hub sees a party's calls end
//! not connected several times in a row; read by role (a mediator sees the cases
//! assigned to them or last taken over by them; supervisors and admins see
//! all); acknowledged with a note, or their case assigned to a mediator. The
//! rules are D1 rows an admin edits. Every change is audited and told to open
//! boards (`attention_changed`).

use serde::Deserialize;
use shared::wire::access::Op;
use shared::wire::api::{EventData, EventKind};
use shared::wire::attention::{self, Acknowledge, Assign, AttentionEntry, AttentionList, Condition, Finding, Rule, Rules, Severity};
use shared::wire::mediation::{CallStatus, StatusCategory};
use shared::wire::note::{NoteOutcome, PushRecord};
use shared::wire::session::{Claims, Role};
use shared::FieldError;
use worker::{Context, D1Database, D1PreparedStatement, Request, RouteContext};

use crate::auth::{self, now_ms};
use crate::http::{self, Failure, Reply};
use crate::live::{self, NewEvent};
use crate::store::{self, n, opt, s};

#[derive(Deserialize)]
struct RuleRow {
    id: String,
    name: String,
    severity: String,
    enabled: f64,
    condition: String,
}

const RULES_SQL: &str = "SELECT id, name, severity, enabled, condition FROM attention_rules ORDER BY position, id";

/// The rules in their order; a row whose condition cannot be read is skipped (and logged).
pub async fn rules(db: &D1Database) -> worker::Result<Vec<Rule>> {
    rules_from(&db.prepare(RULES_SQL).all().await?)
}

/// The read of the rules, for a batch that has other work (the webhook's records).
pub fn rules_statement(db: &D1Database) -> D1PreparedStatement {
    db.prepare(RULES_SQL)
}

/// The rules in the answer to [`rules_statement`].
pub fn rules_from(answer: &worker::D1Result) -> worker::Result<Vec<Rule>> {
    let rows: Vec<RuleRow> = answer.results()?;
    Ok(rows
        .into_iter()
        .filter_map(|r| match serde_json::from_str::<Condition>(&r.condition) {
            Ok(condition) => Some(Rule { id: r.id, name: r.name, severity: Severity::parse(&r.severity), enabled: r.enabled != 0.0, condition }),
            Err(e) => {
                worker::console_warn!("attention: rule {} has an unreadable condition: {e}", r.id);
                None
            }
        })
        .collect())
}

/// An entry about `?1` for the rule `?2`; one already written is left alone.
const ADD_ENTRY: &str = "INSERT INTO attention_entries (source, rule_id, rule_name, severity, severity_rank, job_id, case_id, evidence, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, COALESCE(?7, (SELECT case_id FROM search_calls WHERE job_id = ?6)), ?8, ?9)
     ON CONFLICT (source, rule_id) DO NOTHING
     RETURNING 1 AS wrote";

/// `?4` acknowledged by `?1` at `?2` with the note `?3`, unless it already was.
const ACK_ENTRY: &str = "UPDATE attention_entries SET acked_by = ?1, acked_at = ?2, ack_note = ?3 WHERE id = ?4 AND acked_at IS NULL RETURNING 1 AS wrote";

/// The statements writing the entries of `findings` about `source`; one
/// already written (the same source and rule) is left alone.
fn entry_statements(db: &D1Database, source: &str, job_id: Option<&str>, case_id: Option<&str>, findings: &[Finding]) -> worker::Result<Vec<D1PreparedStatement>> {
    let at = now_ms();
    findings
        .iter()
        .map(|f| {
            let evidence = serde_json::to_string(&f.evidence).expect("serialises");
            db.prepare(ADD_ENTRY)
            .bind(&[s(source), s(&f.rule_id), s(&f.rule_name), s(f.severity.as_str()), n(f.severity.rank()), opt(job_id), opt(case_id), s(&evidence), n(at)])
        })
        .collect()
}

/// Whether a statement of a batch wrote a row (an unreadable answer: no).
fn wrote(r: &worker::D1Result) -> bool {
    store::wrote(r).unwrap_or(false)
}

/// The entries the note records a push changed call for under `rules`, as
/// statements, and the call each statement is about (to tell from the
/// batch's answers which calls got a new entry, [`judged_events`]). A record
/// whose entries cannot be prepared is logged and left out.
pub fn judge_statements(db: &D1Database, rules: &[Rule], records: &[(&PushRecord, &NoteOutcome)]) -> (Vec<D1PreparedStatement>, Vec<Option<String>>) {
    let mut statements = vec![];
    let mut jobs: Vec<Option<String>> = vec![];
    for (record, outcome) in records {
        let findings = attention::evaluate(rules, outcome);
        let (call, biz, kind) = record.key();
        match entry_statements(db, &format!("{call}|{biz}|{kind}"), record.out_id.as_deref(), None, &findings) {
            Ok(st) => {
                jobs.extend(std::iter::repeat_n(record.out_id.clone(), st.len()));
                statements.extend(st);
            }
            Err(e) => worker::console_error!("attention: could not prepare the entries of {call}|{biz}|{kind}: {e}"),
        }
    }
    (statements, jobs)
}

/// One event per call with a new entry, from the answers to
/// [`judge_statements`] (`jobs` and `results` in the same order).
pub fn judged_events(jobs: Vec<Option<String>>, results: &[worker::D1Result]) -> Vec<NewEvent> {
    let mut events: Vec<NewEvent> = vec![];
    for (job_id, _) in jobs.into_iter().zip(results).filter(|(_, r)| wrote(r)) {
        if !events.iter().any(|e| e.job_id == job_id) {
            events.push(NewEvent { kind: EventKind::AttentionChanged, case_id: None, job_id, data: EventData::default() });
        }
    }
    events
}

/// After the backend refused a call because the party reached the daily
/// limit: one entry per party and day.
pub async fn call_limit_reached(ctx: &RouteContext<Context>, case_id: &str, person_id: &str) {
    let Ok(db) = store::db(&ctx.env) else { return };
    let found = match rules(&db).await {
        Ok(r) => attention::call_limit_findings(&r),
        Err(e) => return worker::console_error!("attention: could not read the rules: {e}"),
    };
    let mut day = shared::time::format_shanghai(now_ms());
    day.truncate(10);
    let source = format!("call-limit|{case_id}|{person_id}|{day}");
    let written = match entry_statements(&db, &source, None, Some(case_id), &found) {
        Ok(st) if st.is_empty() => return,
        Ok(st) => db.batch(st).await.map(|r| r.iter().any(wrote)),
        Err(e) => Err(e),
    };
    match written {
        Ok(false) => {}
        Ok(true) => live::announce(ctx, EventKind::AttentionChanged, Some(case_id), None, EventData::default()),
        Err(e) => worker::console_error!("attention: could not write {source}: {e}"),
    }
}

/// A call the hub saw end on the board.
pub struct CallEnded {
    pub case_id: String,
    pub person_id: String,
    pub job_id: String,
    pub status: CallStatus,
    /// The call's start as the board gave it (`yyyy-MM-dd HH:mm:ss`).
    pub started: String,
}

#[derive(Deserialize)]
struct OutcomeRow {
    job_id: String,
    status: String,
}

/// Keeps how the calls ended, then judges each party's latest run of
/// not-connected calls: one entry per run and rule (named after the run's
/// first call, so a longer run adds nothing), linked to the latest call.
/// Returns one event per case with a new entry; failures are logged.
pub async fn calls_ended(db: &D1Database, ended: &[CallEnded]) -> Vec<NewEvent> {
    if ended.is_empty() {
        return vec![];
    }
    let at = now_ms();
    let keep: worker::Result<Vec<D1PreparedStatement>> = ended
        .iter()
        .map(|c| {
            db.prepare(
                "INSERT INTO call_outcomes (job_id, case_id, person_id, status, started, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (job_id) DO UPDATE SET status = excluded.status",
            )
            .bind(&[s(&c.job_id), s(&c.case_id), s(&c.person_id), s(c.status.as_str()), s(&c.started), n(at)])
        })
        .collect();
    if let Err(e) = async { db.batch(keep?).await }.await {
        worker::console_error!("attention: could not keep the outcomes of {} calls: {e}", ended.len());
        return vec![];
    }
    let rules = match rules(db).await {
        Ok(r) => r,
        Err(e) => {
            worker::console_error!("attention: could not read the rules: {e}");
            return vec![];
        }
    };
    if !rules.iter().any(|r| r.enabled && r.condition.kind == attention::ConditionKind::NotConnectedInRow) {
        return vec![];
    }
    let mut parties: Vec<(&str, &str)> = ended.iter().map(|c| (c.case_id.as_str(), c.person_id.as_str())).collect();
    parties.sort_unstable();
    parties.dedup();
    let reads: worker::Result<Vec<D1PreparedStatement>> = parties
        .iter()
        .map(|(case, person)| {
            db.prepare("SELECT job_id, status FROM call_outcomes WHERE case_id = ?1 AND person_id = ?2 ORDER BY seen_at DESC LIMIT ?3")
                .bind(&[s(case), s(person), n(attention::MAX_RUN + 1)])
        })
        .collect();
    let histories = match async { db.batch(reads?).await }.await {
        Ok(r) => r,
        Err(e) => {
            worker::console_error!("attention: could not read the latest calls of {} parties: {e}", parties.len());
            return vec![];
        }
    };
    let mut writes = vec![];
    let mut cases = vec![];
    for ((case, person), history) in parties.iter().zip(histories) {
        let rows: Vec<OutcomeRow> = history.results().unwrap_or_default();
        let categories: Vec<_> = rows.iter().map(|r| CallStatus::parse(&r.status).category()).collect();
        let run = attention::not_connected_run(&categories);
        let found = attention::not_connected_findings(&rules, run);
        if found.is_empty() {
            continue;
        }
        // The run's calls, newest first: its last is the one it started with.
        let in_run: Vec<&OutcomeRow> = rows.iter().filter(|r| CallStatus::parse(&r.status).category() == StatusCategory::NotConnected).take(run as usize).collect();
        let (Some(latest), Some(first)) = (in_run.first(), in_run.last()) else { continue };
        match entry_statements(db, &format!("not-connected|{case}|{person}|{}", first.job_id), Some(&latest.job_id), Some(case), &found) {
            Ok(st) => {
                cases.extend(std::iter::repeat_n(case.to_string(), st.len()));
                writes.extend(st);
            }
            Err(e) => worker::console_error!("attention: could not prepare the run of {case}/{person}: {e}"),
        }
    }
    if writes.is_empty() {
        return vec![];
    }
    match db.batch(writes).await {
        Ok(results) => {
            let mut events: Vec<NewEvent> = vec![];
            for (case, _) in cases.into_iter().zip(&results).filter(|(_, r)| wrote(r)) {
                if !events.iter().any(|e| e.case_id.as_deref() == Some(case.as_str())) {
                    events.push(NewEvent { kind: EventKind::AttentionChanged, case_id: Some(case), job_id: None, data: EventData::default() });
                }
            }
            events
        }
        Err(e) => {
            worker::console_error!("attention: could not write the runs of {} parties: {e}", parties.len());
            vec![]
        }
    }
}

#[derive(Deserialize)]
struct EntryRow {
    id: f64,
    case_id: Option<String>,
    job_id: Option<String>,
    rule_id: String,
    rule_name: String,
    severity: String,
    evidence: String,
    created_at: f64,
    assignee: Option<String>,
    assigned_by: Option<String>,
    acked_by: Option<String>,
    acked_at: Option<f64>,
    ack_note: Option<String>,
}

impl From<EntryRow> for AttentionEntry {
    fn from(r: EntryRow) -> Self {
        AttentionEntry {
            id: r.id as i64,
            case_id: r.case_id,
            job_id: r.job_id,
            rule_id: r.rule_id,
            rule_name: r.rule_name,
            severity: Severity::parse(&r.severity),
            evidence: serde_json::from_str(&r.evidence).unwrap_or_default(),
            created_at: r.created_at as i64,
            assignee: r.assignee,
            assigned_by: r.assigned_by,
            acked_by: r.acked_by,
            acked_at: r.acked_at.map(|v| v as i64),
            ack_note: r.ack_note,
        }
    }
}

/// The entries' columns, their case (as written, else as the call's case
/// became known) and the case's assignment.
const ENTRIES: &str = "SELECT e.id, COALESCE(e.case_id, sc.case_id) AS case_id, e.job_id, e.rule_id, e.rule_name, e.severity, e.evidence,
        e.created_at, a.assignee, a.assigned_by, e.acked_by, e.acked_at, e.ack_note
   FROM attention_entries e
   LEFT JOIN search_calls sc ON sc.job_id = e.job_id
   LEFT JOIN case_assignments a ON a.case_id = COALESCE(e.case_id, sc.case_id)";

/// `mine_ids`: the entries of the mediator `?1`'s cases, those assigned to
/// them and those they were the last to take over through the board. Found
/// from the cases (a handful per mediator), not by testing every open entry:
/// that grew with the whole queue (0.7–5.7 s at 400,000 open entries). An
/// entry's case is its own, else its call's (`search_calls`); the unary plus
/// keeps SQLite from reading every entry without a case through the case index.
/// [`MINE_OPEN`] is the same for their open entries only, read through the
/// indexes of open entries (migration 0018), so the open queue and its count
/// do not grow with what their cases were ever flagged for.
macro_rules! mine {
    ($only:literal) => {
        concat!(
            "WITH mine(case_id) AS (
    SELECT case_id FROM case_assignments WHERE assignee = ?1
    UNION
    SELECT t.case_id FROM audit_log t
     WHERE t.user_name = ?1 AND t.action = 'takeover' AND t.case_id IS NOT NULL
       AND t.id = (SELECT u.id FROM audit_log u WHERE u.action = 'takeover' AND u.case_id = t.case_id AND u.status BETWEEN 200 AND 299
                    ORDER BY u.id DESC LIMIT 1)
), mine_ids(id) AS (
    SELECT e.id FROM attention_entries e WHERE e.case_id IN (SELECT case_id FROM mine)",
            $only,
            "
    UNION ALL
    SELECT e.id FROM attention_entries e
     WHERE e.job_id IN (SELECT s.job_id FROM search_calls s WHERE s.case_id IN (SELECT case_id FROM mine)) AND +e.case_id IS NULL",
            $only,
            "
)
"
        )
    };
}
const MINE: &str = mine!("");
const MINE_OPEN: &str = mine!(" AND e.acked_at IS NULL");

/// What a query of the entries `e` starts with and the condition it adds,
/// for a caller who sees only their own (`scoped`) or everyone's.
fn scope(scoped: bool, open: bool) -> (&'static str, &'static str) {
    if scoped {
        (if open { MINE_OPEN } else { MINE }, "e.id IN (SELECT id FROM mine_ids)")
    } else {
        ("", "?1 = ?1")
    }
}

/// Only mediators have a queue of their own; supervisors and admins see everyone's.
fn scoped(claims: &Claims) -> bool {
    claims.role == Role::Mediator
}

#[derive(Deserialize)]
struct Count {
    open: f64,
}

/// The queue's read and its open count for `state` (open, acked or all),
/// `scoped` to the mediator `?1`; `?2` a case, `?3` a call. None for another state.
pub(crate) fn queue_sql(scoped: bool, state: &str) -> Option<(String, String)> {
    let state_sql = match state {
        "open" => "e.acked_at IS NULL",
        "acked" => "e.acked_at IS NOT NULL",
        "all" => "1 = 1",
        _ => return None,
    };
    let (with, mine) = scope(scoped, state == "open");
    let order = if state == "open" { "e.severity_rank, e.created_at DESC, e.id DESC" } else { "e.created_at DESC, e.id DESC" };
    let sql = format!(
        "{with}{ENTRIES} WHERE {state_sql} AND {mine} AND (?2 IS NULL OR COALESCE(e.case_id, sc.case_id) = ?2) AND (?3 IS NULL OR e.job_id = ?3)
          ORDER BY {order} LIMIT 200"
    );
    // Everyone's count is kept as entries change (migration 0016), so it
    // stays flat however many are open; a mediator's counts their cases' entries.
    let count_sql = if scoped {
        let (with, mine) = scope(true, true);
        format!("{with}SELECT COUNT(*) AS open FROM attention_entries e WHERE e.acked_at IS NULL AND {mine}")
    } else {
        "SELECT open FROM attention_open_count WHERE id = 1 AND ?1 = ?1".to_owned()
    };
    Some((sql, count_sql))
}

/// `GET /api/attention?state=open|acked|all` (default open) `&caseId=&jobId=`,
/// at most 200, most urgent first; `open` counts all the caller's open entries.
pub async fn list(req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::Attention)?;
    let query = http::query(&req)?;
    let state = query.get("state").unwrap_or("open");
    let Some((sql, count_sql)) = queue_sql(scoped(&claims), state) else {
        return Err(Failure::field(&FieldError::new("state", "must be open, acked or all")));
    };
    let param = |name: &str| query.get(name).map(str::to_owned);
    let (case_id, job_id) = (param("caseId"), param("jobId"));
    for (name, v) in [("caseId", &case_id), ("jobId", &job_id)] {
        if let Some(v) = v {
            shared::wire::mediation::require_id(name, v).map_err(|e| Failure::field(&e))?;
        }
    }
    let db = store::db(&ctx.env)?;
    let me = s(&claims.sub);
    let t0 = now_ms();

    // One round trip for both.
    let answers = db.batch(vec![db.prepare(&sql).bind(&[me.clone(), opt(case_id.as_deref()), opt(job_id.as_deref())])?, db.prepare(&count_sql).bind(&[me])?]).await?;
    let rows: Vec<EntryRow> = answers.first().map(|r| r.results()).transpose()?.unwrap_or_default();
    let open: Option<Count> = answers.get(1).map(|r| r.results::<Count>()).transpose()?.and_then(|c| c.into_iter().next());
    let d1_ms = now_ms() - t0;
    let r = http::ok(&AttentionList { entries: rows.into_iter().map(AttentionEntry::from).collect(), open: open.map(|c| c.open as i64).unwrap_or(0) })?;
    r.headers().set("Server-Timing", &format!("d1;dur={d1_ms}"))?;
    Ok(r)
}

/// The entry `?2`, if the caller `?1` may see it (a mediator: its case is one of theirs).
fn entry_sql(scoped: bool) -> String {
    if scoped {
        format!("{MINE}{ENTRIES} WHERE e.id = ?2 AND COALESCE(e.case_id, sc.case_id) IN (SELECT case_id FROM mine)")
    } else {
        format!("{ENTRIES} WHERE e.id = ?2 AND ?1 = ?1")
    }
}

/// The entry `{id}` if the caller may act on it (a mediator: one of theirs).
async fn entry_for(db: &D1Database, ctx: &RouteContext<Context>, claims: &Claims) -> Result<AttentionEntry, Failure> {
    let id: i64 = ctx.param("id").and_then(|v| v.parse().ok()).filter(|v| *v > 0).ok_or_else(|| Failure::field(&FieldError::new("id", "must be an entry's id")))?;
    let row: Option<EntryRow> = db.prepare(&entry_sql(scoped(claims))).bind(&[s(&claims.sub), n(id)])?.first(None).await?;
    row.map(AttentionEntry::from).ok_or_else(|| Failure::not_found("没有这条待处理事项 (no such entry)"))
}

async fn reread(db: &D1Database, id: i64) -> Result<AttentionEntry, Failure> {
    let row: Option<EntryRow> = db.prepare(&format!("{ENTRIES} WHERE e.id = ?1")).bind(&[n(id)])?.first(None).await?;
    row.map(AttentionEntry::from).ok_or_else(|| Failure::not_found("没有这条待处理事项 (no such entry)"))
}

/// `POST /api/attention/{id}/ack` `{note}`: acknowledged once; again is a 409.
pub async fn acknowledge(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::AckAttention)?;
    let input: Acknowledge = http::read_json(&mut req, 8 * 1024).await?;
    input.validate().map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let entry = entry_for(&db, &ctx, &claims).await?;
    let note = input.note.trim();
    let done = db
        .prepare(ACK_ENTRY)
        .bind(&[s(&claims.sub), n(now_ms()), s(note), n(entry.id)])?
        .all()
        .await?;
    if !store::wrote(&done)? {
        let by = entry.acked_by.unwrap_or_default();
        return Err(Failure::new(409, shared::wire::api::ErrorCode::AlreadyDone, format!("这条事项已由 {by} 处理 (already acknowledged by {by})")));
    }
    store::audit(&db, &claims, "attention_ack", entry.case_id.as_deref(), Some(&format!("{} · {}", entry.id, entry.rule_name)), 200, note).await?;
    live::announce(&ctx, EventKind::AttentionChanged, entry.case_id.as_deref(), entry.job_id.as_deref(), EventData { by: Some(claims.sub.clone()), ..EventData::default() });
    http::ok(&reread(&db, entry.id).await?)
}

/// `POST /api/attention/{id}/assign` `{assignee}`: gives the entry's case to a mediator.
pub async fn assign(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::AssignAttention)?;
    let input: Assign = http::read_json(&mut req, 4 * 1024).await?;
    input.validate().map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let entry = entry_for(&db, &ctx, &claims).await?;
    let Some(case_id) = entry.case_id.clone() else {
        return Err(Failure::new(409, shared::wire::api::ErrorCode::CaseUnknown, "这通电话属于哪个案件尚不清楚,暂时无法指派 (the call's case is not known yet)"));
    };
    let assignee = input.assignee.trim();
    db.prepare(
        "INSERT INTO case_assignments (case_id, assignee, assigned_by, assigned_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (case_id) DO UPDATE SET assignee = excluded.assignee, assigned_by = excluded.assigned_by, assigned_at = excluded.assigned_at",
    )
    .bind(&[s(&case_id), s(assignee), s(&claims.sub), n(now_ms())])?
    .run()
    .await?;
    store::audit(&db, &claims, "assign", Some(&case_id), Some(assignee), 200, &format!("{} · {}", entry.id, entry.rule_name)).await?;
    live::announce(&ctx, EventKind::AttentionChanged, Some(&case_id), entry.job_id.as_deref(), EventData { by: Some(claims.sub.clone()), name: Some(assignee.to_owned()), ..EventData::default() });
    http::ok(&reread(&db, entry.id).await?)
}

/// `GET /api/attention/rules`.
pub async fn list_rules(req: Request, ctx: RouteContext<Context>) -> Reply {
    auth::gate(&req, &ctx.env, Op::AttentionRules)?;
    let db = store::db(&ctx.env)?;
    http::ok(&Rules { rules: rules(&db).await? })
}

/// `PUT /api/attention/rules/{id}` with the whole rule: replaces it, or adds a new one last.
pub async fn save_rule(mut req: Request, ctx: RouteContext<Context>) -> Reply {
    let claims = auth::gate(&req, &ctx.env, Op::SaveAttentionRule)?;
    let id = ctx.param("id").cloned().unwrap_or_default();
    let rule: Rule = http::read_json(&mut req, 16 * 1024).await?;
    if rule.id != id {
        return Err(Failure::field(&FieldError::new("id", "must be the id in the path")));
    }
    rule.validate().map_err(|e| Failure::field(&e))?;
    let db = store::db(&ctx.env)?;
    let condition = serde_json::to_string(&rule.condition).expect("serialises");
    db.prepare(
        "INSERT INTO attention_rules (id, name, severity, enabled, condition, position, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COALESCE(MAX(position), 0) + 1 FROM attention_rules), ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, severity = excluded.severity, enabled = excluded.enabled,
           condition = excluded.condition, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(&[s(&rule.id), s(rule.name.trim()), s(rule.severity.as_str()), n(rule.enabled as i64), s(&condition), s(&claims.sub), n(now_ms())])?
    .run()
    .await?;
    let summary = format!("{} · {} · {} · {}", rule.name.trim(), rule.severity.as_str(), if rule.enabled { "on" } else { "off" }, condition);
    store::audit(&db, &claims, "rule_update", None, Some(&rule.id), 200, &summary).await?;
    let saved = rules(&db).await?.into_iter().find(|r| r.id == rule.id);
    saved.map_or_else(|| Err(Failure::from(worker::Error::RustError("the rule was not stored".into()))), |r| http::ok(&r))
}

#[cfg(test)]
mod tests {
    use super::{entry_sql, queue_sql, ACK_ENTRY, ADD_ENTRY};

    /// The kept open count (migration 0016) after every kind of change to the
    /// entries, beside what counting them finds: the edge's own insert and
    /// acknowledgement, and what else SQL can do to the table (the bench's
    /// copies, a reopening, a removal).
    #[test]
    fn the_kept_open_count_is_what_counting_finds() {
        let script = r#"
at = next(i for (i, sql) in enumerate(job["migrations"]) if "CREATE TABLE attention_open_count" in sql)
db = migrated(at)
entry = "INSERT INTO attention_entries (source, rule_id, rule_name, severity, severity_rank, evidence, created_at, acked_at) VALUES (?, ?, 'r', 'high', 0, '{}', 1, ?)"
db.execute(entry, ["old1", "r1", None])
db.execute(entry, ["old2", "r1", None])
db.execute(entry, ["old3", "r1", 5])
for sql in job["migrations"][at:]:
    db.executescript(sql)
steps = []
def step(name, sql, args):
    db.execute(sql, args)
    kept = db.execute(job["count"], ["someone"]).fetchone()[0]
    counted = db.execute("SELECT COUNT(*) FROM attention_entries WHERE acked_at IS NULL").fetchone()[0]
    steps.append([name, kept, counted])
step("the migration counts what was open", "SELECT 1", [])
add = lambda source, rule: [source, rule, "r", "high", 0, "j1", "c1", "{}", 10]
step("an entry added", job["add"], add("s1", "r1"))
step("the same entry again", job["add"], add("s1", "r1"))
step("another rule for the same source", job["add"], add("s1", "r2"))
new_id = db.execute("SELECT id FROM attention_entries WHERE source = 's1' AND rule_id = 'r1'").fetchone()[0]
step("acknowledged", job["ack"], ["m1", 20, "done", new_id])
step("acknowledged again", job["ack"], ["m2", 30, "again", new_id])
step("an entry written already acknowledged", entry, ["s2", "r1", 40])
step("reopened", "UPDATE attention_entries SET acked_at = NULL WHERE source = 'old3'", [])
step("renamed, still open", "UPDATE attention_entries SET rule_name = 'x' WHERE source = 'old1'", [])
step("an acknowledged one's note changed", "UPDATE attention_entries SET ack_note = 'n', acked_at = 50 WHERE id = ?", [new_id])
step("copied, as the bench's fill does", "INSERT INTO attention_entries (source, rule_id, rule_name, severity, severity_rank, evidence, created_at, acked_at) SELECT source || '.c1', rule_id, rule_name, severity, severity_rank, evidence, created_at, acked_at FROM attention_entries", [])
step("an open one removed", "DELETE FROM attention_entries WHERE source = 'old1'", [])
step("an acknowledged one removed", "DELETE FROM attention_entries WHERE source = 's2'", [])
json.dump(steps, sys.stdout, ensure_ascii=False)
"#;
        let (_, count) = queue_sql(false, "open").unwrap();
        let steps = crate::migrated::run(script, serde_json::json!({ "count": count, "add": ADD_ENTRY, "ack": ACK_ENTRY }));
        let steps = steps.as_array().unwrap();
        for s in steps {
            assert_eq!(s[1], s[2], "{}: kept {} but {} open", s[0], s[1], s[2]);
        }
        let kept: Vec<i64> = steps.iter().map(|s| s[1].as_i64().unwrap()).collect();
        assert_eq!(kept, [2, 3, 3, 4, 3, 3, 3, 4, 4, 4, 8, 7, 7]);
    }


    /// Whose entries are whose: a mediator's are the cases assigned to them
    /// and those they were the last to take over (a refused takeover does not
    /// count), whether the entry names its case or only its call does.
    #[test]
    fn a_mediator_sees_the_entries_of_their_cases_and_no_others() {
        let script = r#"
db = migrated()
db.executemany("INSERT INTO search_calls (job_id, case_id) VALUES (?, ?)", [(f"j{i}", f"c{i}") for i in range(1, 7)])
db.executemany("INSERT INTO case_assignments VALUES (?, ?, 'sup', 1)", [("c1", "m1"), ("c4", "m2")])
audit = [("m1", "takeover", "c2", 200), ("m1", "takeover", "c3", 200), ("m2", "takeover", "c3", 200), ("m1", "takeover", "c4", 200),
         ("m1", "takeover", "c5", 500), ("m2", "takeover", "c6", 200), ("m1", "takeover", "c6", 502), ("m1", "call", "c6", 200)]
db.executemany("INSERT INTO audit_log (at, user_name, role, action, case_id, status) VALUES (1, ?, 'mediator', ?, ?, ?)", audit)
entries = [("e1", None, "c1", None), ("e2", "j2", None, None), ("e3", "j3", None, None), ("e4", None, "c4", None), ("e5", "j5", None, None),
           ("e6", "j6", None, None), ("e7", None, "c1", 5), ("e8", "j1", None, None), ("e9", "jx", None, None),
           # Its own case decides, not its call's.
           ("e10", "j2", "c5", None), ("e11", "j5", "c1", None)]
db.executemany("INSERT INTO attention_entries (source, rule_id, rule_name, severity, severity_rank, job_id, case_id, evidence, created_at, acked_at) VALUES (?, 'r', 'r', 'high', 0, ?, ?, '{}', 1, ?)", entries)
ids = {source: i for (i, source) in db.execute("SELECT id, source FROM attention_entries")}
names = {i: source for (source, i) in ids.items()}
out = {}
for who in ["m1", "m2", "m3"]:
    for state in ["open", "acked", "all"]:
        out[f"{who} {state}"] = sorted(names[r[0]] for r in db.execute(job["lists"][state], [who, None, None]))
    out[f"{who} count"] = db.execute(job["count"], [who]).fetchone()[0]
    out[f"{who} may act on"] = sorted(s for s in ids if db.execute(job["entry"], [who, ids[s]]).fetchone())
out["m1 open of c1"] = sorted(names[r[0]] for r in db.execute(job["lists"]["open"], ["m1", "c1", None]))
out["m1 open of j2"] = sorted(names[r[0]] for r in db.execute(job["lists"]["open"], ["m1", None, "j2"]))
out["everyone open"] = sorted(names[r[0]] for r in db.execute(job["everyone"], ["s", None, None]))
json.dump(out, sys.stdout)
"#;
        let lists: serde_json::Map<String, serde_json::Value> = ["open", "acked", "all"].iter().map(|s| (s.to_string(), queue_sql(true, s).unwrap().0.into())).collect();
        let job = serde_json::json!({ "lists": lists, "count": queue_sql(true, "open").unwrap().1, "entry": entry_sql(true), "everyone": queue_sql(false, "open").unwrap().0 });
        let out = crate::migrated::run(script, job);
        let expected = serde_json::json!({
            "m1 open": ["e1", "e11", "e2", "e4", "e8"], "m1 acked": ["e7"], "m1 all": ["e1", "e11", "e2", "e4", "e7", "e8"], "m1 count": 5,
            "m1 may act on": ["e1", "e11", "e2", "e4", "e7", "e8"], "m1 open of c1": ["e1", "e11", "e8"], "m1 open of j2": ["e2"],
            "m2 open": ["e3", "e4", "e6"], "m2 acked": [], "m2 all": ["e3", "e4", "e6"], "m2 count": 3, "m2 may act on": ["e3", "e4", "e6"],
            "m3 open": [], "m3 acked": [], "m3 all": [], "m3 count": 0, "m3 may act on": [],
            "everyone open": ["e1", "e10", "e11", "e2", "e3", "e4", "e5", "e6", "e8", "e9"],
        });
        assert_eq!(out, expected);
    }
}
