//! Personal data inside free text (what the robot read out, what a party
//! said, an agreement's text), masked for people who may not see it: phone
//! numbers, ID card numbers (身份证), bank card numbers, WeChat and Alipay
//! ids, e-mail addresses, and street addresses where they can be recognised.
//! The edge applies it before anything leaves for the browser.
//!
//! Numbers are found however they are written: split by spaces or dashes
//! ("139 2211 1489"), in full-width digits ("１３９２２１１１４８９"). What
//! is not personal stays: amounts ("3742元", "1500 元"), dates ("2025-10-31",
//! "6月26日", "3号"), times, short numbers.

use crate::wire::api::CallView;
use crate::wire::note::{NoteOutcome, TagValue};

/// What kinds of personal data a text held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Phone,
    /// A long number: an ID card, a bank card, another account.
    Number,
    WeChat,
    Alipay,
    Email,
    Address,
}

/// The text with its personal data masked, and what was masked (empty when
/// nothing was: `text` is then the input unchanged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Masked {
    pub text: String,
    pub found: Vec<Kind>,
}

/// Masks every piece of personal data in `text`.
pub fn mask_text(text: &str) -> Masked {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some((end, masked, kind)) = account_at(&chars, i).or_else(|| email_at(&chars, i)).or_else(|| address_at(&chars, i)).or_else(|| number_at(&chars, i)) {
            out.push_str(&masked);
            found.push(kind);
            i = end;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    found.sort();
    found.dedup();
    Masked { text: out, found }
}

/// Masks `text` in place; true when anything was masked.
pub fn mask_in_place(text: &mut String) -> bool {
    let masked = mask_text(text);
    if masked.found.is_empty() {
        return false;
    }
    *text = masked.text;
    true
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '\u{3000}' | '－' | '—')
}

/// Keeps the first `head` and last `tail` characters, the rest as `*`.
fn keep(s: &[char], head: usize, tail: usize) -> String {
    let n = s.len();
    if n <= head + tail {
        return "*".repeat(n);
    }
    let mut out: String = s[..head].iter().collect();
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&s[n - tail..]);
    out
}

