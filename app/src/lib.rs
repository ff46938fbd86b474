//! The mediation board (Leptos, client-side rendered). It talks only to the
//! edge, with the session token, and never holds a secret.

/// `Effect::new` for effects that do not use their previous run: boxed, so
/// the effect machinery is compiled once for all of them instead of once per
/// closure (about 1 KB of wasm each).
pub fn effect(f: impl Fn() + 'static) {
    let f: Box<dyn Fn()> = Box::new(f);
    leptos::prelude::Effect::new(move |_| f());
}

/// An effect that runs once, after the effects created before it (used where
/// the order against a library's own effect matters).
pub fn effect_once(f: impl FnOnce() + 'static) {
    let f = std::cell::Cell::new(Some(f));
    effect(move || {
        if let Some(f) = f.take() {
            f();
        }
    });
}

/// A computed string as a signal (same reason as [`i18n::label`]).
pub fn string_signal(f: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::Signal<String> {
    leptos::prelude::Signal::derive(f)
}

pub mod i18n;
pub mod screens;
pub mod services;
pub mod shell;
pub mod widgets;
