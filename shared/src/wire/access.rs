//! Who may call what: one table for every route of the edge, used by the
//! edge to gate each handler (before it reads any input, so a refused role
//! learns nothing from validation), by the README's role table, and by the
//! end-to-end test that checks every cell of it.

use crate::wire::session::Role;

/// Who may call a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// No session token (the route has its own gate or none).
    Public,
    /// Any signed-in role.
    Signed,
    /// Only these roles.
    Roles(&'static [Role]),
}

const WORKERS: &[Role] = &[Role::Mediator, Role::Supervisor];
const OVERSEERS: &[Role] = &[Role::Supervisor, Role::Admin];
const ADMINS: &[Role] = &[Role::Admin];

/// Every operation the edge serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Health,
    OpenApi,
    Session,
    DemoSession,
    Board,
    Takeover,
    Agreement,
    StartOcr,
    OcrState,
    CaseAudit,
    /// A case's notes and reminders.
    CaseNotes,
    AddCaseNote,
    CompleteCaseNote,
    /// Reminders due, across cases.
    Reminders,
    /// The attention queue (a mediator's own cases; everyone's for those who oversee).
    Attention,
    AckAttention,
    AssignAttention,
    AttentionRules,
    SaveAttentionRule,
    /// QA insights: scores over time, per item, the lowest calls, tag counts.
    QaInsights,
    Audit,
    PlaceCall,
    CallStatus,
    /// `GET /api/calls/status?phoneNumber=`: asking by number tells whether a guess is right.
    CallStatusByNumber,
    UpdateCallStatus,
    Conversations,
    /// `GET /api/conversations?jobId=…&reveal=1`: one call's texts without their personal data masked (audited).
    RevealTexts,
    Notes,
    /// Full-text search over the turns of finished calls.
    SearchTurns,
    /// The caller's saved board filters.
    Presets,
    SavePreset,
    DeletePreset,
    NoteHistory,
    Recording,
    RecordingLink,
    /// A documented Clink path a mediator uses (search, chat, conversations, media URLs).
    ClinkRead,
    /// Clink's knowledge-base management paths.
    ClinkManage,
    DeadLetters,
    ReplayDeadLetter,
    DiscardDeadLetter,
    Live,
    Webhook,
}

impl Op {
    pub const ALL: [Op; 42] = [
        Op::Health,
        Op::OpenApi,
        Op::Session,
        Op::DemoSession,
        Op::Board,
        Op::Takeover,
        Op::Agreement,
        Op::StartOcr,
        Op::OcrState,
        Op::CaseAudit,
        Op::CaseNotes,
        Op::AddCaseNote,
        Op::CompleteCaseNote,
        Op::Reminders,
        Op::Attention,
        Op::AckAttention,
        Op::AssignAttention,
        Op::AttentionRules,
        Op::SaveAttentionRule,
        Op::QaInsights,
        Op::Audit,
        Op::PlaceCall,
        Op::CallStatus,
        Op::CallStatusByNumber,
        Op::UpdateCallStatus,
        Op::Conversations,
        Op::RevealTexts,
        Op::Notes,
        Op::SearchTurns,
        Op::Presets,
        Op::SavePreset,
        Op::DeletePreset,
        Op::NoteHistory,
        Op::Recording,
        Op::RecordingLink,
        Op::ClinkRead,
        Op::ClinkManage,
        Op::DeadLetters,
        Op::ReplayDeadLetter,
        Op::DiscardDeadLetter,
        Op::Live,
        Op::Webhook,
    ];

