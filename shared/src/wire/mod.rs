//! What crosses a boundary: upstream formats, the board's API, protocols.

pub mod access;
pub mod api;
pub mod attention;
pub mod audit;
pub mod board_body;
pub mod board_stream;
pub mod clink;
pub mod embed;
pub mod error;
pub mod followup;
pub mod insights;
pub mod media;
pub mod mediation;
pub mod note;
pub mod origins;
pub mod presets;
pub mod privacy;
pub mod search;
pub mod session;
pub mod url;
