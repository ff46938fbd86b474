//! The board's view logic, tested natively: the app renders what these build.

pub mod board;
pub mod chart;
pub mod html;
pub mod knowledge;
pub mod labels;
pub mod markdown;
pub mod notify;
pub mod route;
pub mod team;
pub mod render;
