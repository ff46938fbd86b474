//! Renders robot scripts (markdown) as elements built node by node from
//! `shared::markdown`: text is always text, never parsed as HTML.

use leptos::prelude::*;
use shared::markdown::{parse, Block, Inline};

#[component]
pub fn Markdown(#[prop(into)] text: String) -> impl IntoView {
    parse(&text).into_iter().map(block).collect_view()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Heading { level, content } => match level {
            1 => view! { <h3 class="md-h">{inlines(content)}</h3> }.into_any(),
            2 => view! { <h4 class="md-h">{inlines(content)}</h4> }.into_any(),
            _ => view! { <h5 class="md-h">{inlines(content)}</h5> }.into_any(),
        },
        Block::Paragraph(content) => view! { <p>{inlines(content)}</p> }.into_any(),
        Block::List { ordered: true, start, items } => view! {
            <ol start=start>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ol>
        }
        .into_any(),
        Block::List { ordered: false, items, .. } => view! {
            <ul>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ul>
        }
        .into_any(),
    }
}

fn inlines(content: Vec<Inline>) -> AnyView {
    content
        .into_iter()
        .map(|i| match i {
            Inline::Text(t) => t.into_any(),
            Inline::Strong(c) => view! { <strong>{inlines(c)}</strong> }.into_any(),
            Inline::Emphasis(c) => view! { <em>{inlines(c)}</em> }.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::LineBreak => view! { <br/> }.into_any(),
        })
        .collect_view()
        .into_any()
}
