//! What a search over calls found: each turn as a link that opens its
//! transcript at that turn, with the words found marked (everything escaped:
//! a turn is what someone said).

use crate::view::html::Html;
use crate::view::labels::fill;
use crate::view::route::Page;
use crate::wire::search::{SearchResults, MAX_QUERY, MIN_QUERY};

use super::format::datetime;
use super::Ctx;

/// The transcript link for a hit: the call's page, at the turn (`#turn-N`).
pub fn turn_href(case_id: &str, job_id: &str, turn: usize, embedded: bool) -> String {
    format!("{}#turn-{turn}", Page::Call { case_id: case_id.to_owned(), job_id: job_id.to_owned() }.href(embedded))
}

/// The turn number a transcript's URL fragment names (`#turn-N`).
pub fn turn_of_hash(hash: &str) -> Option<usize> {
    hash.strip_prefix("#turn-")?.parse().ok()
}

/// The form: a search box (`#turn-search-q`, 2 to 50 characters) and its button.
pub fn form_html(cx: Ctx) -> String {
    let t = &cx.t.search;
    let mut h = Html::new();
    h.tag("h3").attr("id", "turn-search-title").text(t.heading);
    h.tag("form").attr("role", "search").attr("aria-labelledby", "turn-search-title").body(|h| {
        h.tag("label").class("field grow").body(|h| {
            h.el("span", "", t.label);
            h.tag("input")
                .attr("type", "search")
                .attr("id", "turn-search-q")
                .attr("autocomplete", "off")
                .flag("required")
                .num("minlength", MIN_QUERY as i64)
                .num("maxlength", MAX_QUERY as i64)
                .attr("placeholder", t.placeholder)
                .void();
        });
        h.tag("button").attr("type", "submit").class("btn").text(t.go);
    });
    h.finish()
}

/// Where a search is: under way, failed (the error's message), or answered.
pub fn state_html(cx: Ctx, state: &Result<Option<SearchResults>, String>) -> String {
    let t = &cx.t.search;
    match state {
        Ok(None) => {
            let mut h = Html::new();
            h.tag("p").attr("role", "status").text(t.busy);
            h.finish()
        }
        Err(message) => {
            let mut h = Html::new();
            h.tag("p").class("error").attr("role", "alert").body(|h| {
                h.text(t.error).text(message);
            });
            h.finish()
        }
        Ok(Some(results)) => results_html(cx, results),
    }
}

pub fn results_html(cx: Ctx, results: &SearchResults) -> String {
    let t = &cx.t.search;
    if results.hits.is_empty() {
        return Html::empty(t.none);
    }
    let n = results.hits.len().to_string();
    let mut h = Html::new();
    h.tag("p").class("search-count").body(|h| {
        h.text(&fill(t.found, &[("n", &n)]));
        if results.more {
            h.text(&fill(t.more, &[("n", &n)]));
        }
    });
    h.tag("ol").class("search-hits").body(|h| {
        for hit in &results.hits {
            let href = turn_href(&hit.case_id, &hit.job_id, hit.turn, cx.embedded);
            let who = if hit.speaker == "Robot" { cx.t.transcript.robot } else { cx.t.transcript.party };
            h.tag("li").body(|h| {
                h.tag("a").attr("href", &href).body(|h| {
                    h.el("b", "", who).text(" · ").text(&datetime(hit.at)).text(" · ").text(&fill(t.case, &[("id", &hit.case_id)]));
                    h.tag("span").class("snippet").body(|h| {
                        let chars: Vec<char> = hit.snippet.chars().collect();
                        let mut at = 0;
                        for m in &hit.marks {
                            let (start, end) = (m[0].min(chars.len()), m[1].min(chars.len()));
                            if start < at || end <= start {
                                continue;
                            }
                            h.text(&chars[at..start].iter().collect::<String>());
                            h.el("mark", "", &chars[start..end].iter().collect::<String>());
                            at = end;
                        }
                        h.text(&chars[at..].iter().collect::<String>());
                    });
                });
            });
        }
    });
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::labels::Locale;
    use crate::wire::search::SearchHit;

    fn results(hits: Vec<SearchHit>, more: bool) -> SearchResults {
        SearchResults { query: "分期".into(), hits, more }
    }

    #[test]
    fn each_hit_links_to_its_turn_with_the_words_marked_and_text_escaped() {
        let t = Locale::zh_CN.strings();
        let hit = SearchHit {
            case_id: "C 1".into(),
            job_id: "J".into(),
            turn: 4,
            speaker: "Contact".into(),
            at: 1_769_760_000_000,
            snippet: "<b>能不能分期?分期".into(),
            marks: vec![[6, 8], [9, 11]],
        };
        let html = results_html(Ctx { t, embedded: false }, &results(vec![hit.clone()], false));
        assert!(html.contains("<a href=\"/cases/C%201/calls/J#turn-4\">"), "{html}");
        assert!(html.contains("<b>当事人</b>"), "{html}");
        assert!(html.contains("&lt;b&gt;能不能<mark>分期</mark>?<mark>分期</mark></span>"), "{html}");
        assert!(html.contains("找到 1 句"), "{html}");
        assert!(!html.contains("只显示"), "{html}");
        let embedded = results_html(Ctx { t, embedded: true }, &results(vec![hit], true));
        assert!(embedded.contains("href=\"/embed/cases/C%201/calls/J#turn-4\""), "{embedded}");
        assert!(embedded.contains("只显示最新的 1 句"), "{embedded}");
    }

    #[test]
    fn marks_out_of_place_are_ignored_and_nothing_found_says_so() {
        let t = Locale::en.strings();
        let hit = SearchHit { snippet: "abc".into(), marks: vec![[1, 2], [0, 1], [2, 99]], speaker: "Robot".into(), ..SearchHit::default() };
        let html = results_html(Ctx { t, embedded: false }, &results(vec![hit], false));
        assert!(html.contains("<span class=\"snippet\">a<mark>b</mark><mark>c</mark></span>"), "{html}");
        assert_eq!(results_html(Ctx { t, embedded: false }, &results(vec![], false)), Html::empty(t.search.none));
    }

    #[test]
    fn the_form_states_its_limits_and_a_search_under_way_or_failed_says_so() {
        let cx = Ctx { t: Locale::zh_CN.strings(), embedded: false };
        let form = form_html(cx);
        assert!(form.contains("<input type=\"search\" id=\"turn-search-q\" autocomplete=\"off\" required minlength=\"2\" maxlength=\"50\""), "{form}");
        assert!(form.contains(&format!("placeholder=\"{}\"></label><button type=\"submit\" class=\"btn\">搜索</button>", cx.t.search.placeholder)), "{form}");
        assert_eq!(state_html(cx, &Ok(None)), "<p role=\"status\">正在搜索…</p>");
        assert_eq!(state_html(cx, &Err("<q> 太短".into())), "<p class=\"error\" role=\"alert\">搜索失败:&lt;q&gt; 太短</p>");
    }

    #[test]
    fn a_transcript_url_names_its_turn() {
        assert_eq!(turn_of_hash("#turn-12"), Some(12));
        for hash in ["", "#turn-", "#turn-x", "#12"] {
            assert_eq!(turn_of_hash(hash), None, "{hash}");
        }
    }
}
