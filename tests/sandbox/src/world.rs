//! The mediation backend's state: cases, calls and their lifecycle. Time
//! comes from [`Clock`]; every read first brings the world up to "now", so a
//! frozen clock gives the same answers every time.

use std::collections::BTreeMap;

use shared::wire::mediation::{
    AgreementResult, BoardRecord, CallErrorCode, CallResult, CallStatus, CallType, ConversationLog, OcrFile,
    OcrResult, OcrState, Stage, Turn,
};
use shared::time::format_shanghai;

use crate::clock::Clock;
use crate::rng::Rng;
use crate::script::{self, Effect};
use crate::seed::{self, SeedCase, SeedTurn};

/// A party may be called again only this long after the previous call (1001).
pub const MIN_CALL_GAP_MS: i64 = 120_000;
/// Calls per party per day (1002).
pub const DAILY_CALL_LIMIT: usize = 3;
/// Time between call-v2 and the phone ringing.
pub const SCHEDULING_MS: i64 = 1_500;
/// Time a not-connected attempt rings before it gives up.
pub const RING_MS: i64 = 6_000;

pub struct Case {
    pub seed: SeedCase,
    pub stage: Stage,
    pub takeover: Option<(String, i64)>,
    pub agreement: Option<AgreementResult>,
    pub agreements_generated: u32,
    pub ocr: Option<(i64, Vec<OcrFile>)>,
    pub updated_ms: i64,
}

pub struct Call {
    pub job_id: String,
    pub case_id: String,
    pub person_id: String,
    pub phone: String,
    pub call_type: CallType,
    pub record_id: i64,
    pub mediation_id: i64,
    pub instance_id: String,
    pub job_group_id: String,
    pub script_id: String,
    pub created_ms: i64,
    pub executing_ms: i64,
    pub final_ms: i64,
    pub outcome: CallStatus,
    pub turns: Vec<SeedTurn>,
    pub effect: Effect,
    /// Set through update-status; wins over the lifecycle.
    pub status_override: Option<CallStatus>,
    /// The backend's log for this call is unreadable (control API, or the spec-literal profile).
    pub corrupt_log: bool,
    /// A recording URL given instead of the sandbox's own (control API).
    pub record_url_override: Option<String>,
    /// The final status has been seen by [`World::advance`].
    pub settled: bool,
}

impl Call {
    pub fn status(&self, now: i64) -> CallStatus {
        if let Some(s) = &self.status_override {
            return s.clone();
        }
        if now < self.executing_ms {
            CallStatus::Scheduling
        } else if now < self.final_ms {
            CallStatus::Executing
        } else {
            self.outcome.clone()
        }
    }

    pub fn is_over(&self, now: i64) -> bool {
        now >= self.final_ms
    }

    /// Call length in seconds, as far as it has got.
    pub fn duration_secs(&self, now: i64) -> i64 {
        if now < self.executing_ms {
            0
        } else {
            (now.min(self.final_ms) - self.executing_ms) / 1000
        }
    }

    pub fn turns_at(&self) -> Vec<Turn> {
        self.turns
            .iter()
            .map(|t| Turn {
                timestamp: self.executing_ms + t.at * 1000,
                speaker: t.speaker.clone(),
                script: t.script.clone(),
                action: t.action.clone(),
            })
            .collect()
    }

    /// Audio length in seconds: from the first turn to the last.
    pub fn audio_secs(&self) -> i64 {
        match (self.turns.first(), self.turns.last()) {
            (Some(a), Some(b)) => (b.at - a.at).max(1),
            _ => 0,
        }
    }
}

/// Something that happened, for the note agent and the log.
#[derive(Clone, Debug)]
pub enum Happening {
    CallEnded { job_id: String },
}

pub struct World {
    pub clock: Clock,
    pub rng: Rng,
    pub cases: Vec<Case>,
    pub calls: BTreeMap<String, Call>,
    next_record_id: i64,
    /// Base URL recordings are served from (the mediation server's own).
    pub record_base: String,
    /// What happened since the note agent last looked.
    happenings: Vec<Happening>,
    /// How many cases came from the data set (the rest are benchmark copies).
    seed_case_count: usize,
}

