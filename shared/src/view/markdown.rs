//! A small markdown reader for the robot's scripts (agreement drafts read out
//! on calls): headings, paragraphs with line breaks, ordered and unordered
//! lists (with indented continuation lines), `**bold**`, `*emphasis*` and
//! `` `code` ``. It produces a tree of plain text; nothing in the input is
//! ever treated as HTML, so the board renders it without injecting markup.

use crate::view::html::{escape_html, push_decimal, Html};

/// A run of inline content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Strong(Vec<Inline>),
    Emphasis(Vec<Inline>),
    Code(String),
    LineBreak,
}

/// A block of content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading { level: u8, content: Vec<Inline> },
    Paragraph(Vec<Inline>),
    List { ordered: bool, start: u32, items: Vec<Vec<Inline>> },
}

enum Line<'a> {
    Blank,
    Heading(u8, &'a str),
    Item { ordered: bool, number: u32, text: &'a str },
    Continuation(&'a str),
    Text(&'a str),
}

fn classify(raw: &str) -> Line<'_> {
    let trimmed = raw.trim_end();
    if trimmed.trim().is_empty() {
        return Line::Blank;
    }
    let indent = trimmed.len() - trimmed.trim_start().len();
    let t = trimmed.trim_start();
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        return Line::Heading(hashes as u8, t[hashes..].trim());
    }
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")).or_else(|| t.strip_prefix("+ ")) {
        return Line::Item { ordered: false, number: 0, text: rest.trim() };
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &t[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Line::Item { ordered: true, number: t[..digits].parse().unwrap_or(1), text: text.trim() };
        }
    }
    if indent >= 2 {
        return Line::Continuation(t);
    }
    Line::Text(t)
}

/// Parses markdown text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = vec![];
    // Raw lines of the paragraph being collected.
    let mut paragraph: Vec<&str> = vec![];
    // The list being collected: ordered, start, items (raw lines per item).
    let mut list: Option<(bool, u32, Vec<Vec<&str>>)> = None;

    fn flush_paragraph(paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>) {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(lines_inline(paragraph)));
            paragraph.clear();
        }
    }
    fn flush_list(list: &mut Option<(bool, u32, Vec<Vec<&str>>)>, blocks: &mut Vec<Block>) {
        if let Some((ordered, start, items)) = list.take() {
            blocks.push(Block::List { ordered, start, items: items.iter().map(|lines| lines_inline(lines)).collect() });
        }
    }

    for raw in text.split('\n') {
        match classify(raw) {
            Line::Blank => {
                flush_paragraph(&mut paragraph, &mut blocks);
                flush_list(&mut list, &mut blocks);
            }
            Line::Heading(level, content) => {
                flush_paragraph(&mut paragraph, &mut blocks);
                flush_list(&mut list, &mut blocks);
                blocks.push(Block::Heading { level, content: inline(content) });
            }
            Line::Item { ordered, number, text } => {
                flush_paragraph(&mut paragraph, &mut blocks);
                match &mut list {
                    Some((o, _, items)) if *o == ordered => items.push(vec![text]),
                    _ => {
                        flush_list(&mut list, &mut blocks);
                        list = Some((ordered, number, vec![vec![text]]));
                    }
                }
            }
            Line::Continuation(text) => match &mut list {
                Some((_, _, items)) => items.last_mut().expect("a list has an item").push(text),
                None => paragraph.push(text),
            },
            Line::Text(text) => {
                flush_list(&mut list, &mut blocks);
                paragraph.push(text);
            }
        }
    }
    flush_paragraph(&mut paragraph, &mut blocks);
    flush_list(&mut list, &mut blocks);
    blocks
}

/// Lines joined with line breaks.
fn lines_inline(lines: &[&str]) -> Vec<Inline> {
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push(Inline::LineBreak);
        }
        out.extend(inline(line));
    }
    out
}

/// Inline markup: `**strong**`, `*em*` / `_em_`, `` `code` ``. An opening
/// marker without its closing one is text.
pub fn inline(text: &str) -> Vec<Inline> {
    let mut out: Vec<Inline> = vec![];
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (marker, make): (&str, fn(&str) -> Inline) = match c {
            '*' if rest.starts_with("**") => ("**", |s| Inline::Strong(inline(s))),
            '*' => ("*", |s| Inline::Emphasis(inline(s))),
            '_' => ("_", |s| Inline::Emphasis(inline(s))),
            '`' => ("`", |s| Inline::Code(s.to_owned())),
            _ => {
                // The plain run up to the next marker, whole.
                let run = rest.find(['*', '_', '`']).unwrap_or(rest.len());
                plain.push_str(&rest[..run]);
                rest = &rest[run..];
                continue;
            }
        };
        let after = &rest[marker.len()..];
        match after.find(marker).filter(|&end| end > 0) {
            Some(end) => {
                if !plain.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut plain)));
                }
                out.push(make(&after[..end]));
                rest = &after[end + marker.len()..];
            }
            None => {
                plain.push_str(marker);
                rest = after;
            }
        }
    }
    if !plain.is_empty() {
        out.push(Inline::Text(plain));
    }
    out
}

/// The text of inline content, without markup (for search and screen readers).
pub fn plain_text(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Strong(c) | Inline::Emphasis(c) => s.push_str(&plain_text(c)),
            Inline::LineBreak => s.push('\n'),
        }
    }
    s
}

impl Html {
    /// Markdown, through the one reader ([`to_html`]).
    pub fn markdown(&mut self, text: &str) -> &mut Self {
        to_html(text, &mut self.out);
        self
    }
}

