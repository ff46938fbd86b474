//! A small writer of escaped HTML for the board's read-only parts (call
//! lists, audit trail, note results, action outcomes), which the app renders
//! as one string (`inner_html`) instead of node by node: each distinct view
//! the app builds from nodes compiles render code of its own, and the bundle
//! has a size budget. Tag and attribute names are the program's own
//! (`&'static str`); every attribute value and text is escaped, so upstream
//! data can never become markup.

#[derive(Default)]
pub struct Html {
    // Written by this module and, for markdown, by `markdown` (which builds on
    // this writer's escaping, so the dependency runs one way).
    pub(super) out: String,
}

impl Html {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts an element: `<tag`. Add attributes, then [`Html::end`].
    pub fn open(&mut self, tag: &'static str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        self
    }

    /// ` name="value"`, the value escaped.
    pub fn attr(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_html(value, &mut self.out);
        self.out.push('"');
        self
    }

    /// A number attribute (nothing to escape).
    pub fn num(&mut self, name: &'static str, value: i64) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        self.out.push_str(&value.to_string());
        self.out.push('"');
        self
    }

    /// A boolean attribute: ` name`.
    pub fn flag(&mut self, name: &'static str) -> &mut Self {
        self.out.push(' ');
        self.out.push_str(name);
        self
    }

    /// Ends the start tag: `>`.
    pub fn end(&mut self) -> &mut Self {
        self.out.push('>');
        self
    }

    /// `<tag class="class">` (no class attribute when `class` is empty).
    pub fn start(&mut self, tag: &'static str, class: &str) -> &mut Self {
        self.open(tag);
        if !class.is_empty() {
            self.attr("class", class);
        }
        self.end()
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_html(text, &mut self.out);
        self
    }

    /// `<tag class="class">text</tag>`.
    pub fn el(&mut self, tag: &'static str, class: &str, text: &str) -> &mut Self {
        self.start(tag, class).text(text).close(tag)
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// What a list builder returns when there is nothing to list:
    /// `<p class="empty">text</p>`.
    pub fn empty(text: &str) -> String {
        let mut h = Html::new();
        h.el("p", "empty", text);
        h.finish()
    }
}

/// Escapes text for use in HTML element content and quoted attribute values.
pub fn escape_html(text: &str, out: &mut String) {
    // Copies runs of plain text whole (a 1,000-turn transcript is mostly
    // plain text); the five special characters are all ASCII.
    let mut plain = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[plain..i]);
        out.push_str(entity);
        plain = i + 1;
    }
    out.push_str(&text[plain..]);
}

/// Writes `n` in decimal (without the formatting machinery, which is slow in
/// the browser's build, for strings built in loops).
pub fn push_decimal(mut n: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_elements_with_escaped_values_and_text() {
        let mut h = Html::new();
        h.open("li").attr("class", "call").attr("data-job-id", "J\"1<x>").num("data-n", -3).flag("hidden").end();
        h.el("b", "", "<script>alert(1)</script>").el("span", "muted", "a & b");
        h.close("li");
        assert_eq!(
            h.finish(),
            "<li class=\"call\" data-job-id=\"J&quot;1&lt;x&gt;\" data-n=\"-3\" hidden><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><span class=\"muted\">a &amp; b</span></li>"
        );
    }

    #[test]
    fn an_empty_list_is_one_escaped_paragraph() {
        assert_eq!(Html::empty("暂无 <记录>"), "<p class=\"empty\">暂无 &lt;记录&gt;</p>");
    }
}
