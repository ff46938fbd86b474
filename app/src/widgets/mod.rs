//! Pieces the screens are made of: dialogs, load states, the case actions,
//! note results, the knowledge panel, and the glue that puts the HTML of
//! `shared::view::render` into the page.

pub mod actions;
pub mod bulk;
pub mod dialog;
pub mod followups;
pub mod knowledge;
pub mod load;
pub mod markup;
pub mod notes;
pub mod notices;
pub mod pager;
pub mod presets;
pub mod turn_search;
