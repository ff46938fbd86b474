//! 待处理 / Needs attention: the cases where a person must step in, most
//! urgent first, each with the reason, its case and the call that is the
//! evidence; acknowledge with a note (mediators, supervisors), assign the
//! case to a mediator (supervisors, admins); and the rules, which admins
//! edit. The markup is `shared::view::render::attention`.

use leptos::prelude::*;
use shared::view::render::attention::{queue_html, rules_html, team_html};
use shared::view::team::team_rows;
use shared::view::render::{ATTENTION_ACK, ATTENTION_ASSIGN, RULE_SAVE};
use shared::wire::access::Op;
use shared::wire::attention::{Acknowledge, Assign, AttentionEntry, AttentionList, Rule, Rules, Severity};
use shared::wire::session::Role;

use crate::i18n::*;
use crate::services::api::use_api;
use crate::services::attention::Attention;
use crate::services::board_data::BoardState;
use crate::services::session::Session;
use crate::widgets::markup::{by_id, checked, clicked, ctx, value_of};

#[component]
pub fn AttentionPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let queue = expect_context::<Attention>();
    let board = expect_context::<BoardState>();
    let session = expect_context::<Session>();
    let role = move || session.info.with(|i| i.as_ref().map(|i| i.role.clone()).unwrap_or(Role::Other(String::new())));
    // Showing the handled entries instead of the open ones.
    let handled = RwSignal::new(false);
    let acked = RwSignal::new(None::<Result<Vec<AttentionEntry>, String>>);
    let said = RwSignal::new(String::new());
    let rules = RwSignal::new(None::<Result<Vec<Rule>, String>>);
    let load_acked = move || {
        leptos::task::spawn_local(async move {
            acked.set(Some(api.get::<AttentionList>("/api/attention?state=acked").await.map(|l| l.entries).map_err(|e| e.to_string())));
        });
    };
    leptos::task::spawn_local(async move {
        rules.set(Some(api.get::<Rules>("/api/attention/rules").await.map(|r| r.rules).map_err(|e| e.to_string())));
    });
    // An entry handled elsewhere moves between the lists as the queue changes.
    crate::effect(move || {
        queue.open.track();
        if handled.get_untracked() {
            load_acked();
        }
    });
    // Acknowledge (`ack`: the note) or assign (the assignee) one entry.
    let act = move |id: String, ack: bool| {
        said.set(t_string!(i18n, attention.working).to_owned());
        leptos::task::spawn_local(async move {
            let result = if ack {
                api.post::<AttentionEntry, _>(&format!("/api/attention/{id}/ack"), &Acknowledge { note: value_of(&format!("ack-note-{id}")) }).await
            } else {
                api.post::<AttentionEntry, _>(&format!("/api/attention/{id}/assign"), &Assign { assignee: value_of(&format!("assignee-{id}")) }).await
            };
            match result {
                Ok(_) => {
                    said.set(t_string!(i18n, attention.done).to_owned());
                    queue.reload();
                }
                Err(e) => said.set(format!("{}{e}", t_string!(i18n, attention.failed))),
            }
        });
    };
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(id) = clicked(&ev, ATTENTION_ACK.selector).and_then(|b| b.get_attribute(ATTENTION_ACK.attr)) {
            act(id, true);
        } else if let Some(id) = clicked(&ev, ATTENTION_ASSIGN.selector).and_then(|b| b.get_attribute(ATTENTION_ASSIGN.attr)) {
            act(id, false);
        }
    };
    let save_rule = move |ev: leptos::ev::MouseEvent| {
        let Some(id) = clicked(&ev, RULE_SAVE.selector).and_then(|b| b.get_attribute(RULE_SAVE.attr)) else { return };
        let Some(mut rule) = rules.with_untracked(|r| r.as_ref().and_then(|r| r.as_ref().ok()).and_then(|r| r.iter().find(|x| x.id == id).cloned())) else { return };
        let field = |what: &str| format!("rule-{id}-{what}");
        rule.name = value_of(&field("name"));
        rule.severity = Severity::parse(&value_of(&field("severity")));
        rule.enabled = checked(&field("enabled"));
        if by_id(&field("percent")).is_some() {
            // Not a whole number: sent as -1, which the edge refuses by field.
            rule.condition.percent = Some(value_of(&field("percent")).trim().parse::<i64>().unwrap_or(-1));
        }
        if by_id(&field("count")).is_some() {
            rule.condition.count = Some(value_of(&field("count")).trim().parse::<i64>().unwrap_or(-1));
        }
        if by_id(&field("values")).is_some() {
            rule.condition.values = value_of(&field("values")).split([',', ',', '、']).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
        }
        said.set(t_string!(i18n, attention.working).to_owned());
        leptos::task::spawn_local(async move {
            match api.put::<Rule, _>(&format!("/api/attention/rules/{id}"), &rule).await {
                Ok(saved) => {
                    said.set(shared::view::labels::fill(t_string!(i18n, attention.rule_saved), &[("name", &saved.name)]));
                    rules.update(|r| {
                        if let Some(Ok(list)) = r {
                            if let Some(old) = list.iter_mut().find(|x| x.id == saved.id) {
                                *old = saved;
                            }
                        }
                    });
                }
                Err(e) => said.set(format!("{}{e}", t_string!(i18n, attention.failed))),
            }
        });
    };
    let show = move |acked_list: bool| {
        handled.set(acked_list);
        if acked_list {
            load_acked();
        }
    };
    let list_html = move || {
        let r = role();
        let (can_ack, can_assign) = (Op::AckAttention.allows(&r), Op::AssignAttention.allows(&r));
        let name = |c: &str| board.case(c).map(|b| b.case_name);
        if handled.get() {
            return acked.with(|a| match a {
                None => String::new(),
                Some(Ok(list)) if list.is_empty() => shared::view::html::Html::empty(i18n.strings().attention.none_acked),
                Some(Ok(list)) => queue_html(ctx(i18n), list, false, false, name),
                Some(Err(e)) => shared::view::html::Html::empty(e),
            });
        }
        queue.open.with(|o| match o {
            None => shared::view::html::Html::empty(i18n.strings().attention.loading),
            Some(list) => queue_html(ctx(i18n), &list.entries, can_ack, can_assign, name),
        })
    };
    view! {
        <section class="attention" aria-labelledby="attention-title">
            <h2 id="attention-title">
                {tr!(i18n, attention.heading)}" "
                <span class="badge" id="attention-open">{move || queue.count().map(|n| shared::view::labels::fill(t_string!(i18n, attention.open_count), &[("n", &n.to_string())]))}</span>
            </h2>
            <div class="toolbar" role="group" aria-label=move || t_string!(i18n, attention.show)>
                <button type="button" class="btn ghost" id="attention-show-open" aria-pressed=move || (!handled.get()).to_string() on:click=move |_| show(false)>{tr!(i18n, attention.show_open)}</button>
                <button type="button" class="btn ghost" id="attention-show-acked" aria-pressed=move || handled.get().to_string() on:click=move |_| show(true)>{tr!(i18n, attention.show_acked)}</button>
            </div>
            <p role="status" id="attention-status">{move || said.get()}</p>
            {move || queue.error.get().map(|e| view! { <p class="error" role="alert">{t_string!(i18n, attention.error)}{e}</p> })}
            <div id="attention-list" on:click=on_click inner_html=list_html></div>
            {move || Op::AssignAttention.allows(&role()).then(|| view! {
                <h3 id="team-title">{tr!(i18n, attention.team_heading)}</h3>
                <div id="attention-team" inner_html=move || queue.open.with(|o| {
                    let entries = o.as_ref().map(|l| l.entries.as_slice()).unwrap_or_default();
                    board.records.with(|r| team_html(i18n.strings(), &team_rows(r, entries, &crate::widgets::followups::today())))
                })></div>
            })}
            <h3 id="rules-title">{tr!(i18n, attention.rules_heading)}</h3>
            <p class="muted">{tr!(i18n, attention.rules_note)}</p>
            <div id="attention-rules" on:click=save_rule inner_html=move || rules.with(|r| match r {
                None => String::new(),
                Some(Ok(list)) => rules_html(i18n.strings(), list, Op::SaveAttentionRule.allows(&role())),
                Some(Err(e)) => shared::view::html::Html::empty(e),
            })></div>
        </section>
    }
}
