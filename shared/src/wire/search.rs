//! Searching what was said: the edge keeps each finished call's turns (their
//! personal data already masked) in a D1 FTS5 table, and answers
//! `GET /api/search?q=` from it.
//!
//! Chinese has no spaces between words, so the text is indexed as
//! overlapping pairs of characters ("还没收到" → "还没 没收 收到") beside the
//! plain words of Latin letters and digits, and a query becomes the phrase of
//! its own pairs: any run of two or more characters is found, in one index
//! lookup (FTS5's trigram tokenizer cannot find "分期", two characters).
//! The index only proposes turns: each is kept only when its text really
//! contains every term, which is also where the highlights come from.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// Shortest and longest query, in characters.
pub const MIN_QUERY: usize = 2;
pub const MAX_QUERY: usize = 50;
/// Most hits in one answer.
pub const MAX_HITS: usize = 50;
/// Characters of context shown before a turn's first hit, and the most shown in all.
const BEFORE: usize = 16;
const SNIPPET: usize = 80;

/// One turn that matched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    pub case_id: String,
    pub job_id: String,
    /// The turn's place in the call (its index in the call's turns).
    pub turn: usize,
    /// `Robot` or `Contact`, as the backend names them.
    pub speaker: String,
    /// ms since the epoch.
    pub at: i64,
    /// The part of the turn's text around the hits (masked like every text).
    pub snippet: String,
    /// Where the terms are in `snippet`: `[start, end)` in characters, in order.
    pub marks: Vec<[usize; 2]>,
}

/// `GET /api/search` answer, newest turn first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// More turns matched than [`MAX_HITS`].
    pub more: bool,
}

/// A query read: its terms (lowercased) and the FTS5 expression for them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<String>,
    pub fts: String,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

/// Full-width letters and digits read as their ASCII forms, lowercased.
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

