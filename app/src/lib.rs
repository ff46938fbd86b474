//! The mediation board (Leptos, client-side rendered). It talks only to the
//! edge, with the session token, and never holds a secret.

// The macro reads app/locales/*.json at compile time. (0.6 prefers a build.rs
// generator, which would pull ICU data export into the build; the macro does
// the same for our two plain locales.)
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

/// A translated label as a signal. Every label then has the same type,
/// `Signal<&'static str>`, and the same signal code: the key becomes a plain
/// `fn(Locale) -> &'static str`, so the ~130 labels of the board share one
/// derived signal instead of compiling one each (which keeps the wasm small).
#[macro_export]
macro_rules! tr {
    ($i18n:expr, $($key:tt)+) => {
        $crate::label($i18n, |locale| td_string!(locale, $($key)+))
    };
}

pub fn label(i18n: leptos_i18n::I18nContext<i18n::Locale>, text: fn(i18n::Locale) -> &'static str) -> leptos::prelude::Signal<&'static str> {
    leptos::prelude::Signal::derive(move || text(i18n.get_locale()))
}

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

/// A computed string as a signal (same reason as [`tr!`]).
pub fn string_signal(f: impl Fn() -> String + Send + Sync + 'static) -> leptos::prelude::Signal<String> {
    leptos::prelude::Signal::derive(f)
}

pub mod screens;
pub mod services;
pub mod shell;
pub mod widgets;
