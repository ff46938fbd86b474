//! Load states: one view for "loading", "could not load, retry" and the
//! loaded value, used by every screen that fetches.

use leptos::prelude::*;

use crate::i18n::*;
use crate::services::api::ApiFailure;

/// Shown where something could not be loaded, with a way to try again.
#[component]
pub fn LoadFailed(message: String, #[prop(into)] retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error" role="alert"><p>{message}</p>
            <button type="button" class="btn" on:click=move |_| retry.run(())>{tr!(i18n, retry)}</button></div>
    }
}


/// What a screen shows for a fetched value: loading, the error with a
/// retry, or `view(value)`.
pub fn loaded<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    resource: LocalResource<Result<T, ApiFailure>>,
    view: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    move || match resource.get() {
        None => leptos::view! { <p role="status">{tr!(i18n, loading)}</p> }.into_any(),
        Some(Err(e)) => leptos::view! { <LoadFailed message=e.to_string() retry=move |_| resource.refetch()/> }.into_any(),
        Some(Ok(value)) => view(value).into_any(),
    }
}