/// The tokens of a text: pairs of adjacent CJK characters (a lone one
/// stands alone) and words of other letters and digits.
fn tokens(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().map(fold).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_cjk(c) {
            let start = i;
            while i < chars.len() && is_cjk(chars[i]) {
                i += 1;
            }
            if i - start == 1 {
                out.push(c.to_string());
            }
            for pair in chars[start..i].windows(2) {
                out.push(pair.iter().collect());
            }
        } else if is_word(c) {
            let start = i;
            while i < chars.len() && is_word(chars[i]) {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else {
            i += 1;
        }
    }
    out
}

/// What the index stores for a turn's text: its tokens, space-separated
/// (for FTS5's `unicode61` tokenizer, which then splits on the spaces).
pub fn index_terms(text: &str) -> String {
    tokens(text).join(" ")
}

/// Reads `q`: whitespace-separated terms, all of which must occur.
pub fn read_query(q: &str) -> Result<Query, FieldError> {
    let q = q.trim();
    let n = q.chars().count();
    if n < MIN_QUERY {
        return Err(FieldError::new("q", format!("must be at least {MIN_QUERY} characters")));
    }
    if n > MAX_QUERY {
        return Err(FieldError::new("q", format!("must be at most {MAX_QUERY} characters")));
    }
    let mut terms = Vec::new();
    let mut phrases = Vec::new();
    for term in q.split_whitespace() {
        let tokens = tokens(term);
        if tokens.is_empty() {
            continue;
        }
        // Tokens hold only letters and digits, so quoting them is safe.
        phrases.push(format!("\"{}\"", tokens.join(" ")));
        terms.push(term.trim_matches(|c: char| !c.is_alphanumeric()).chars().map(fold).collect::<String>());
    }
    if phrases.is_empty() {
        return Err(FieldError::new("q", "must contain letters, digits or Chinese characters"));
    }
    Ok(Query { terms, fts: phrases.join(" AND ") })
}

/// The snippet of `text` around its first hit and where every term is in
/// it; `None` when the text does not contain every term (the index's pairs
/// matched, the words did not).
pub fn snippet(text: &str, terms: &[String]) -> Option<(String, Vec<[usize; 2]>)> {
    let chars: Vec<char> = text.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
    let mut marks: Vec<[usize; 2]> = Vec::new();
    for term in terms {
        let t: Vec<char> = term.chars().collect();
        let found: Vec<usize> = (0..folded.len().saturating_sub(t.len() - 1)).filter(|&i| folded[i..i + t.len()] == t[..]).collect();
        if found.is_empty() {
            return None;
        }
        marks.extend(found.into_iter().map(|i| [i, i + t.len()]));
    }
    marks.sort();
    // Overlapping hits (one term inside another) become one mark.
    let mut merged: Vec<[usize; 2]> = Vec::new();
    for m in marks {
        match merged.last_mut() {
            Some(last) if m[0] <= last[1] => last[1] = last[1].max(m[1]),
            _ => merged.push(m),
        }
    }
    let start = merged[0][0].saturating_sub(BEFORE);
    let end = (start + SNIPPET).min(chars.len());
    let mut snippet: String = chars[start..end].iter().collect();
    let shift = if start > 0 { 1 } else { 0 };
    if start > 0 {
        snippet.insert(0, '…');
    }
    if end < chars.len() {
        snippet.push('…');
    }
    let marks = merged
        .into_iter()
        .filter(|m| m[0] >= start && m[1] <= end)
        .map(|m| [m[0] - start + shift, m[1] - start + shift])
        .collect();
    Some((snippet, marks))
}

/// What a script turn says, without markdown's marks: the text the index keeps.
pub fn plain_text(script: &str) -> String {
    script.chars().filter(|c| !matches!(c, '*' | '#' | '`' | '>')).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_as_pairs_and_words_as_words() {
        assert_eq!(index_terms("还没收到,分期OK 14160元"), "还没 没收 收到 分期 ok 14160 元");
        assert_eq!(index_terms("好"), "好");
        assert_eq!(index_terms("ＡＢ１２ 微信号liusujie7879"), "ab12 微信 信号 liusujie7879");
    }

    #[test]
    fn a_query_is_the_phrase_of_its_pairs() {
        let q = read_query(" 还没收到 ").unwrap();
        assert_eq!(q.fts, "\"还没 没收 收到\"");
        assert_eq!(q.terms, vec!["还没收到"]);
        assert_eq!(read_query("“还没收到!”").unwrap().terms, vec!["还没收到"]);
        assert_eq!(read_query("分期").unwrap().fts, "\"分期\"");
        assert_eq!(read_query("刘素洁 分期").unwrap().fts, "\"刘素 素洁\" AND \"分期\"");
        // FTS5's own syntax is never passed through.
        assert_eq!(read_query("a\" OR b*").unwrap().fts, "\"a\" AND \"or\" AND \"b\"");
    }

    #[test]
    fn bad_queries_name_the_field() {
        for q in ["", " 好 ", "!!", &"长".repeat(51)] {
            let e = read_query(q).unwrap_err();
            assert_eq!(e.field, "q", "{q}");
        }
        assert!(read_query("?!").unwrap_err().problem.contains("letters"));
    }

    #[test]
    fn a_snippet_marks_every_term_and_drops_false_matches() {
        let terms = read_query("收到").unwrap().terms;
        let (s, marks) = snippet("我还没收到钱,收到了再说", &terms).unwrap();
        assert_eq!(s, "我还没收到钱,收到了再说");
        assert_eq!(marks, vec![[3, 5], [7, 9]]);
        // The pairs of "还没收到" are in "还没 没收 收到" but the phrase is not.
        assert_eq!(snippet("还没, 没收,收到", &read_query("还没收到").unwrap().terms), None);
        // Latin letters fold; full-width digits too.
        let (s, marks) = snippet("账号ＯＫ123", &read_query("ok1").unwrap().terms).unwrap();
        assert_eq!((s.as_str(), marks), ("账号ＯＫ123", vec![[2, 5]]));
    }

    #[test]
    fn a_long_turn_is_cut_around_its_first_hit() {
        let text = format!("{}分期付款{}", "前".repeat(40), "后".repeat(100));
        let (s, marks) = snippet(&text, &read_query("分期").unwrap().terms).unwrap();
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert_eq!(s.chars().count(), SNIPPET + 2);
        assert_eq!(marks, vec![[BEFORE + 1, BEFORE + 3]]);
        let chars: Vec<char> = s.chars().collect();
        assert_eq!(chars[marks[0][0]..marks[0][1]].iter().collect::<String>(), "分期");
    }

    #[test]
    fn markdown_marks_are_not_indexed() {
        assert_eq!(plain_text("**第一期** 于 `3月16日` 前"), "第一期 于 3月16日 前");
    }
}
