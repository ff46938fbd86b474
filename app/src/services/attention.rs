//! The attention queue the signed-in user may see (`GET /api/attention`,
//! scoped by the edge), shared by the header's count, the 待处理 screen and
//! the notices: read when signed in, and again whenever a live
//! `attention_changed` event arrives (or the live connection had a gap).

use leptos::prelude::*;
use shared::wire::api::EventKind;
use shared::wire::attention::AttentionList;

use crate::services::api::Api;
use crate::services::live::Live;
use crate::services::session::Session;

#[derive(Clone, Copy)]
pub struct Attention {
    /// The open entries (None until first read; an error keeps the last list).
    pub open: RwSignal<Option<AttentionList>>,
    pub error: RwSignal<Option<String>>,
    reload_pending: StoredValue<bool>,
    api: StoredValue<Option<Api>, LocalStorage>,
}

impl Attention {
    /// Reads once, a moment from now, however many events ask for it (a
    /// push of many records is an event per call).
    fn reload_soon(&self) {
        if self.reload_pending.get_value() {
            return;
        }
        self.reload_pending.set_value(true);
        let state = *self;
        set_timeout(
            move || {
                state.reload_pending.set_value(false);
                state.reload();
            },
            std::time::Duration::from_millis(300),
        );
    }

    pub fn reload(&self) {
        let Some(api) = self.api.get_value() else { return };
        let state = *self;
        leptos::task::spawn_local(async move {
            match api.get::<AttentionList>("/api/attention").await {
                Ok(list) => {
                    state.open.set(Some(list));
                    state.error.set(None);
                }
                Err(e) => state.error.set(Some(e.to_string())),
            }
        });
    }

    /// How many open entries, once read.
    pub fn count(&self) -> Option<i64> {
        self.open.with(|o| o.as_ref().map(|l| l.open))
    }
}

pub fn provide(session: Session, live: Live) -> Attention {
    let state = Attention { open: RwSignal::new(None), error: RwSignal::new(None), reload_pending: StoredValue::new(false), api: StoredValue::new_local(Some(Api::new(session))) };
    provide_context(state);
    crate::effect(move || {
        if session.token().is_some() && session.info.with_untracked(|i| i.is_some()) {
            state.reload();
        }
    });
    let seen = StoredValue::new(live.last_seq());
    crate::effect(move || {
        live.version.track();
        let mut changed = false;
        for e in live.since(seen.get_value()) {
            seen.set_value(e.seq);
            changed |= e.kind == EventKind::AttentionChanged;
        }
        if changed {
            state.reload_soon();
        }
    });
    crate::effect(move || {
        if live.gap.get() > 0 {
            state.reload();
        }
    });
    state
}
