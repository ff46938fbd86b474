//! The mediation board (Leptos, client-side rendered). It talks only to the
//! edge and never holds a secret.

// The macro reads app/locales/*.json at compile time. (0.6 prefers a build.rs
// generator, which would pull ICU data export into the build; the macro does
// the same for our two plain locales.)
#[allow(deprecated)]
mod i18n_gen {
    leptos_i18n::load_locales!();
}
pub use i18n_gen::i18n;

pub mod api;
pub mod board;
pub mod shell;