/// A run of digits at `i` (not inside a longer word of letters and digits).
/// Returns where it ends, its masked form and its kind, or `None` when it is
/// not personal data.
fn number_at(chars: &[char], i: usize) -> Option<(usize, String, Kind)> {
    digit(chars[i])?;
    if i > 0 && (digit(chars[i - 1]).is_some() || chars[i - 1].is_ascii_alphabetic() || chars[i - 1] == '.') {
        return None;
    }
    // Groups of digits joined by single separators.
    let mut groups: Vec<Vec<char>> = vec![];
    let mut seps: Vec<char> = vec![];
    let mut j = i;
    loop {
        let mut g = vec![];
        while j < chars.len() {
            match digit(chars[j]) {
                Some(d) => g.push(d),
                None => break,
            }
            j += 1;
        }
        groups.push(g);
        if j + 1 < chars.len() && is_separator(chars[j]) && digit(chars[j + 1]).is_some() {
            seps.push(chars[j]);
            j += 1;
        } else {
            break;
        }
    }
    // An ID card's last character may be X.
    let x_end = j < chars.len() && matches!(chars[j], 'X' | 'x' | 'Ｘ');
    let first_len = groups[0].len();
    // A date (2025-10-31, 2025 10 31) is not personal.
    if groups.len() >= 3 && first_len == 4 && groups[1].len() <= 2 && groups[2].len() <= 2 {
        return None;
    }
    let joined = groups.len() == 1 || groups.iter().all(|g| g.len() >= 3);
    let (digits, end) = if joined {
        (groups.concat(), j)
    } else {
        // Separated short groups ("22 10"): only the first group counts.
        (groups[0].clone(), i + first_len)
    };
    let end_x = joined && x_end;
    let end = if end_x { end + 1 } else { end };
    let next = chars.get(end).copied();
    // Amounts and measures: 1500000元, 20000 块, 50%.
    let unit = chars[end..].iter().find(|c| !c.is_whitespace()).copied();
    if matches!(unit, Some('元' | '块' | '万' | '千' | '百' | '亿' | '%' | '％' | '圆' | '角' | '分' | '年' | '月' | '日' | '号' | '天' | '小' | '个' | '次' | '岁'))
        || (i > 0 && matches!(chars[i - 1], '¥' | '￥' | '$'))
    {
        return None;
    }
    if next.is_some_and(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let n = digits.len();
    let mask = if n == 11 && digits[0] == '1' && ('3'..='9').contains(&digits[1]) {
        (keep(&digits, 3, 4), Kind::Phone)
    } else if n >= 7 {
        let mut all = digits.clone();
        if end_x {
            all.push('X');
        }
        let kind = if digits[0] == '0' && n <= 12 { Kind::Phone } else { Kind::Number };
        (keep(&all, 0, 4), kind)
    } else {
        return None;
    };
    Some((end, mask.0, mask.1))
}

const WECHAT: &[&str] = &["微信号", "微信", "WeChat", "wechat", "VX", "vx", "WX", "wx", "V信"];
const ALIPAY: &[&str] = &["支付宝账号", "支付宝", "Alipay", "alipay"];

fn starts_with(chars: &[char], i: usize, word: &str) -> bool {
    let mut k = i;
    for w in word.chars() {
        if chars.get(k) != Some(&w) {
            return false;
        }
        k += 1;
    }
    true
}

/// "微信号liusujie7879", "微信:abc_123", "支付宝是 a@b.cn": the keyword stays,
/// the id is masked.
fn account_at(chars: &[char], i: usize) -> Option<(usize, String, Kind)> {
    let (word, kind) = WECHAT
        .iter()
        .map(|w| (*w, Kind::WeChat))
        .chain(ALIPAY.iter().map(|w| (*w, Kind::Alipay)))
        .find(|(w, _)| starts_with(chars, i, w))?;
    // An ASCII keyword must not be the tail of a longer word ("wx" in "jwx").
    if word.is_ascii() && i > 0 && chars[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut j = i + word.chars().count();
    while j < chars.len() && matches!(chars[j], ':' | '：' | ' ' | '是' | '为' | '\u{3000}') {
        j += 1;
    }
    let start = j;
    while j < chars.len() && (chars[j].is_ascii_alphanumeric() || matches!(chars[j], '_' | '-' | '@' | '.')) {
        j += 1;
    }
    // Trailing dots are the sentence's.
    while j > start && chars[j - 1] == '.' {
        j -= 1;
    }
    let id = &chars[start..j];
    if id.len() < 5 || !id.iter().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut out: String = chars[i..start].iter().collect();
    out.push_str(&keep(id, 2, 2));
    Some((j, out, kind))
}

/// `name@domain`: the name masked but its first character.
fn email_at(chars: &[char], i: usize) -> Option<(usize, String, Kind)> {
    let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+');
    if !local_ok(chars[i]) || (i > 0 && local_ok(chars[i - 1])) {
        return None;
    }
    let mut at = i;
    while at < chars.len() && local_ok(chars[at]) {
        at += 1;
    }
    if at == i || chars.get(at) != Some(&'@') {
        return None;
    }
    let mut end = at + 1;
    while end < chars.len() && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], '.' | '-')) {
        end += 1;
    }
    while end > at + 1 && chars[end - 1] == '.' {
        end -= 1;
    }
    let domain: String = chars[at + 1..end].iter().collect();
    if !domain.contains('.') {
        return None;
    }
    let mut out = keep(&chars[i..at], 1, 0);
    out.push('@');
    out.push_str(&domain);
    Some((end, out, Kind::Email))
}

const ROAD: &[char] = &['路', '街', '巷', '弄', '村', '里', '道', '同', '苑', '园'];
const REGION_END: &[char] = &['省', '市', '区', '县', '镇', '乡'];
const UNIT: &[char] = &['号', '栋', '幢', '座', '单', '元', '楼', '层', '室', '户'];