/// Renders parsed markdown as HTML: only the tags this reader produces, every
/// piece of input text escaped (for lists too long to build node by node).
pub fn to_html(text: &str, out: &mut String) {
    for block in parse(text) {
        match block {
            Block::Heading { level, content } => {
                let tag = match level {
                    1 => "h3",
                    2 => "h4",
                    _ => "h5",
                };
                for piece in ["<", tag, " class=\"md-h\">"] {
                    out.push_str(piece);
                }
                inlines_html(&content, out);
                for piece in ["</", tag, ">"] {
                    out.push_str(piece);
                }
            }
            Block::Paragraph(content) => {
                out.push_str("<p>");
                inlines_html(&content, out);
                out.push_str("</p>");
            }
            Block::List { ordered, start, items } => {
                if ordered {
                    out.push_str("<ol start=\"");
                    push_decimal(start.into(), out);
                    out.push_str("\">");
                } else {
                    out.push_str("<ul>");
                }
                for item in items {
                    out.push_str("<li>");
                    inlines_html(&item, out);
                    out.push_str("</li>");
                }
                out.push_str(if ordered { "</ol>" } else { "</ul>" });
            }
        }
    }
}

fn inlines_html(content: &[Inline], out: &mut String) {
    for i in content {
        match i {
            Inline::Text(t) => escape_html(t, out),
            Inline::Strong(c) => {
                out.push_str("<strong>");
                inlines_html(c, out);
                out.push_str("</strong>");
            }
            Inline::Emphasis(c) => {
                out.push_str("<em>");
                inlines_html(c, out);
                out.push_str("</em>");
            }
            Inline::Code(t) => {
                out.push_str("<code>");
                escape_html(t, out);
                out.push_str("</code>");
            }
            Inline::LineBreak => out.push_str("<br>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for n in [0u64, 7, 10, 999, 1_000_000, u64::MAX] {
            let mut out = String::from("x");
            push_decimal(n, &mut out);
            assert_eq!(out, format!("x{n}"));
        }
    }

    fn html(s: &str) -> String {
        let mut out = String::new();
        to_html(s, &mut out);
        out
    }

    #[test]
    fn html_of_an_agreement_draft() {
        assert_eq!(
            html("协议内容:\n\n1. **分期支付**:6月26日前\n2. *微信*转账\n\n# 标题\n- `a<b`"),
            "<p>协议内容:</p><ol start=\"1\"><li><strong>分期支付</strong>:6月26日前</li><li><em>微信</em>转账</li></ol>\
             <h3 class=\"md-h\">标题</h3><ul><li><code>a&lt;b</code></li></ul>"
        );
        assert_eq!(html("第一行\n第二行"), "<p>第一行<br>第二行</p>");
    }

    #[test]
    fn html_escapes_every_piece_of_input() {
        let hostile = "<img src=x onerror=\"alert(1)\"> **<script>x</script>** & 'q'\n1. <iframe>";
        let out = html(hostile);
        assert!(!out.contains("<img") && !out.contains("<script") && !out.contains("<iframe"), "{out}");
        assert!(out.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"), "{out}");
        assert!(out.contains("&amp; &#39;q&#39;"), "{out}");
    }

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }

    #[test]
    fn agreement_draft_from_the_spec() {
        let script = "您好,刘树杰女士。以下是调解协议草案的主要内容:\n\n1. **分期支付**:6月26日前支付1500元。\n2. **支付方式**:通过微信转账。\n\n请您仔细审阅。";
        let blocks = parse(script);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0], Block::Paragraph(vec![t("您好,刘树杰女士。以下是调解协议草案的主要内容:")]));
        match &blocks[1] {
            Block::List { ordered: true, start: 1, items } => {
                assert_eq!(items.len(), 2);
                assert_eq!(items[0][0], Inline::Strong(vec![t("分期支付")]));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nested_continuations_and_line_breaks() {
        let blocks = parse("2. **调解结果**:\n   - 一次性支付\n   - 转账\n第一行\n第二行");
        assert!(matches!(&blocks[0], Block::List { ordered: true, start: 2, .. }));
        assert_eq!(blocks.len(), 3, "{blocks:?}");
        assert_eq!(blocks[2], Block::Paragraph(vec![t("第一行"), Inline::LineBreak, t("第二行")]));
    }

    #[test]
    fn html_is_just_text() {
        let blocks = parse("<img src=x onerror=alert(1)> **<b>x</b>**");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![t("<img src=x onerror=alert(1)> "), Inline::Strong(vec![t("<b>x</b>")])])]
        );
    }

    #[test]
    fn unclosed_markers_are_text() {
        assert_eq!(inline("a ** b * c ` d"), vec![t("a ** b * c ` d")]);
        assert_eq!(inline("**"), vec![t("**")]);
        assert_eq!(inline("`x`"), vec![Inline::Code("x".into())]);
        assert_eq!(parse("# 标题\n正文"), vec![Block::Heading { level: 1, content: vec![t("标题")] }, Block::Paragraph(vec![t("正文")])]);
        assert!(parse("").is_empty());
    }

    #[test]
    fn markdown_goes_through_the_reader() {
        let mut h = Html::new();
        h.markdown("**粗** <img src=x onerror=alert(1)>");
        let out = h.finish();
        assert!(out.contains("<strong>粗</strong>"), "{out}");
        assert!(!out.contains("<img"), "{out}");
    }
}