    pub fn access(self) -> Access {
        use Op::*;
        match self {
            Health | OpenApi | DemoSession | Webhook => Access::Public,
            // Acting on a case is mediation work: mediators, and supervisors stepping in.
            Takeover | Agreement | StartOcr | PlaceCall | UpdateCallStatus | AddCaseNote | CompleteCaseNote | AckAttention => Access::Roles(WORKERS),
            // The whole team's trail, raw note versions and asking by number: those who oversee.
            Audit | NoteHistory | CallStatusByNumber | RevealTexts | AssignAttention | QaInsights => Access::Roles(OVERSEERS),
            ClinkManage | DeadLetters | ReplayDeadLetter | DiscardDeadLetter | SaveAttentionRule => Access::Roles(ADMINS),
            Session | Board | Attention | AttentionRules | OcrState | CaseAudit | CaseNotes | Reminders | CallStatus | Conversations | Notes | SearchTurns | Presets | SavePreset | DeletePreset | Recording | RecordingLink | ClinkRead | Live => {
                Access::Signed
            }
        }
    }

    /// Method and path as the README and the OpenAPI document write them.
    pub fn route(self) -> (&'static str, &'static str) {
        use Op::*;
        match self {
            Health => ("GET", "/api/health"),
            OpenApi => ("GET", "/api/openapi.json"),
            Session => ("GET", "/api/session"),
            DemoSession => ("POST", "/api/demo/session"),
            Board => ("GET", "/api/board"),
            Takeover => ("POST", "/api/cases/{caseId}/takeover"),
            Agreement => ("POST", "/api/cases/{caseId}/agreement"),
            StartOcr => ("POST", "/api/cases/{caseId}/ocr"),
            OcrState => ("GET", "/api/cases/{caseId}/ocr"),
            CaseAudit => ("GET", "/api/cases/{caseId}/audit"),
            CaseNotes => ("GET", "/api/cases/{caseId}/notes"),
            AddCaseNote => ("POST", "/api/cases/{caseId}/notes"),
            CompleteCaseNote => ("POST", "/api/cases/{caseId}/notes/{id}/done"),
            Reminders => ("GET", "/api/reminders"),
            Attention => ("GET", "/api/attention"),
            AckAttention => ("POST", "/api/attention/{id}/ack"),
            AssignAttention => ("POST", "/api/attention/{id}/assign"),
            AttentionRules => ("GET", "/api/attention/rules"),
            SaveAttentionRule => ("PUT", "/api/attention/rules/{id}"),
            QaInsights => ("GET", "/api/insights/qa"),
            Audit => ("GET", "/api/audit"),
            PlaceCall => ("POST", "/api/calls"),
            CallStatus => ("GET", "/api/calls/status?caseRef=…, ?jobId=…"),
            CallStatusByNumber => ("GET", "/api/calls/status?phoneNumber=…"),
            UpdateCallStatus => ("POST", "/api/calls/{jobId}/status"),
            Conversations => ("GET", "/api/conversations"),
            RevealTexts => ("GET", "/api/conversations?jobId=…&reveal=1"),
            Notes => ("GET", "/api/notes"),
            SearchTurns => ("GET", "/api/search"),
            Presets => ("GET", "/api/presets"),
            SavePreset => ("POST", "/api/presets"),
            DeletePreset => ("DELETE", "/api/presets/{id}"),
            NoteHistory => ("GET", "/api/notes/history"),
            Recording => ("GET", "/api/recordings/{jobId}"),
            RecordingLink => ("GET", "/api/recordings/{jobId}/link"),
            ClinkRead => ("GET, POST", "/api/clink/{path}"),
            ClinkManage => ("GET, POST", "/api/clink/{path}"),
            DeadLetters => ("GET", "/api/admin/dead-letters"),
            ReplayDeadLetter => ("POST", "/api/admin/dead-letters/{id}/replay"),
            DiscardDeadLetter => ("POST", "/api/admin/dead-letters/{id}/discard"),
            Live => ("GET", "/api/live"),
            Webhook => ("POST", "/webhooks/note-agent/{token}"),
        }
    }

    /// What the route is, where the path alone does not say.
    pub fn note(self) -> &'static str {
        match self {
            Op::ClinkRead => " — search, chat, conversations, media URLs",
            Op::ClinkManage => " — knowledge-base management",
            Op::Live => " — WebSocket; the token in the first message",
            Op::Webhook => " — the secret token is the path",
            Op::DemoSession => " — sandbox only",
            Op::Recording => " — or a signed link without the token",
            Op::RevealTexts => " — one call's texts with personal data shown (audited)",
            Op::Attention => " — a mediator sees the cases assigned to or taken over by them",
            _ => "",
        }
    }

    /// Whether a signed-in `role` may call this.
    pub fn allows(self, role: &Role) -> bool {
        match self.access() {
            Access::Public | Access::Signed => role.is_known(),
            Access::Roles(roles) => roles.contains(role),
        }
    }
}

