//! The sign-in screen of the standalone board: a demo user (sandbox
//! configuration), or a session token pasted from a portal.

use leptos::prelude::*;
use shared::wire::api::{DemoSession, DemoSessionRequest, SessionInfo};
use shared::wire::session::Role;

use crate::i18n::*;
use crate::services::api::Api;
use crate::services::session::{decode_claims, role_label, Session};

/// The sign-in screen of the standalone board.
#[component]
pub fn SignIn() -> impl IntoView {
    let i18n = use_i18n();
    let session = expect_context::<Session>();
    let api = Api::new(session);
    let (busy, set_busy) = signal(false);
    let (error, set_error) = signal(None::<String>);
    let token_input = RwSignal::new(String::new());

    let demo = move |user: &'static str, role: Role| {
        set_busy.set(true);
        set_error.set(None);
        leptos::task::spawn_local(async move {
            let request = DemoSessionRequest { user: Some(user.into()), role: Some(role), ..Default::default() };
            match api.post::<DemoSession, _>("/api/demo/session", &request).await {
                Ok(d) => session.sign_in(d.token, d.session),
                Err(e) => set_error.set(Some(e.to_string())),
            }
            set_busy.set(false);
        });
    };
    let with_token = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let token = token_input.get_untracked().trim().to_owned();
        match decode_claims(&token) {
            Some(info) => {
                set_busy.set(true);
                session.sign_in(token, info);
                leptos::task::spawn_local(async move {
                    if let Err(e) = api.get::<SessionInfo>("/api/session").await {
                        set_error.set(Some(e.to_string()));
                    }
                    set_busy.set(false);
                });
            }
            None => set_error.set(Some(t_string!(i18n, signin.token_invalid).to_string())),
        }
    };
    let demo_users: [(&'static str, &'static str, Role); 3] =
        [("zhangmin", "张敏", Role::Mediator), ("wanglei", "王磊", Role::Supervisor), ("admin", "管理员", Role::Admin)];

    view! {
        <main id="main" class="signin" aria-labelledby="signin-title">
            <h2 id="signin-title">{tr!(i18n, signin.heading)}</h2>
            {move || session.notice.get().map(|n| view! { <p class="notice" role="alert">{n}</p> })}
            <p>{tr!(i18n, signin.intro)}</p>
            <section aria-labelledby="demo-title">
                <h3 id="demo-title">{tr!(i18n, signin.demo_heading)}</h3>
                <div class="demo-users">
                    {demo_users.into_iter().map(|(user, name, role)| {
                        let label = role.clone();
                        view! {
                            <button type="button" class="btn" disabled=move || busy.get()
                                on:click=move |_| demo(user, role.clone())>
                                {t!(i18n, signin.demo_as, name = name, role = move || role_label(i18n, &label))}
                            </button>
                        }
                    }).collect_view()}
                </div>
            </section>
            <form on:submit=with_token class="token-form">
                <label for="token-input">{tr!(i18n, signin.token_label)}</label>
                <textarea id="token-input" rows="3" prop:value=move || token_input.get()
                    on:input=move |ev| token_input.set(event_target_value(&ev))></textarea>
                <button type="submit" class="btn" disabled=move || busy.get()>{tr!(i18n, signin.token_submit)}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </main>
    }
}