impl World {
    pub fn new(clock: Clock, seed: u64, record_base: String) -> Self {
        let now = clock.now_ms();
        let mut world = Self { clock, rng: Rng::new(seed), cases: vec![], calls: BTreeMap::new(), next_record_id: 1000, record_base, happenings: vec![], seed_case_count: 0 };
        for (position, case) in seed::load().cases.into_iter().enumerate() {
            let case_calls = case.calls.clone();
            let takeover = case.takeover_user.clone().map(|u| (u, now - 3_600_000));
            let agreement = case.agreement.clone().map(|content| AgreementResult {
                agree_id: format!("AGR{}01", case.case_id),
                agree_content: content,
            });
            let case_id = case.case_id.clone();
            let mediation_id = case.mediation_id;
            let parties = case.parties.clone();
            // Last touched: when its latest call ended, or (never called) a while ago.
            let last_call_end = case_calls
                .iter()
                .map(|c| now - c.started_minutes_ago * 60_000 + c.turns.last().map(|t| t.at * 1000).unwrap_or(RING_MS))
                .max();
            world.cases.push(Case {
                stage: case.stage.clone(),
                takeover,
                agreement,
                agreements_generated: 0,
                ocr: None,
                updated_ms: last_call_end.unwrap_or(now - (position as i64 + 1) * 37 * 60_000),
                seed: SeedCase { calls: vec![], ..case },
            });
            for c in case_calls {
                let start = now - c.started_minutes_ago * 60_000;
                let length = match c.turns.last() {
                    Some(t) => t.at * 1000,
                    None => RING_MS,
                };
                let phone = parties.iter().find(|p| p.person_id == c.person_id).map(|p| p.phone_number.clone()).unwrap_or_default();
                let record_id = world.next_record_id();
                let call = Call {
                    job_id: c.job_id.clone(),
                    case_id: case_id.clone(),
                    person_id: c.person_id,
                    phone,
                    call_type: c.call_type,
                    record_id,
                    mediation_id,
                    instance_id: world.rng.uuid(),
                    job_group_id: world.rng.uuid(),
                    script_id: world.rng.uuid(),
                    created_ms: start - SCHEDULING_MS,
                    executing_ms: start,
                    final_ms: start + length,
                    outcome: c.call_status,
                    turns: c.turns,
                    effect: Effect::None,
                    status_override: None,
                    corrupt_log: false,
                    record_url_override: None,
                    settled: true,
                };
                world.calls.insert(c.job_id, call);
            }
        }
        world.seed_case_count = world.cases.len();
        world
    }

    /// Makes the oldest recorded call's log unreadable (the spec-literal
    /// profile's "unreadable conversations string among good ones").
    pub fn corrupt_oldest_log(&mut self) -> Option<String> {
        let job = self.calls.values().filter(|c| !c.turns.is_empty()).min_by_key(|c| (c.executing_ms, c.record_id))?.job_id.clone();
        self.calls.get_mut(&job)?.corrupt_log = true;
        Some(job)
    }

    fn next_record_id(&mut self) -> i64 {
        self.next_record_id += 1;
        self.next_record_id
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// What happened since the last call, for the note agent.
    pub fn take_happenings(&mut self) -> Vec<Happening> {
        self.advance();
        std::mem::take(&mut self.happenings)
    }

    /// Brings calls up to now: calls that ended since the last look change
    /// their case's stage and are reported (the note agent picks them up).
    pub fn advance(&mut self) {
        let now = self.now();
        let ended: Vec<String> =
            self.calls.values().filter(|c| !c.settled && c.is_over(now)).map(|c| c.job_id.clone()).collect();
        for job_id in ended {
            let (case_id, effect) = {
                let call = self.calls.get_mut(&job_id).expect("listed above");
                call.settled = true;
                (call.case_id.clone(), call.effect)
            };
            if let Some(case) = self.case_mut(&case_id) {
                match effect {
                    Effect::AgreementAccepted if case.stage != Stage::Closed => case.stage = Stage::FollowUp,
                    Effect::PaymentConfirmed => case.stage = Stage::Closed,
                    _ => {}
                }
                case.updated_ms = now;
            }
            self.happenings.push(Happening::CallEnded { job_id });
        }
    }

    pub fn case(&self, case_id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.seed.case_id == case_id)
    }

