//! The board's data, shared by every screen (the case page reads its case
//! here): loaded when signed in, patched by live events, polled while the
//! live connection is down.

use std::sync::Arc;

use leptos::prelude::*;
use shared::view::board::SearchIndex;
use shared::wire::api::{BoardResponse, EventKind};
use shared::wire::mediation::BoardRecord;

use crate::services::api::Api;
use crate::services::live::Live;
use crate::services::perf;
use crate::services::session::Session;


#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    Loading,
    Ready,
    Failed(String),
}

/// The board's data, shared by every screen (the case page reads its case here).
#[derive(Clone, Copy)]
pub struct BoardState {
    pub records: RwSignal<Arc<Vec<BoardRecord>>>,
    pub index: RwSignal<Arc<SearchIndex>>,
    pub load: RwSignal<Load>,
    reload_pending: StoredValue<bool>,
    api: StoredValue<Option<Api>, LocalStorage>,
}

impl BoardState {
    pub fn case(&self, case_id: &str) -> Option<BoardRecord> {
        self.records.with(|r| r.iter().find(|c| c.case_id == case_id).cloned())
    }

    /// Loads the board again.
    pub fn reload(&self) {
        let Some(api) = self.api.get_value() else { return };
        let state = *self;
        leptos::task::spawn_local(async move {
            match api.get_large::<BoardResponse>("/api/board").await {
                Ok(b) => state.set(b.into_cases()),
                Err(e) => {
                    // Keep showing what we have; only an empty board shows the error.
                    if state.records.with_untracked(|r| r.is_empty()) {
                        state.load.set(Load::Failed(e.to_string()));
                    }
                }
            }
            state.reload_pending.set_value(false);
        });
    }

    /// Reloads once, a moment from now, however many events ask for it.
    fn reload_soon(&self) {
        if self.reload_pending.get_value() {
            return;
        }
        self.reload_pending.set_value(true);
        let state = *self;
        set_timeout(move || state.reload(), std::time::Duration::from_millis(600));
    }

    pub fn set(&self, cases: Vec<BoardRecord>) {
        perf::mark("board-render:start");
        self.index.set(Arc::new(SearchIndex::new()));
        self.records.set(Arc::new(cases));
        self.load.set(Load::Ready);
        perf::measure_after_paint("board-render", "board-render:start");
        // Once the rows are painted: what a search reads, before the first keystroke.
        let state = *self;
        leptos::prelude::request_animation_frame(move || {
            leptos::prelude::set_timeout(
                move || {
                    let _ = state.index.try_with_untracked(|index| state.records.try_with_untracked(|records| index.warm(records)));
                },
                std::time::Duration::ZERO,
            );
        });
    }

    /// Applies a live event to the rows it concerns.
    fn apply_event(&self, event: &shared::wire::api::LiveEvent) {
        match event.kind {
            EventKind::BoardChanged | EventKind::CallStatusChanged | EventKind::Takeover => {
                let Some(case_id) = &event.case_id else {
                    self.reload_soon();
                    return;
                };
                // Stage, status or times may change, and with them the sort orders.
                self.index.update(|index| Arc::make_mut(index).records_changed());
                self.records.update(|records| {
                    let records = Arc::make_mut(records);
                    if let Some(r) = records.iter_mut().find(|r| &r.case_id == case_id) {
                        event.data.apply(r, event.job_id.as_deref());
                        r.update_time = shared::time::format_shanghai(event.at);
                    }
                });
            }
            EventKind::CallPlaced | EventKind::AgreementGenerated => self.reload_soon(),
            // A new QA total of the case's latest inspected call (the QA column).
            EventKind::NoteStored => {
                let (Some(case_id), Some(_)) = (&event.case_id, event.data.qa_percent) else { return };
                // The QA filter reads it: a search as typed starts again from every case.
                self.index.update(|index| Arc::make_mut(index).values_changed());
                self.records.update(|records| {
                    if let Some(r) = Arc::make_mut(records).iter_mut().find(|r| &r.case_id == case_id) {
                        event.data.apply(r, None);
                    }
                });
            }
            EventKind::OcrStarted | EventKind::AttentionChanged => {}
        }
    }
}

/// Creates the board state, loads it when signed in, follows live events,
/// and polls while the live connection is down.
pub fn provide(session: Session, live: Live) -> BoardState {
    let state = BoardState {
        records: RwSignal::new(Arc::new(vec![])),
        index: RwSignal::new(Arc::new(SearchIndex::default())),
        load: RwSignal::new(Load::Loading),
        reload_pending: StoredValue::new(false),
        api: StoredValue::new_local(Some(Api::new(session))),
    };
    provide_context(state);
    crate::effect(move || {
        if session.token().is_some() && session.info.with_untracked(|i| i.is_some()) {
            state.reload();
        }
    });
    let seen = StoredValue::new(0i64);
    crate::effect(move || {
        live.version.track();
        for event in live.since(seen.get_value()) {
            seen.set_value(event.seq);
            state.apply_event(&event);
        }
    });
    crate::effect(move || {
        if live.gap.get() > 0 {
            state.reload();
        }
    });
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if !live.is_open() && session.token_untracked().is_some() {
                state.reload();
            }
        },
        std::time::Duration::from_secs(20),
    ) {
        on_cleanup(move || handle.clear());
    }
    state
}

