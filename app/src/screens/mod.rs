//! One file per route: what a user sees at each address.

pub mod attention;
pub mod audit;
pub mod board;
pub mod case;
pub mod dead_letters;
pub mod insights;
pub mod kb_admin;
pub mod on_demand;
pub mod sign_in;
pub mod transcript;