    pub fn case_mut(&mut self, case_id: &str) -> Option<&mut Case> {
        self.cases.iter_mut().find(|c| c.seed.case_id == case_id)
    }

    pub fn board(&self) -> Vec<BoardRecord> {
        let now = self.now();
        // The latest call per case, in one pass (the board may hold 10,000 cases).
        let mut latest_by_case: std::collections::HashMap<&str, &Call> = std::collections::HashMap::new();
        for c in self.calls.values() {
            let slot = latest_by_case.entry(c.case_id.as_str()).or_insert(c);
            if (c.created_ms, c.record_id) > (slot.created_ms, slot.record_id) {
                *slot = c;
            }
        }
        self.cases
            .iter()
            .map(|case| {
                let latest = latest_by_case.get(case.seed.case_id.as_str()).copied();
                let update = latest.map(|c| c.final_ms.min(now)).unwrap_or(0).max(case.updated_ms.min(now));
                BoardRecord {
                    case_id: case.seed.case_id.clone(),
                    mediation_id: case.seed.mediation_id,
                    case_name: case.seed.case_name.clone(),
                    dispute_type: case.seed.dispute_type.clone(),
                    stage: case.stage.clone(),
                    amount: case.seed.amount.clone(),
                    facts: case.seed.facts.clone(),
                    parties: case.seed.parties.clone(),
                    call_person_id: latest.map(|c| c.person_id.clone()),
                    call_type: latest.map(|c| c.call_type.clone()),
                    call_status: latest.map(|c| c.status(now)),
                    job_id: latest.map(|c| c.job_id.clone()),
                    takeover_user: case.takeover.as_ref().map(|(u, _)| u.clone()),
                    takeover_time: case.takeover.as_ref().map(|(_, t)| format_shanghai(*t)),
                    start_time: latest.map(|c| format_shanghai(c.executing_ms)).unwrap_or_default(),
                    duration: latest.map(|c| c.duration_secs(now).to_string()).unwrap_or_default(),
                    update_time: format_shanghai(update),
                    qa_percent: None,
                }
            })
            .collect()
    }

    /// Grows the data set to `total` cases by copying the seed cases (and
    /// their calls) under new ids, for load and rendering benchmarks.
    pub fn scale_to(&mut self, total: usize) -> usize {
        let originals = self.cases.len().min(self.seed_case_count);
        let mut calls_of: std::collections::HashMap<String, Vec<(String, String)>> = std::collections::HashMap::new();
        for c in self.calls.values() {
            calls_of.entry(c.case_id.clone()).or_default().push((c.job_id.clone(), c.person_id.clone()));
        }
        let mut n = self.cases.len();
        while n < total {
            let src = n % originals;
            let copy_no = n / originals;
            let seed = self.cases[src].seed.clone();
            let suffix = format!("{copy_no:04}");
            let case_id = format!("{}{}", &seed.case_id[..seed.case_id.len().saturating_sub(4)], suffix);
            let mut seed = SeedCase { case_id: case_id.clone(), mediation_id: 100_000 + n as i64, ..seed };
            seed.case_name = format!("{}({})", seed.case_name, copy_no);
            seed.facts = seed.facts.chars().take(60).collect();
            for p in &mut seed.parties {
                p.person_id = format!("{}{}", &p.person_id[..p.person_id.len().saturating_sub(4)], suffix);
            }
            let calls = calls_of.get(&self.cases[src].seed.case_id).cloned().unwrap_or_default();
            for (job, person) in calls {
                let original = &self.calls[&job];
                let new_job = format!("{}-{suffix}", &job[..job.len().saturating_sub(5)]);
                let person = format!("{}{}", &person[..person.len().saturating_sub(4)], suffix);
                let record_id = self.next_record_id + 1;
                self.next_record_id += 1;
                let copy = Call {
                    job_id: new_job.clone(),
                    case_id: case_id.clone(),
                    person_id: person,
                    phone: original.phone.clone(),
                    call_type: original.call_type.clone(),
                    record_id,
                    mediation_id: seed.mediation_id,
                    instance_id: original.instance_id.clone(),
                    job_group_id: original.job_group_id.clone(),
                    script_id: original.script_id.clone(),
                    created_ms: original.created_ms,
                    executing_ms: original.executing_ms,
                    final_ms: original.final_ms,
                    outcome: original.outcome.clone(),
                    turns: original.turns.clone(),
                    effect: Effect::None,
                    status_override: None,
                    corrupt_log: false,
                    record_url_override: None,
                    settled: true,
                };
                self.calls.insert(new_job, copy);
            }
            let template = &self.cases[src];
            self.cases.push(Case {
                stage: template.stage.clone(),
                takeover: template.takeover.clone(),
                agreement: None,
                agreements_generated: 0,
                ocr: None,
                updated_ms: template.updated_ms - n as i64,
                seed,
            });
            n += 1;
        }
        self.cases.len()
    }

