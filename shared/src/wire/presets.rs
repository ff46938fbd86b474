//! Saved board filters ("今天未接通", "待回访"), each user's own, kept by the
//! edge in D1. A preset is a name and the board's query string
//! (`shared::view::board::BoardFilter::to_query`, which the edge writes it through).

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Longest preset name, in characters, and longest query, in bytes.
pub const MAX_NAME: usize = 30;
pub const MAX_QUERY: usize = 1000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterPreset {
    pub id: i64,
    pub name: String,
    /// The board's query string, without `?` (may be empty: the whole board).
    pub query: String,
    /// ms since the epoch.
    pub created_at: i64,
}

/// `POST /api/presets` body; a preset of the same name is replaced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPreset {
    pub name: String,
    #[serde(default)]
    pub query: String,
}

impl NewPreset {
    pub fn validate(&self) -> Result<(), FieldError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(FieldError::new("name", "must not be empty"));
        }
        if name.chars().count() > MAX_NAME {
            return Err(FieldError::new("name", format!("must be at most {MAX_NAME} characters")));
        }
        if self.query.len() > MAX_QUERY {
            return Err(FieldError::new("query", format!("must be at most {MAX_QUERY} bytes")));
        }
        Ok(())
    }
}

/// `GET /api/presets` answer: the caller's presets, by name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presets {
    pub presets: Vec<FilterPreset>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preset_needs_a_short_name_and_a_bounded_query() {
        let p = |name: &str, query: &str| NewPreset { name: name.into(), query: query.into() };
        assert_eq!(p("今天未接通", "status=NoAnswer").validate(), Ok(()));
        assert_eq!(p("全部", "").validate(), Ok(()));
        assert_eq!(p(&"名".repeat(30), "").validate(), Ok(()));
        assert_eq!(p("  ", "").validate().unwrap_err().field, "name");
        assert_eq!(p(&"名".repeat(31), "").validate().unwrap_err().field, "name");
        assert_eq!(p("x", &"q".repeat(1001)).validate().unwrap_err().field, "query");
    }
}
