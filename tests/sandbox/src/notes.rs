//! The note agent (Alibaba Cloud AICCS 小记智能体): when a connected call ends,
//! it pushes a quality-inspection and a summary record for it to the edge's
//! webhook as a JSON array, and follows the documented retry rule: a non-200
//! answer or a timeout is retried after 1, 5 and 10 minutes, then dropped.
//! Every attempt is recorded so a test can check that nothing was lost.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use shared::wire::note::{NoteType, PushRecord, RETRY_DELAYS_SECS};
use shared::time::format_shanghai;

use crate::rng::Rng;
use crate::script::Effect;
use crate::state::Shared;
use crate::world::{Call, Happening};

pub const NOTES_JSON: &str = include_str!("../data/notes.json");
/// How long the pusher waits for an answer before counting a timeout.
pub const PUSH_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Clone, Debug, Deserialize)]
pub struct Templates {
    pub quality_items: Vec<QualityTemplate>,
    pub summary_enum_tags: Vec<EnumTag>,
    pub summary_text_tags: Vec<TextTag>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct QualityTemplate {
    pub item: String,
    pub full_score: i64,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Variant {
    pub score_ratio: f64,
    pub problem: String,
    pub suggestion: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EnumTag {
    pub tag: String,
    pub choices: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TextTag {
    pub tag: String,
    pub templates: Vec<String>,
}

/// Fault switches and timing (control API `POST /control/faults/notes`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct NoteSettings {
    /// Real milliseconds between a call ending and the first push.
    pub push_delay_ms: u64,
    /// Divides the 1/5/10-minute retry delays (60 → 1 s, 5 s, 10 s).
    pub retry_scale: f64,
    /// Deliver every batch twice.
    pub duplicate: bool,
    /// Deliver the records in reverse order, and an older version of the
    /// summary after the newer one.
    pub out_of_order: bool,
    /// Add an invalid record to every batch.
    pub mixed: bool,
    /// Make every record a failed inference (NOTE_AGENT_PROCESS_FAIL).
    pub force_failure: bool,
    /// Share of records (0 to 1) that come as a failed inference otherwise.
    pub failure_rate: f64,
    /// Every QA item at its lowest documented score (a call a person must
    /// look at: the attention queue's low-score rules meet it).
    pub low_scores: bool,
    /// Pause pushing (deliveries wait until switched back on).
    pub paused: bool,
    /// Share of attempts (0 to 1) sent with `X-Sandbox-Fault: storage`: the
    /// edge's storage fails for real and it answers 500, so the agent retries.
    pub storage_faults: f64,
    /// Share of attempts sent with `X-Sandbox-Fault: slow`: the edge stores,
    /// then answers after the agent's timeout, so the agent retries what was kept.
    pub slow_answers: f64,
}

impl Default for NoteSettings {
    fn default() -> Self {
        Self {
            push_delay_ms: 8_000,
            retry_scale: 1.0,
            duplicate: false,
            out_of_order: false,
            mixed: false,
            force_failure: false,
            failure_rate: 0.05,
            low_scores: false,
            paused: false,
            storage_faults: 0.0,
            slow_answers: 0.0,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    /// Milliseconds since the delivery was created (real time).
    pub after_ms: u64,
    /// The fault header sent with it, if any (`storage`, `slow`).
    pub fault: Option<&'static str>,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub reply: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    Pending,
    Delivered,
    GivenUp,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    pub id: u64,
    pub job_id: String,
    /// The JSON array as sent.
    pub body: String,
    pub records: usize,
    pub state: DeliveryState,
    pub attempts: Vec<Attempt>,
    /// Its position among all deliveries made (the order the agent sent them in).
    pub sent_order: Option<u64>,
    #[serde(skip)]
    pub created: Instant,
    #[serde(skip)]
    pub due: Instant,
}

pub struct NoteAgent {
    pub templates: Templates,
    pub settings: NoteSettings,
    pub deliveries: Vec<Delivery>,
    next_id: u64,
    /// Deliveries sent so far (numbers `sent_order`).
    next_sent: u64,
    /// Shares of the storage and slow faults owed so far (see `fault_for_attempt`).
    fault_credit: (f64, f64),
}

impl NoteAgent {
    pub fn new(deterministic: bool) -> Self {
        let mut settings = NoteSettings::default();
        if deterministic {
            settings.push_delay_ms = 0;
        }
        Self { templates: serde_json::from_str(NOTES_JSON).expect("data/notes.json is valid"), settings, deliveries: vec![], next_id: 1, next_sent: 0, fault_credit: (0.0, 0.0) }
    }

    /// The fault an attempt carries. Each attempt owes each fault its share;
    /// a fault strikes once a whole one is owed, so a share of 0.04 strikes
    /// exactly once in every 25 attempts: a run of a hundred attempts always
    /// sees it (by chance, about one run in a hundred did not), and no delivery
    /// can be struck on every retry while the share is below 1.
    pub fn fault_for_attempt(&mut self) -> Option<&'static str> {
        let (storage, slow) = (self.settings.storage_faults.clamp(0.0, 1.0), self.settings.slow_answers.clamp(0.0, 1.0));
        let credit = &mut self.fault_credit;
        credit.0 = if storage > 0.0 { credit.0 + storage } else { 0.0 };
        credit.1 = if slow > 0.0 { (credit.1 + slow).min(2.0) } else { 0.0 };
        if credit.0 >= 1.0 - 1e-9 {
            credit.0 -= 1.0;
            Some("storage")
        } else if credit.1 >= 1.0 - 1e-9 {
            credit.1 -= 1.0;
            Some("slow")
        } else {
            None
        }
    }

    fn delay(&self, attempt: usize) -> Duration {
        let secs = RETRY_DELAYS_SECS[attempt.min(RETRY_DELAYS_SECS.len() - 1)] as f64;
        Duration::from_secs_f64(secs / self.settings.retry_scale.max(0.001))
    }

    /// Queues the records for a finished call; `None` if it has nothing to infer.
    pub fn enqueue(&mut self, rng: &mut Rng, call: &Call, party: &str, amount: &str, report_ms: i64, delay: Duration) -> Option<u64> {
        if call.turns.is_empty() || call.outcome.category() != shared::wire::mediation::StatusCategory::Connected {
            return None;
        }
        let mut records = self.records_for(rng, call, party, amount, report_ms);
        if self.settings.out_of_order {
            let mut older = records[1].clone();
            older["report_time"] = json!(format_shanghai(report_ms - 60_000));
            older["result"] = json!(json!({ "通话摘要": "(旧版本)此摘要已被更新的推送取代。" }).to_string());
            records.reverse();
            records.push(older);
        }
        if self.settings.mixed {
            records.insert(1, json!({ "call_id": "", "biz_id": rng.range(10_000_000_000, 99_999_999_999).to_string(), "success": true, "error_code": "success", "type": "通话质检", "result": "[{\"item\":\"开场规范\"" }));
        }
        let body = Value::Array(records).to_string();
        let copies = if self.settings.duplicate { 2 } else { 1 };
        let mut first = None;
        for _ in 0..copies {
            let id = self.next_id;
            self.next_id += 1;
            first.get_or_insert(id);
            let now = Instant::now();
            self.deliveries.push(Delivery {
                id,
                job_id: call.job_id.clone(),
                records: body.matches("\"call_id\"").count(),
                body: body.clone(),
                state: DeliveryState::Pending,
                attempts: vec![],
                sent_order: None,
                created: now,
                due: now + delay,
            });
        }
        first
    }

    fn records_for(&self, rng: &mut Rng, call: &Call, party: &str, amount: &str, report_ms: i64) -> Vec<Value> {
        let call_id = format!("{}^{}", call.executing_ms, call.record_id * 1_000_003);
        let biz_id = rng.range(10_000_000_000, 99_999_999_999).to_string();
        let duration = call.audio_secs();
        let hang_up = call.turns.len() <= 3 || self.settings.low_scores;
        let items: Vec<Value> = self
            .templates
            .quality_items
            .iter()
            .map(|q| {
                let v = if hang_up { q.variants.last().unwrap() } else { rng.pick(&q.variants) };
                json!({ "item": q.item, "full_score": q.full_score, "score": (q.full_score as f64 * v.score_ratio).round() as i64, "problem": v.problem, "suggestion": v.suggestion })
            })
            .collect();
        let mut summary = serde_json::Map::new();
        for t in &self.templates.summary_enum_tags {
            let choice = match (t.tag.as_str(), call.effect) {
                ("通话结果", Effect::AgreementAccepted) => "同意协议".to_owned(),
                ("履约情况", Effect::PaymentConfirmed) => "已全额支付".to_owned(),
                _ => rng.pick(&t.choices).clone(),
            };
            summary.insert(t.tag.clone(), json!([choice]));
        }
        for t in &self.templates.summary_text_tags {
            let text = rng.pick(&t.templates).replace("{name}", party).replace("{amount}", amount);
            summary.insert(t.tag.clone(), json!(text));
        }
        let record = |kind: NoteType, result: String, fail: bool| {
            let r = PushRecord {
                call_id: call_id.clone(),
                biz_id: biz_id.clone(),
                out_id: Some(call.job_id.clone()),
                cell_number: Some(call.phone.clone()),
                success: !fail,
                error_code: if fail { shared::wire::note::PROCESS_FAIL.into() } else { "success".into() },
                error_msg: Some(if fail { "推理失败:通话内容不足,无法完成推理".into() } else { "success".into() }),
                content_length: Some(call.turns.iter().filter_map(|t| t.script.as_ref()).map(|s| s.chars().count() as i64).sum()),
                duration: Some(duration),
                start_time: Some(format_shanghai(report_ms - 8_000)),
                report_time: Some(format_shanghai(report_ms)),
                note_type: kind,
                result: Some(if fail { String::new() } else { result }),
            };
            serde_json::to_value(r).expect("serialisable")
        };
        let fail = |rng: &mut Rng| self.settings.force_failure || rng.chance(self.settings.failure_rate);
        let qi_fail = fail(rng);
        let sum_fail = fail(rng);
        vec![
            record(NoteType::QualityInspection, Value::Array(items).to_string(), qi_fail),
            record(NoteType::Summary, Value::Object(summary).to_string(), sum_fail),
        ]
    }
}

/// Enqueues pushes for calls that just ended.
pub fn on_happenings(s: &mut crate::state::Sandbox, happened: Vec<Happening>) {
    let delay = Duration::from_millis(s.notes.settings.push_delay_ms);
    for h in happened {
        let Happening::CallEnded { job_id } = h;
        push_for(s, &job_id, delay);
    }
}

/// Queues a push for one call now (or after `delay`). Returns the delivery id.
pub fn push_for(s: &mut crate::state::Sandbox, job_id: &str, delay: Duration) -> Option<u64> {
    let call = s.world.calls.get(job_id)?;
    let case = s.world.case(&call.case_id)?;
    let party = case.seed.parties.iter().find(|p| p.person_id == call.person_id).map(|p| p.name.clone()).unwrap_or_default();
    let amount = case.seed.amount.clone().unwrap_or_else(|| "相关".into());
    let report_ms = s.world.now();
    s.notes.enqueue(&mut s.world.rng, call, &party, &amount, report_ms, delay)
}

/// The background loop: advances the world, queues pushes, and delivers
/// whatever is due. Runs until the process ends.
pub async fn run(state: Shared) {
    let client = reqwest::Client::builder().no_proxy().timeout(PUSH_TIMEOUT).build().expect("http client");
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (due, url) = {
            let mut s = state.lock();
            let happened = s.world.take_happenings();
            on_happenings(&mut s, happened);
            if s.notes.settings.paused {
                continue;
            }
            let now = Instant::now();
            let due: Vec<(u64, String)> = s
                .notes
                .deliveries
                .iter()
                .filter(|d| d.state == DeliveryState::Pending && d.due <= now)
                .map(|d| (d.id, d.body.clone()))
                .collect();
            let due: Vec<(u64, String, Option<&'static str>)> =
                due.into_iter().map(|(id, body)| (id, body, s.notes.fault_for_attempt())).collect();
            (due, s.config.webhook_url.clone())
        };
        for (id, body, fault) in due {
            let request = url.as_ref().map(|url| {
                let r = client.post(url).header("content-type", "application/json").body(body);
                match fault {
                    Some(f) => r.header("X-Sandbox-Fault", f),
                    None => r,
                }
            });
            let (status, error, reply) = match request {
                None => (None, Some("no webhook URL configured (--webhook-url)".to_owned()), None),
                Some(request) => match request.send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        (Some(status), None, res.text().await.ok())
                    }
                    Err(e) if e.is_timeout() => (None, Some("timeout".to_owned()), None),
                    Err(e) => (None, Some(e.to_string()), None),
                },
            };
            let mut s = state.lock();
            let retry_delays: Vec<Duration> = (0..RETRY_DELAYS_SECS.len()).map(|i| s.notes.delay(i)).collect();
            let next_sent = s.notes.next_sent;
            let Some(d) = s.notes.deliveries.iter_mut().find(|d| d.id == id) else { continue };
            let ok = status == Some(200);
            if d.sent_order.is_none() {
                d.sent_order = Some(next_sent);
            }
            let first_send = d.sent_order == Some(next_sent);
            d.attempts.push(Attempt { after_ms: d.created.elapsed().as_millis() as u64, fault, status, error: error.clone(), reply });
            let verdict = if ok {
                d.state = DeliveryState::Delivered;
                "delivered".to_owned()
            } else if d.attempts.len() > RETRY_DELAYS_SECS.len() {
                d.state = DeliveryState::GivenUp;
                "given up".to_owned()
            } else {
                let wait = retry_delays[d.attempts.len() - 1];
                d.due = Instant::now() + wait;
                format!("retry in {:.1}s", wait.as_secs_f64())
            };
            if first_send {
                s.notes.next_sent += 1;
            }
            let Some(d) = s.notes.deliveries.iter().find(|d| d.id == id) else { continue };
            let why = status.map(|s| s.to_string()).or(error).unwrap_or_default();
            println!("[sandbox] note-agent push #{id} job {} attempt {} -> {why} ({verdict})", d.job_id, d.attempts.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::NoteAgent;

    #[test]
    fn each_fault_strikes_its_share_of_attempts_and_never_every_retry() {
        let mut agent = NoteAgent::new(true);
        agent.settings.storage_faults = 0.3;
        agent.settings.slow_answers = 0.04;
        // About as many attempts as the e2e fault run makes; a slow answer
        // owed on an attempt the storage fault takes comes on the next one.
        let faults: Vec<_> = (0..110).map(|_| agent.fault_for_attempt()).collect();
        let count = |f: &str| faults.iter().filter(|x| **x == Some(f)).count();
        assert_eq!((count("storage"), count("slow")), (33, 4));
        assert!(faults.windows(2).all(|w| !(w[0] == Some("storage") && w[1] == Some("storage"))), "{faults:?}");
        agent.settings.slow_answers = 0.0;
        agent.settings.storage_faults = 0.0;
        assert!((0..100).all(|_| agent.fault_for_attempt().is_none()));
    }
}