    /// Adds a finished, connected call with `turns` turns to a case (for the
    /// transcript rendering benchmark). Returns its job id.
    pub fn long_call(&mut self, case_id: &str, turns: usize) -> Option<String> {
        let case = self.case(case_id)?;
        let party = case.seed.parties.first()?.clone();
        let mediation_id = case.seed.mediation_id;
        let now = self.now();
        let mut list = vec![SeedTurn { at: 0, speaker: shared::wire::mediation::Speaker::Contact, script: Some(String::new()), action: shared::wire::mediation::TurnAction::BeginDialogue }];
        for i in 1..turns.saturating_sub(1) {
            let robot = i % 2 == 1;
            let script = if robot {
                format!("第{i}轮:请问您对协议中**第{}条**的付款安排还有疑问吗?\n1. 分期支付\n2. 一次性支付", i % 5 + 1)
            } else {
                format!("第{i}轮:我再考虑一下,下周给你们答复。")
            };
            list.push(SeedTurn {
                at: i as i64 * 3,
                speaker: if robot { shared::wire::mediation::Speaker::Robot } else { shared::wire::mediation::Speaker::Contact },
                script: Some(script),
                action: if robot { shared::wire::mediation::TurnAction::Broadcast } else { shared::wire::mediation::TurnAction::Dialogue },
            });
        }
        list.push(SeedTurn { at: turns as i64 * 3, speaker: shared::wire::mediation::Speaker::Contact, script: None, action: shared::wire::mediation::TurnAction::EndDialogue });
        let length = turns as i64 * 3000;
        let job_id = self.rng.job_id(now);
        let record_id = self.next_record_id();
        let call = Call {
            job_id: job_id.clone(),
            case_id: case_id.to_owned(),
            person_id: party.person_id,
            phone: party.phone_number,
            call_type: CallType::Agreement,
            record_id,
            mediation_id,
            instance_id: self.rng.uuid(),
            job_group_id: self.rng.uuid(),
            script_id: self.rng.uuid(),
            created_ms: now - length - SCHEDULING_MS,
            executing_ms: now - length,
            final_ms: now,
            outcome: CallStatus::Succeeded,
            turns: list,
            effect: Effect::None,
            status_override: None,
            corrupt_log: false,
            record_url_override: None,
            settled: true,
        };
        self.calls.insert(job_id.clone(), call);
        Some(job_id)
    }

