//! The demo data set (`data/cases.json`), compiled in so the sandbox runs
//! from any directory.

use serde::Deserialize;
use shared::wire::mediation::{CallStatus, CallType, DisputeType, Party, Speaker, Stage, TurnAction};

pub const CASES_JSON: &str = include_str!("../data/cases.json");

#[derive(Clone, Debug, Deserialize)]
pub struct SeedFile {
    pub cases: Vec<SeedCase>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedCase {
    pub case_id: String,
    pub mediation_id: i64,
    pub case_name: String,
    pub dispute_type: DisputeType,
    pub stage: Stage,
    pub amount: Option<String>,
    pub facts: String,
    pub parties: Vec<Party>,
    pub agreement: Option<String>,
    #[serde(default)]
    pub files: Vec<SeedFileDoc>,
    pub takeover_user: Option<String>,
    #[serde(default)]
    pub calls: Vec<SeedCall>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedFileDoc {
    pub file_id: String,
    pub file_name: String,
    pub text: String,
    pub summary: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedCall {
    pub job_id: String,
    pub person_id: String,
    pub call_type: CallType,
    pub call_status: CallStatus,
    pub started_minutes_ago: i64,
    pub turns: Vec<SeedTurn>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SeedTurn {
    /// Seconds since the call started.
    pub at: i64,
    pub speaker: Speaker,
    pub script: Option<String>,
    pub action: TurnAction,
}

pub fn load() -> SeedFile {
    serde_json::from_str(CASES_JSON).expect("data/cases.json is valid (checked by the sandbox's tests)")
}
