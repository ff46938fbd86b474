//! How many dead letters are open, for the header's link (admins only: the
//! edge refuses everyone else). Read once signed in; the 死信 screen sets it
//! again each time it reads the list.

use leptos::prelude::*;
use shared::wire::access::Op;
use shared::wire::api::DeadLettersResponse;

use crate::services::api::Api;
use crate::services::session::Session;

#[derive(Clone, Copy)]
pub struct DeadLetterCount(RwSignal<Option<usize>>);

impl DeadLetterCount {
    pub fn get(&self) -> Option<usize> {
        self.0.get()
    }

    pub fn set(&self, n: usize) {
        self.0.set(Some(n));
    }
}

pub fn provide(session: Session) {
    let count = DeadLetterCount(RwSignal::new(None));
    provide_context(count);
    let api = Api::new(session);
    let asked = StoredValue::new(false);
    crate::effect(move || {
        let admin = session.info.with(|i| i.as_ref().is_some_and(|i| Op::DeadLetters.allows(&i.role)));
        if !admin || asked.get_value() {
            return;
        }
        asked.set_value(true);
        leptos::task::spawn_local(async move {
            if let Ok(r) = api.get::<DeadLettersResponse>("/api/admin/dead-letters").await {
                count.set(r.dead_letters.len());
            }
        });
    });
}
