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

    /// An element, closed by construction: add attributes, then give its
    /// content with [`Tag::body`] (a nesting call) or [`Tag::text`].
    /// `h.tag("li").class("call").attr("data-job-id", id).body(|h| { … })`.
    pub fn tag(&mut self, name: &'static str) -> Tag<'_> {
        self.out.push('<');
        self.out.push_str(name);
        Tag { h: self, name }
    }

    /// Text, escaped.
    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_html(text, &mut self.out);
        self
    }

    /// `<tag class="class">text</tag>` (no class attribute when `class` is empty).
    pub fn el(&mut self, tag: &'static str, class: &str, text: &str) -> &mut Self {
        self.tag(tag).class(class).text(text)
    }

    /// Another writer's HTML (escaped as this one's), appended.
    pub fn append(&mut self, other: Html) -> &mut Self {
        self.out.push_str(&other.out);
        self
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

    fn close(&mut self, tag: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }
}

/// An element's start tag being written: attributes, then its content.
/// Every way out of it writes the end tag, so what the writer builds is
/// balanced whatever the caller does.
#[must_use = "an element is written by body(), text() or empty()"]
pub struct Tag<'a> {
    h: &'a mut Html,
    name: &'static str,
}

impl<'a> Tag<'a> {
    /// ` name="value"`, the value escaped.
    pub fn attr(self, name: &'static str, value: &str) -> Self {
        let out = &mut self.h.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        escape_html(value, out);
        out.push('"');
        self
    }

    /// The class attribute; none when `class` is empty.
    pub fn class(self, class: &str) -> Self {
        if class.is_empty() {
            self
        } else {
            self.attr("class", class)
        }
    }

    /// A number attribute (nothing to escape).
    pub fn num(self, name: &'static str, value: i64) -> Self {
        let out = &mut self.h.out;
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        out.push_str(&value.to_string());
        out.push('"');
        self
    }

    /// A boolean attribute: ` name`.
    pub fn flag(self, name: &'static str) -> Self {
        self.h.out.push(' ');
        self.h.out.push_str(name);
        self
    }

    /// The element's content, written by `content`, then its end tag.
    pub fn body(self, content: impl FnOnce(&mut Html)) -> &'a mut Html {
        self.h.out.push('>');
        content(self.h);
        self.h.close(self.name)
    }

    /// Escaped text as the element's content.
    pub fn text(self, text: &str) -> &'a mut Html {
        self.h.out.push('>');
        escape_html(text, &mut self.h.out);
        self.h.close(self.name)
    }

    /// A void element (`input`, `br`): `<tag …>`, which has no end tag.
    pub fn void(self) -> &'a mut Html {
        self.h.out.push('>');
        self.h
    }

    /// No content: `<tag …></tag>`.
    pub fn empty(self) -> &'a mut Html {
        self.h.out.push('>');
        self.h.close(self.name)
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
        h.tag("li").class("call").attr("data-job-id", "J\"1<x>").num("data-n", -3).flag("hidden").body(|h| {
            h.el("b", "", "<script>alert(1)</script>").el("span", "muted", "a & b");
        });
        assert_eq!(
            h.finish(),
            "<li class=\"call\" data-job-id=\"J&quot;1&lt;x&gt;\" data-n=\"-3\" hidden><b>&lt;script&gt;alert(1)&lt;/script&gt;</b><span class=\"muted\">a &amp; b</span></li>"
        );
    }

    #[test]
    fn nested_elements_close_in_order() {
        let mut h = Html::new();
        h.tag("ul").class("").body(|h| {
            for i in 0..2 {
                h.tag("li").num("data-i", i).body(|h| {
                    h.tag("a").attr("href", "/x?a=1&b=2").text("<b>");
                    h.tag("span").flag("hidden").empty();
                });
            }
        });
        assert_eq!(
            h.finish(),
            "<ul><li data-i=\"0\"><a href=\"/x?a=1&amp;b=2\">&lt;b&gt;</a><span hidden></span></li><li data-i=\"1\"><a href=\"/x?a=1&amp;b=2\">&lt;b&gt;</a><span hidden></span></li></ul>"
        );
    }

    #[test]
    fn an_empty_list_is_one_escaped_paragraph() {
        assert_eq!(Html::empty("暂无 <记录>"), "<p class=\"empty\">暂无 &lt;记录&gt;</p>");
    }
}
