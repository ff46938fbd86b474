//! Everything the sandbox holds, behind one lock (no lock is held across an await).

use std::sync::{Arc, Mutex, MutexGuard};

use crate::autopilot::Autopilot;
use crate::clink::ClinkState;
use crate::clock::Clock;
use crate::notes::NoteAgent;
use crate::world::World;

/// Switches a test can flip through the control API.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MediationFaults {
    /// Delay every mediation answer by this many milliseconds.
    pub slow_ms: u64,
    /// Answer this many next mediation requests with 500.
    pub fail_next: u32,
    /// Answer this many next requests with a proxy's HTML error page (not the envelope).
    pub garbage_next: u32,
    /// Answer this many next requests with HTTP 200 whose envelope says
    /// `"code": 500` (a failure inside a success status).
    pub envelope_fail_next: u32,
    /// Act on every request, then wait this long before answering (so the
    /// edge may time out on a request the backend did carry out).
    pub slow_answer_ms: u64,
    /// Act on this many next requests, then answer with an unreadable body.
    pub garbage_answer_next: u32,
    /// When set, the counted faults above (`*_next`) strike only requests to
    /// this path: the edge's live hub reads the board on its own every
    /// second, and would otherwise take a fault meant for a user's action.
    pub only_path: Option<String>,
    /// Send the board list in 64 KB pieces without a `Content-Length`, as
    /// a server that streams its JSON does.
    pub board_chunked: bool,
}

pub struct Sandbox {
    pub world: World,
    pub mediation_faults: MediationFaults,
    pub clink: ClinkState,
    pub notes: NoteAgent,
    pub autopilot: Autopilot,
    pub config: Settings,
}

/// Settings fixed at start.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mediation_token: String,
    pub seed: u64,
    pub deterministic: bool,
    pub record_base: String,
    /// Where the note agent pushes results (the edge's webhook URL, secret included).
    pub webhook_url: Option<String>,
    /// Clink access key pair the sandbox accepts.
    pub clink_access_key_id: String,
    pub clink_access_key_secret: String,
    /// The demo portal's copy of the board's session secret (it mints tokens).
    pub portal_secret: String,
    /// Where the edge is, for the demo portal's `<script src=…/embed.js>`.
    pub edge_url: String,
    /// Answer exactly in the shapes the spec documents instead of the
    /// designed ones (`--spec-literal`, or `POST /control/profile`; kept
    /// across resets): takeover `data: null`, OCR a bare `{}`, update-status
    /// errors as HTTP 200 with a non-200 `code`, and one call whose
    /// `conversations` string cannot be read.
    pub spec_literal: bool,
}

/// The fixed instant deterministic mode starts at: 2026-11-22 10:00:00 Asia/Shanghai.
pub const DETERMINISTIC_START_MS: i64 = 1_795_312_800_000;

impl Sandbox {
    pub fn new(config: Settings) -> Self {
        let clock = if config.deterministic { Clock::starting_at(DETERMINISTIC_START_MS, 0.0) } else { Clock::real() };
        let keys = vec![(config.clink_access_key_id.clone(), config.clink_access_key_secret.clone())];
        let mut world = World::new(clock, config.seed, config.record_base.clone());
        if config.spec_literal {
            world.corrupt_oldest_log();
        }
        Self {
            world,
            mediation_faults: MediationFaults::default(),
            clink: ClinkState::new(keys),
            notes: NoteAgent::new(config.deterministic),
            autopilot: Autopilot { enabled: !config.deterministic, ..Autopilot::default() },
            config,
        }
    }

    /// Back to the seed data; the clock keeps its mode.
    pub fn reset(&mut self) {
        *self = Sandbox::new(self.config.clone());
    }
}

#[derive(Clone)]
pub struct Shared(pub Arc<Mutex<Sandbox>>);

impl Shared {
    pub fn new(sandbox: Sandbox) -> Self {
        Self(Arc::new(Mutex::new(sandbox)))
    }

    pub fn lock(&self) -> MutexGuard<'_, Sandbox> {
        // A panic while holding the lock leaves consistent data (every update
        // is a single assignment), so carry on.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
