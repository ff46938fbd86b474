//! The edge's masking of personal data (`shared::wire::privacy`) run over
//! every text the sandbox's cases hold: their calls' turns, agreements, facts
//! and files. What it masks is exactly the personal data they contain; the
//! amounts, dates and times around it stay.

use shared::wire::privacy::{mask_text, Kind};

#[test]
fn every_seeded_text_is_masked_only_where_it_holds_personal_data() {
    let seed = sandbox::seed::load();
    let mut texts: Vec<(String, String)> = vec![];
    for c in &seed.cases {
        texts.push((format!("{} facts", c.case_id), c.facts.clone()));
        if let Some(a) = &c.agreement {
            texts.push((format!("{} agreement", c.case_id), a.clone()));
        }
        for f in &c.files {
            texts.push((format!("{} file {}", c.case_id, f.file_id), f.text.clone()));
        }
        for call in &c.calls {
            for (i, t) in call.turns.iter().enumerate() {
                if let Some(s) = &t.script {
                    texts.push((format!("{} turn {i}", call.job_id), s.clone()));
                }
            }
        }
    }
    assert!(texts.len() > 200, "the seed has many texts ({})", texts.len());
    let mut masked = vec![];
    for (what, text) in &texts {
        let m = mask_text(text);
        if !m.found.is_empty() {
            masked.push((what.clone(), m.found.clone(), m.text.clone()));
        }
    }
    // The seed's personal data: the WeChat id in the agreement call of case
    // 202601301030001111 (and its agreement), nothing else.
    let kinds: Vec<Vec<Kind>> = masked.iter().map(|(_, k, _)| k.clone()).collect();
    assert!(!masked.is_empty() && kinds.iter().all(|k| k == &vec![Kind::WeChat]), "{masked:#?}");
    assert!(masked.iter().all(|(_, _, t)| t.contains("li********79")), "{masked:#?}");
}