/// A street address's detail ("富华路12号3栋502室"), from the street to the
/// room; the province, city, district and town before it stay. Recognised by
/// a street word followed by a house number ending in 号.
fn address_at(chars: &[char], i: usize) -> Option<(usize, String, Kind)> {
    // Starts right after a region word, or at a CJK character after a non-CJK one.
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    // 街道 (a sub-district) belongs to the region part.
    if !is_cjk(chars[i]) || starts_with(chars, i, "街道") {
        return None;
    }
    if i > 0 && is_cjk(chars[i - 1]) && !REGION_END.contains(&chars[i - 1]) && !(i >= 2 && chars[i - 2] == '街' && chars[i - 1] == '道') {
        return None;
    }
    // A street name: 1 to 10 CJK characters ending in a street word.
    let mut j = i;
    let mut road_end = None;
    while j < chars.len() && j - i < 12 && is_cjk(chars[j]) {
        if ROAD.contains(&chars[j]) && j > i {
            road_end = Some(j + 1);
        }
        if REGION_END.contains(&chars[j]) && j > i && !ROAD.contains(&chars[j]) {
            // A region word inside: the address starts after it, not here.
            return None;
        }
        j += 1;
    }
    let road_end = road_end?;
    // Then a house number: digits and 号, optionally 栋/单元/室 with digits.
    let mut k = road_end;
    let digits_at = |k: usize| chars.get(k).and_then(|&c| digit(c)).is_some() || matches!(chars.get(k), Some('-' | '之'));
    if !digits_at(k) {
        return None;
    }
    let mut saw_hao = false;
    while k < chars.len() && (digits_at(k) || UNIT.contains(&chars[k])) {
        if chars[k] == '号' {
            saw_hao = true;
        }
        k += 1;
    }
    if !saw_hao {
        return None;
    }
    let detail = &chars[i..k];
    let mut out: String = detail.iter().take(1).collect();
    out.push_str(&"*".repeat(detail.len() - 1));
    Some((k, out, Kind::Address))
}

/// Masks the personal data in everything a call says: its turns, its raw
/// text when unreadable, and its note results' texts (QA problems and
/// suggestions, summary tags, a record kept as it came). True when anything
/// was masked.
pub fn mask_call(call: &mut CallView) -> bool {
    let mut any = false;
    for turn in &mut call.turns {
        if let Some(script) = &mut turn.script {
            any |= mask_in_place(script);
        }
    }
    if let Some(raw) = &mut call.raw_conversations {
        any |= mask_in_place(raw);
    }
    for note in &mut call.notes {
        any |= mask_note(&mut note.outcome);
    }
    any
}

