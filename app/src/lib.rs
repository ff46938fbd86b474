//! The mediation board (Leptos, client-side rendered). It talks only to the
//! edge and never holds a secret.

pub mod api;
pub mod board;
pub mod shell;