    /// Places calls for the given parties (call-v2). One result per party.
    pub fn place_calls(&mut self, case_id: &str, person_ids: &[String], call_type: Option<CallType>) -> Vec<CallResult> {
        let now = self.now();
        let mut results = vec![];
        for person_id in person_ids {
            let Some(case) = self.case(case_id) else { break };
            let mediation_id = case.seed.mediation_id;
            let call_type = call_type.clone().unwrap_or_else(|| match case.stage {
                Stage::FollowUp | Stage::Closed => CallType::FollowUp,
                _ => CallType::Agreement,
            });
            let Some(party) = case.seed.parties.iter().find(|p| &p.person_id == person_id).cloned() else { continue };
            let other = case.seed.parties.iter().find(|p| p.person_id != party.person_id).map(|p| p.name.clone()).unwrap_or_default();
            let amount = case.seed.amount.clone();
            let agreement = case.agreement.as_ref().map(|a| a.agree_content.clone());

            let previous: Vec<&Call> = self.calls.values().filter(|c| &c.person_id == person_id).collect();
            let last = previous.iter().map(|c| c.created_ms).max();
            let today = format_shanghai(now)[..10].to_owned();
            let today_count = previous.iter().filter(|c| format_shanghai(c.created_ms).starts_with(&today)).count();
            let base = |code: CallErrorCode, message: &str| CallResult {
                error_code: code,
                message: message.to_owned(),
                id: None,
                mediation_id: Some(mediation_id),
                node_id: None,
                task_name: None,
                result: None,
                person_type: Some(party.person_type),
                mediation_type: Some(1),
                person_id: person_id.clone(),
                job_id: None,
                instance_id: None,
                job_group_id: None,
                script_id: None,
                call_status: None,
                remark: None,
                delete_status: Some(1),
                creator: Some("system".to_owned()),
                create_time: Some(format_shanghai(now)[..10].to_owned()),
                modifier: None,
                modify_time: None,
                start_time: None,
                call_interval: None,
            };
            if let Some(last) = last.filter(|l| now - l < MIN_CALL_GAP_MS) {
                let mut r = base(CallErrorCode::MustWait, "须等待,距上次呼叫间隔不足");
                r.start_time = Some(format_shanghai(last + MIN_CALL_GAP_MS));
                r.call_interval = Some(serde_json::json!(MIN_CALL_GAP_MS / 1000));
                results.push(r);
                continue;
            }
            if today_count >= DAILY_CALL_LIMIT {
                results.push(base(CallErrorCode::LimitReached, "今日呼叫已达上限"));
                continue;
            }

            let cx = script::Context { party_name: &party.name, other_name: &other, amount: amount.as_deref(), agreement: agreement.as_deref() };
            let plan = script::plan(&mut self.rng, &call_type, &cx);
            let job_id = self.rng.job_id(now);
            let record_id = self.next_record_id();
            let executing = now + SCHEDULING_MS;
            let length = plan.turns.last().map(|t| t.at * 1000).unwrap_or(RING_MS);
            let call = Call {
                job_id: job_id.clone(),
                case_id: case_id.to_owned(),
                person_id: person_id.clone(),
                phone: party.phone_number.clone(),
                call_type: call_type.clone(),
                record_id,
                mediation_id,
                instance_id: self.rng.uuid(),
                job_group_id: self.rng.uuid(),
                script_id: self.rng.uuid(),
                created_ms: now,
                executing_ms: executing,
                final_ms: executing + length,
                outcome: plan.outcome,
                turns: plan.turns,
                effect: plan.effect,
                status_override: None,
                corrupt_log: false,
                record_url_override: None,
                settled: false,
            };
            let mut r = base(CallErrorCode::Started, "外呼发起成功");
            r.id = Some(record_id);
            r.node_id = Some(5);
            r.task_name = Some(match call_type {
                CallType::FollowUp => "履约回访".to_owned(),
                _ => "协议确认".to_owned(),
            });
            r.job_id = Some(job_id.clone());
            r.instance_id = Some(call.instance_id.clone());
            r.job_group_id = Some(call.job_group_id.clone());
            r.script_id = Some(call.script_id.clone());
            r.call_status = Some(CallStatus::Scheduling);
            self.calls.insert(job_id, call);
            if let Some(case) = self.case_mut(case_id) {
                if case.stage == Stage::Accepted {
                    case.stage = Stage::Mediating;
                }
                case.updated_ms = now;
            }
            results.push(r);
        }
        results
    }

