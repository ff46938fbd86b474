//! Keeps the demo board alive: now and then the "AI" calls a party of a case
//! that is under mediation, so calls progress and stages move while a person
//! watches. Off in deterministic mode; switchable through the control API.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use shared::wire::mediation::Stage;

use crate::state::Shared;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Autopilot {
    pub enabled: bool,
    /// Real milliseconds between calls.
    pub interval_ms: u64,
}

impl Default for Autopilot {
    fn default() -> Self {
        Self { enabled: true, interval_ms: 12_000 }
    }
}

/// Places one AI call on a case that has none under way. Returns its job id.
pub fn tick(s: &mut crate::state::Sandbox) -> Option<String> {
    s.world.advance();
    let now = s.world.now();
    let busy: Vec<String> = s.world.calls.values().filter(|c| !c.is_over(now)).map(|c| c.case_id.clone()).collect();
    let candidates: Vec<(String, Vec<String>)> = s
        .world
        .cases
        .iter()
        .filter(|c| matches!(c.stage, Stage::Mediating | Stage::Agreement | Stage::FollowUp))
        .filter(|c| c.takeover.is_none() && !busy.contains(&c.seed.case_id))
        .map(|c| (c.seed.case_id.clone(), c.seed.parties.iter().map(|p| p.person_id.clone()).collect()))
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let (case_id, parties) = s.world.rng.pick(&candidates).clone();
    let person = s.world.rng.pick(&parties).clone();
    let results = s.world.place_calls(&case_id, &[person], None);
    results.into_iter().find_map(|r| r.job_id)
}

pub async fn run(state: Shared) {
    let mut last = std::time::Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut s = state.lock();
        if last.elapsed() < Duration::from_millis(s.autopilot.interval_ms.max(100)) {
            continue;
        }
        last = std::time::Instant::now();
        if s.autopilot.enabled {
            if let Some(job) = tick(&mut s) {
                println!("[sandbox] autopilot placed call {job}");
            }
        }
    }
}