/// Masks the personal data in one note result's texts.
pub fn mask_note(outcome: &mut NoteOutcome) -> bool {
    let mut any = false;
    match outcome {
        NoteOutcome::QualityInspection { items, .. } => {
            for item in items {
                for text in [&mut item.problem, &mut item.suggestion].into_iter().flatten() {
                    any |= mask_in_place(text);
                }
            }
        }
        NoteOutcome::Summary { tags, .. } => {
            for (_, value) in &mut tags.0 {
                match value {
                    TagValue::Text(text) => any |= mask_in_place(text),
                    TagValue::Choices(choices) => {
                        for c in choices {
                            any |= mask_in_place(c);
                        }
                    }
                }
            }
        }
        NoteOutcome::Failed { error_msg, .. } => {
            if let Some(text) = error_msg {
                any |= mask_in_place(text);
            }
        }
        NoteOutcome::Unreadable { result, .. } => {
            if let Some(text) = result {
                any |= mask_in_place(text);
            }
        }
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input, masked, kinds found). Kept as data: each row is one case.
    const CASES: &[(&str, &str, &[Kind])] = &[
        // Phones, however written.
        ("我的电话是13922111489。", "我的电话是139****1489。", &[Kind::Phone]),
        ("139 2211 1489 打给我", "139****1489 打给我", &[Kind::Phone]),
        ("139-2211-1489", "139****1489", &[Kind::Phone]),
        ("电话１３９２２１１１４８９", "电话139****1489", &[Kind::Phone]),
        ("座机0755-86001234", "座机********1234", &[Kind::Phone]),
        // ID cards (18 digits, or 17 and X), bank cards.
        ("身份证号440301199001011234", "身份证号**************1234", &[Kind::Number]),
        ("身份证 44030119900101123X 没错", "身份证 **************123X 没错", &[Kind::Number]),
        ("卡号6222 0212 3456 7890 123", "卡号***************0123", &[Kind::Number]),
        ("银行卡6222-0212-3456-7890", "银行卡************7890", &[Kind::Number]),
        // WeChat and Alipay ids: the spec's own example.
        ("通过微信转账至您的微信号liusujie7879。", "通过微信转账至您的微信号li********79。", &[Kind::WeChat]),
        ("加我微信: abc_12345", "加我微信: ab*****45", &[Kind::WeChat]),
        ("vx是zhang-san88", "vx是zh*******88", &[Kind::WeChat]),
        ("支付宝账号 liu.sj@163.com", "支付宝账号 li**********om", &[Kind::Alipay]),
        ("邮箱liushujie@example.cn", "邮箱l********@example.cn", &[Kind::Email]),
        // Addresses: the street and number, not the city or district.
        ("家住深圳市宝安区西乡街道富华路12号3栋502室,", "家住深圳市宝安区西乡街道富***********,", &[Kind::Address]),
        ("地址是广州市天河区体育西路101号", "地址是广州市天河区体*******", &[Kind::Address]),
        // Not personal: amounts, dates, times, short numbers, the day of a month.
        ("胡龙光已就3742元工资支付达成初步共识", "胡龙光已就3742元工资支付达成初步共识", &[]),
        ("6月26日前支付1500元,7月26日前支付1500元,8月26日前支付742元", "6月26日前支付1500元,7月26日前支付1500元,8月26日前支付742元", &[]),
        ("赔偿 1000000 元", "赔偿 1000000 元", &[]),
        ("2025-10-31 前完成支付", "2025-10-31 前完成支付", &[]),
        ("2026-11-22 10:00:00", "2026-11-22 10:00:00", &[]),
        ("3月16日 核实是否收到第二期 14160 元", "3月16日 核实是否收到第二期 14160 元", &[]),
        ("6月3号来调解", "6月3号来调解", &[]),
        ("工号A1234567", "工号A1234567", &[]),
        ("都搞定了都搞定了。", "都搞定了都搞定了。", &[]),
        ("", "", &[]),
    ];

    #[test]
    fn each_case_of_the_table() {
        for (input, want, kinds) in CASES {
            let got = mask_text(input);
            assert_eq!(got.text, *want, "{input}");
            assert_eq!(got.found, kinds.to_vec(), "{input}");
        }
    }

    #[test]
    fn masking_twice_changes_nothing_more() {
        for (input, _, _) in CASES {
            let once = mask_text(input).text;
            assert_eq!(mask_text(&once).text, once, "{input}");
        }
    }

    #[test]
    fn a_call_is_masked_in_its_turns_and_note_texts() {
        use crate::wire::mediation::{CallStatus, CallType, Speaker, Turn, TurnAction};
        let turn = |script: &str| Turn { timestamp: 0, speaker: Speaker::Contact, script: Some(script.into()), action: TurnAction::Dialogue };
        let mut call = CallView {
            job_id: "J".into(),
            call_type: CallType::Agreement,
            call_status: CallStatus::Succeeded,
            turns: vec![turn("打我电话13922111489"), turn("好的")],
            ..Default::default()
        };
        assert!(mask_call(&mut call));
        assert_eq!(call.turns[0].script.as_deref(), Some("打我电话139****1489"));
        assert_eq!(call.turns[1].script.as_deref(), Some("好的"));
        assert!(!mask_call(&mut call), "nothing left to mask");
        let mut summary = NoteOutcome::Summary {
            tags: crate::wire::note::Summary(vec![("联系方式".into(), TagValue::Text("微信号liusujie7879".into()))]),
            issues: vec![],
        };
        assert!(mask_note(&mut summary));
        let NoteOutcome::Summary { tags, .. } = summary else { unreachable!() };
        assert_eq!(tags.get("联系方式"), Some(&TagValue::Text("微信号li********79".into())));
    }

    #[test]
    fn in_place_reports_whether_it_masked() {
        let mut t = String::from("电话13922111489");
        assert!(mask_in_place(&mut t));
        assert_eq!(t, "电话139****1489");
        let mut plain = String::from("已收到 1500 元");
        assert!(!mask_in_place(&mut plain));
        assert_eq!(plain, "已收到 1500 元");
    }
}