    /// Finished calls matching the filters, newest first (conversation-log).
    pub fn conversation_logs(&self, case_id: Option<&str>, person_id: Option<&str>, job_id: Option<&str>) -> Vec<ConversationLog> {
        let now = self.now();
        let mut calls: Vec<&Call> = self
            .calls
            .values()
            .filter(|c| c.is_over(now))
            .filter(|c| case_id.is_none_or(|id| c.case_id == id))
            .filter(|c| person_id.is_none_or(|id| c.person_id == id))
            .filter(|c| job_id.is_none_or(|id| c.job_id == id))
            .collect();
        calls.sort_by_key(|c| std::cmp::Reverse((c.executing_ms, c.record_id)));
        calls
            .into_iter()
            .map(|c| ConversationLog {
                call_type: c.call_type.clone(),
                job_id: c.job_id.clone(),
                conversations: if c.corrupt_log {
                    // Cut off mid-way, as a backend that truncates its log would.
                    let full = shared::wire::mediation::encode_conversations(&c.turns_at());
                    full.chars().take(full.chars().count() / 2).collect()
                } else {
                    shared::wire::mediation::encode_conversations(&c.turns_at())
                },
                call_status: c.status(now),
                record_url: match &c.record_url_override {
                    Some(url) => url.clone(),
                    None if c.turns.is_empty() => String::new(),
                    None => self.record_url(c),
                },
            })
            .collect()
    }

    /// Looks like an OSS signed URL, served by the sandbox itself.
    pub fn record_url(&self, call: &Call) -> String {
        let expires = (self.now() / 1000) + 86_400;
        format!(
            "{}/recordings/{}.wav?Expires={expires}&OSSAccessKeyId=SANDBOX&Signature=c2FuZGJveA%3D%3D",
            self.record_base, call.job_id
        )
    }

    /// Latest call matching the filters (status query).
    pub fn find_call(&self, case_ref: Option<&str>, phone: Option<&str>, job_id: Option<&str>) -> Option<&Call> {
        self.calls
            .values()
            .filter(|c| case_ref.is_none_or(|id| c.case_id == id))
            .filter(|c| phone.is_none_or(|p| c.phone == p))
            .filter(|c| job_id.is_none_or(|id| c.job_id == id))
            .max_by_key(|c| (c.created_ms, c.record_id))
    }

    /// Runs OCR on a case's files: each file is processing for a moment, then done.
    pub fn run_ocr(&mut self, case_id: &str) -> Option<OcrResult> {
        let now = self.now();
        let case = self.case_mut(case_id)?;
        let files = case
            .seed
            .files
            .iter()
            .map(|f| OcrFile {
                file_id: f.file_id.clone(),
                file_name: f.file_name.clone(),
                status: OcrState::Processing,
                text: None,
                summary: None,
                error: None,
            })
            .collect();
        case.ocr = Some((now, files));
        case.updated_ms = now;
        self.ocr_state(case_id)
    }

    /// OCR takes two seconds per file.
    pub fn ocr_state(&self, case_id: &str) -> Option<OcrResult> {
        let now = self.now();
        let case = self.case(case_id)?;
        let Some((started, files)) = &case.ocr else {
            return Some(OcrResult { case_id: Some(case_id.to_owned()), status: Some(OcrState::Pending), files: vec![] });
        };
        let files: Vec<OcrFile> = files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                if now >= started + 2_000 * (i as i64 + 1) {
                    let doc = &case.seed.files[i];
                    OcrFile { status: OcrState::Done, text: Some(doc.text.clone()), summary: Some(doc.summary.clone()), ..f.clone() }
                } else {
                    f.clone()
                }
            })
            .collect();
        let status = if files.iter().all(|f| f.status == OcrState::Done) { OcrState::Done } else { OcrState::Processing };
        Some(OcrResult { case_id: Some(case_id.to_owned()), status: Some(status), files })
    }
}
