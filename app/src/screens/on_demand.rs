//! The screens a mediator does not need to see the board (and the admins'),
//! and the knowledge panel (opened from the header): each is its own
//! wasm module in the release build, fetched the first time it opens, so
//! what loads first is the board alone (docs/benchmarks.md has both sizes).
//!
//! With the `split` feature (scripts/app-wasm.sh builds with it) each screen
//! is a split point of `wasm_split` (what Leptos's `#[lazy]` uses, here with
//! `fallible` so that a module that cannot be fetched is a message with a
//! retry, not an abort); `tools/wasm-split-step` cuts the linked wasm there.
//! Without the feature (tests, `cargo check`) they are plain async functions.

use leptos::prelude::*;

use crate::i18n::*;

/// A screen's module could not be fetched.
#[derive(Debug)]
pub struct LoadFailed;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for LoadFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        LoadFailed
    }
}

macro_rules! on_demand {
    ($($name:ident => $screen:path;)*) => {$(
        // Built untracked: it runs inside the `Suspend`, which would otherwise
        // build the whole screen again whenever a signal its setup read changed.
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($name, wasm_split_path = ::leptos::wasm_split, fallible)]
        pub fn $name() -> Result<AnyView, LoadFailed> {
            Ok(untrack(|| view! { <$screen/> }.into_any()))
        }

        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<AnyView, LoadFailed> {
            Ok(untrack(|| view! { <$screen/> }.into_any()))
        }
    )*};
}

on_demand! {
    case_screen => super::case::CasePage;
    transcript_screen => super::transcript::TranscriptPage;
    attention_screen => super::attention::AttentionPage;
    insights_screen => super::insights::InsightsPage;
    dead_letters_screen => super::dead_letters::DeadLettersPage;
    audit_screen => super::audit::AuditPage;
    kb_admin_screen => super::kb_admin::KbAdminPage;
    knowledge_panel => crate::widgets::knowledge::KnowledgePanel;
}

/// Shows what `load` brings once its module is here: "加载中…" until then, a
/// message and a retry button if it could not be fetched.
pub fn screen<F>(load: fn() -> F) -> AnyView
where
    F: std::future::Future<Output = Result<AnyView, LoadFailed>> + 'static,
{
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    view! {
        // A Transition, not a Suspense: the screen's own resources reloading
        // (a case's calls after a call is placed) must not swap it out for
        // the fallback and back, which takes its open dialog out of the page.
        <Transition fallback=move || view! { <p class="loading" role="status" aria-busy="true">{tr!(i18n, loading)}</p> }>
            {move || {
                attempt.track();
                Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match load().await {
                        Ok(view) => view,
                        Err(LoadFailed) => view! {
                            <div class="error" role="alert">
                                <p>{tr!(i18n, screen_failed)}</p>
                                <button type="button" class="btn" on:click=move |_| attempt.update(|n| *n += 1)>{tr!(i18n, retry)}</button>
                            </div>
                        }.into_any(),
                    }
                }))
            }}
        </Transition>
    }
    .into_any()
}