/// The methods a path answers (for `Allow` on a 405), from the table:
/// `{name}` matches one segment and `{path}` the rest.
pub fn allowed_methods(path: &str) -> Option<String> {
    let mut methods: Vec<&str> = vec![];
    for op in Op::ALL {
        let (method, pattern) = op.route();
        let pattern = pattern.split('?').next().unwrap_or_default();
        if route_matches(pattern, path) {
            for m in method.split(", ") {
                if !methods.contains(&m) {
                    methods.push(m);
                }
            }
        }
    }
    if methods.is_empty() {
        return None;
    }
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.push("OPTIONS");
    Some(methods.join(", "))
}

fn route_matches(pattern: &str, path: &str) -> bool {
    let mut want = pattern.trim_start_matches('/').split('/');
    let mut have = path.trim_start_matches('/').split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return true,
            (Some("{path}"), Some(seg)) => return !seg.is_empty(),
            (Some(w), Some(h)) if w.starts_with('{') && w.ends_with('}') => {
                if h.is_empty() {
                    return false;
                }
            }
            (Some(w), Some(h)) if w == h => {}
            _ => return false,
        }
    }
}

/// The table as Markdown rows (`| route | mediator | supervisor | admin |`), for the README.
pub fn markdown_table() -> String {
    let mut out = String::from("| route | mediator | supervisor | admin |\n| --- | --- | --- | --- |\n");
    for op in Op::ALL {
        let (method, path) = op.route();
        let cell = |r: Role| match op.access() {
            Access::Public => "anyone",
            _ if op.allows(&r) => "yes",
            _ => "—",
        };
        out.push_str(&format!("| `{method} {path}`{} | {} | {} | {} |\n", op.note(), cell(Role::Mediator), cell(Role::Supervisor), cell(Role::Admin)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gates_are_as_documented() {
        assert!(Op::Board.allows(&Role::Mediator));
        assert!(!Op::Audit.allows(&Role::Mediator) && Op::Audit.allows(&Role::Supervisor) && Op::Audit.allows(&Role::Admin));
        assert!(!Op::CallStatusByNumber.allows(&Role::Mediator));
        assert!(!Op::Takeover.allows(&Role::Admin) && Op::Takeover.allows(&Role::Supervisor));
        assert!(Op::DeadLetters.allows(&Role::Admin) && !Op::DeadLetters.allows(&Role::Supervisor));
        assert!(!Op::Board.allows(&Role::Other("root".into())), "an unknown role may do nothing");
        // Every operation is in ALL once.
        for op in Op::ALL {
            assert_eq!(Op::ALL.iter().filter(|o| **o == op).count(), 1, "{op:?}");
        }
    }

    #[test]
    fn a_405_says_what_the_path_answers() {
        assert_eq!(allowed_methods("/api/board").as_deref(), Some("GET, HEAD, OPTIONS"));
        assert_eq!(allowed_methods("/api/cases/C1/ocr").as_deref(), Some("POST, GET, HEAD, OPTIONS"));
        assert_eq!(allowed_methods("/api/clink/aikb/list_faqs").as_deref(), Some("GET, POST, HEAD, OPTIONS"));
        assert_eq!(allowed_methods("/api/calls/status").as_deref(), Some("GET, HEAD, OPTIONS"));
        assert_eq!(allowed_methods("/api/nope"), None);
        assert_eq!(allowed_methods("/api/cases//ocr"), None);
    }

    #[test]
    fn the_readme_table_is_the_table() {
        let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
        assert!(readme.contains(&markdown_table()), "README's role table differs from shared::wire::access; paste:\n{}", markdown_table());
    }
}
