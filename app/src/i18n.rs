//! The board's two languages (Chinese first, English one click away): the
//! label tables of `shared::view::labels`, the current locale as a context
//! signal, and the macros the screens use
//! (`t!`, `t_string!`, `tr!`).
//!
//! Hand-written rather than `leptos_i18n`, for the bundle budget: the library
//! (with its ICU locale parsing and browser-language detection, which the
//! board does not use: it starts in Chinese and remembers the user's choice)
//! cost 22 KB of the gzipped bundle (docs/benchmarks.md). What is left
//! here is a field read per label and one `{{ name }}` filler.

use leptos::prelude::*;

pub use shared::view::labels::{Locale, Strings};

/// The current locale, shared by every screen.
#[derive(Clone, Copy)]
pub struct I18nContext {
    locale: RwSignal<Locale>,
}

impl I18nContext {
    pub fn get_locale(&self) -> Locale {
        self.locale.get()
    }

    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
    }

    /// The labels of the current locale (a reactive read).
    pub fn strings(&self) -> &'static Strings {
        self.get_locale().strings()
    }
}

pub fn use_i18n() -> I18nContext {
    expect_context()
}

/// Provides the locale (Chinese until the user or the host picks another) and
/// keeps `<html lang>` in step with it, for screen readers and fonts.
#[component]
pub fn I18nContextProvider(children: Children) -> impl IntoView {
    let context = I18nContext { locale: RwSignal::new(Locale::zh_CN) };
    provide_context(context);
    Effect::new(move |_| {
        let tag = context.locale.get().tag();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", tag);
        }
    });
    children()
}

/// A translated label as a signal. Every label has the same type and the same
/// signal code: the key becomes a plain `fn(Locale) -> &'static str`.
pub fn label(i18n: I18nContext, text: fn(Locale) -> &'static str) -> Signal<&'static str> {
    Signal::derive(move || text(i18n.get_locale()))
}

/// A value put into a label's `{{ name }}`: plain values, or closures read
/// each time the label renders (so the label follows their signals).
pub trait Arg {
    fn text(&self) -> String;
}

impl Arg for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl Arg for &str {
    fn text(&self) -> String {
        (*self).to_owned()
    }
}

impl<F: Fn() -> T, T: std::fmt::Display> Arg for F {
    fn text(&self) -> String {
        self().to_string()
    }
}

pub fn fill(template: &str, args: &[(&str, &dyn Arg)]) -> String {
    let values: Vec<(&str, String)> = args.iter().map(|(n, v)| (*n, v.text())).collect();
    let pairs: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    shared::view::labels::fill(template, &pairs)
}

/// The label in the current locale, read once: `t_string!(i18n, board.title)`.
macro_rules! t_string {
    ($i18n:expr, $($key:tt)+) => {
        $crate::i18n::Locale::strings($i18n.get_locale()).$($key)+
    };
}

/// A label that follows the locale, as a view: `t!(i18n, board.title)`, or
/// with values for its placeholders: `t!(i18n, board.shown, shown = …, total = …)`.
macro_rules! t {
    ($i18n:expr, $($key:ident).+) => {
        $crate::i18n::tr!($i18n, $($key).+)
    };
    ($i18n:expr, $($key:ident).+, $($name:ident = $value:expr),+ $(,)?) => {{
        let i18n = $i18n;
        $( let $name = $value; )+
        move || $crate::i18n::fill(
            $crate::i18n::Locale::strings(i18n.get_locale()).$($key).+,
            &[$( (stringify!($name), &$name as &dyn $crate::i18n::Arg) ),+],
        )
    }};
}

/// A label as a `Signal<&'static str>` (see [`label`]).
macro_rules! tr {
    ($i18n:expr, $($key:tt)+) => {
        $crate::i18n::label($i18n, |locale| $crate::i18n::Locale::strings(locale).$($key)+)
    };
}

pub(crate) use {t, t_string, tr};
