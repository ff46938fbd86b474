//! What the board works out once per load so that a keystroke only scans
//! (see [`SearchIndex`]), and the ways a scan reads it.

use std::sync::{Arc, OnceLock};

use crate::wire::mediation::{BoardRecord, CallStatus};

use super::{SortKey, NO_CALL};

/// What the board works out once per load so that a keystroke only scans:
/// the lower-cased searchable text of each row (case id, case name, party
/// names and numbers) with a signature of the characters in it, the case
/// ids, the phone numbers' last digits, the rows in each sort order, each
/// row's status. Each is made when first needed (the first render needs
/// none but one order), or ahead of the first keystroke by [`SearchIndex::warm`].
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    // Shared, so that a copy made for a live change copies nothing big.
    text: OnceLock<Arc<Column>>,
    signatures: OnceLock<Arc<Signatures>>,
    /// What the digits of a short numeric query are looked for in: each
    /// row's case id (anywhere) and its phone numbers' ends.
    case_ids: OnceLock<Arc<Column>>,
    tails: OnceLock<Arc<Tails>>,
    orders: [OnceLock<Vec<usize>>; 4],
    statuses: OnceLock<Statuses>,
    /// Which records this describes: new for each build and each change.
    pub(super) generation: u64,
}

/// Ends each row's part of a [`Column`] (never in a query: it is one line).
pub(super) const ROW_END: char = '\n';

/// One searchable field of every row end to end in one string, each row's
/// part ended by [`ROW_END`], so that a search over every row is one pass
/// of one searcher rather than one search per row.
#[derive(Debug, Default)]
pub(super) struct Column {
    all: String,
    /// Where each row's part starts, and where the last one ends.
    starts: Vec<u32>,
}

impl Column {
    fn build(records: &[BoardRecord], part: impl Fn(&BoardRecord, &mut String)) -> Self {
        let mut all = String::new();
        let mut starts = Vec::with_capacity(records.len() + 1);
        for r in records {
            starts.push(all.len() as u32);
            part(r, &mut all);
            all.push(ROW_END);
        }
        starts.push(all.len() as u32);
        Self { all, starts }
    }

    pub(super) fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    pub(super) fn row(&self, i: usize) -> &str {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&from), Some(&to)) => &self.all[from as usize..to as usize - 1],
            _ => "",
        }
    }

    /// The row holding byte `at`, searching from row `from` on (`at` is not
    /// before it): 1, 2, 4, … rows ahead, then halving, so that the next
    /// row costs one look and a far one a few.
    fn row_of(&self, at: u32, from: usize) -> usize {
        // The starts of the rows after `from`: the row is `from` and how many of these `at` has reached.
        let after = &self.starts[from + 1..];
        let mut reach = 1;
        while reach < after.len() && after[reach - 1] <= at {
            reach *= 2;
        }
        let (lo, hi) = (reach / 2, reach.min(after.len()));
        from + lo + after[lo..hi].partition_point(|&start| start <= at)
    }

    /// Where `finder`'s needle first occurs in each row that holds it, in one
    /// pass: after a row's first place the search goes on from the next row
    /// (a query found at the start of most rows reads a few bytes of each,
    /// not the whole column). A needle holding [`ROW_END`] would span two
    /// rows: it is in none.
    pub(super) fn hits(&self, finder: &memchr::memmem::Finder) -> Vec<u32> {
        if finder.needle().contains(&(ROW_END as u8)) {
            return vec![];
        }
        let all = self.all.as_bytes();
        let needle = finder.needle();
        // Searching from the start of row `next`; `dense` while each row
        // searched held the needle (then the next row alone is read, without
        // a searcher's set-up, until one does not).
        let (mut at, mut next, mut dense) = (vec![], 0usize, false);
        while next + 1 < self.starts.len() {
            let from = self.starts[next];
            if dense {
                let row = &all[from as usize..self.starts[next + 1] as usize];
                match find_short(row, needle) {
                    Some(found) => at.push(from + found as u32),
                    None => dense = false,
                }
                next += 1;
                continue;
            }
            let Some(found) = finder.find(&all[from as usize..]) else { break };
            let place = from + found as u32;
            at.push(place);
            let row = self.row_of(place, next);
            dense = row == next;
            next = row + 1;
        }
        at
    }

    /// [`Column::hits`] within the rows `rows` (ascending) only.
    pub(super) fn hits_in_rows(&self, finder: &memchr::memmem::Finder, rows: &[u32]) -> Vec<u32> {
        if finder.needle().contains(&(ROW_END as u8)) {
            return vec![];
        }
        rows.iter().filter_map(|&i| Some(self.starts[i as usize] + find_short(self.row(i as usize).as_bytes(), finder.needle())? as u32)).collect()
    }

    /// [`Column::hits`] of `finder`'s needle, from the hits of its first
    /// `known` bytes: where the longer needle occurs in a row, the shorter
    /// does, so its first place is at or after the shorter one's. Most often
    /// it is the same place; otherwise the rest of that row is searched.
    pub(super) fn grow(&self, hits: &[u32], known: usize, finder: &memchr::memmem::Finder) -> Vec<u32> {
        let needle = finder.needle();
        if needle.contains(&(ROW_END as u8)) {
            return vec![];
        }
        let (all, rest) = (self.all.as_bytes(), &needle[known.min(needle.len())..]);
        let mut row = 0;
        let mut at = Vec::with_capacity(hits.len());
        for &place in hits {
            if all.get(place as usize + known..).is_some_and(|after| after.starts_with(rest)) {
                at.push(place);
                continue;
            }
            row = self.row_of(place, row);
            let end = self.starts[row + 1] as usize;
            if let Some(found) = all.get(place as usize + 1..end).and_then(|tail| find_short(tail, needle)) {
                at.push(place + 1 + found as u32);
            }
        }
        at
    }

    /// Marks the rows that `hits` (ascending) lie in.
    pub(super) fn mark(&self, hits: &[u32], marks: &mut [bool]) {
        let mut row = 0;
        for &at in hits {
            while self.starts[row + 1] <= at {
                row += 1;
            }
            marks[row] = true;
        }
    }
}

/// Where `needle` first occurs in `hay`, one row or its rest: a substring
/// searcher's set-up costs more than such a short read, and a keystroke may
/// make one per row.
pub(super) fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    // By its last byte: in Chinese text a character's first byte is one of
    // a few (most are 0xE4-0xE9), its last one of 64.
    let (&last, before) = needle.split_last()?;
    let mut from = before.len();
    while let Some(i) = memchr::memchr(last, hay.get(from..)?) {
        let end = from + i;
        if hay[..end].ends_with(before) {
            return Some(end - before.len());
        }
        from = end + 1;
    }
    None
}

/// Per row, a set of the characters in its text, as bits: a row whose
/// signature lacks a bit of a query's cannot hold the query, so a search
/// for rare characters reads few rows. Digits and ASCII letters each have
/// their own bit; other characters share the rest by a hash.
#[derive(Debug, Default)]
pub(super) struct Signatures {
    of_row: Vec<Signature>,
}

pub(super) type Signature = [u64; 4];

/// The bit of a character in a [`Signature`].
fn signature_bit(c: char) -> usize {
    match c {
        '0'..='9' => c as usize - '0' as usize,
        'a'..='z' => 10 + (c as usize - 'a' as usize),
        c if c.is_ascii() => 36 + c as usize % 28,
        c => 64 + ((c as u32).wrapping_mul(0x9E37_79B1) >> 16) as usize % 192,
    }
}

/// The characters of `text` as a [`Signature`].
pub(super) fn signature(text: &str) -> Signature {
    let mut sig = [0; 4];
    for c in text.chars() {
        let bit = signature_bit(c);
        sig[bit / 64] |= 1 << (bit % 64);
    }
    sig
}

impl Signatures {
    fn of(text: &Column) -> Self {
        Self { of_row: (0..text.rows()).map(|i| signature(text.row(i))).collect() }
    }

    pub(super) fn rows(&self) -> usize {
        self.of_row.len()
    }

    /// The rows (ascending) whose text may hold every character of `wanted`.
    pub(super) fn candidates(&self, wanted: &Signature) -> Vec<u32> {
        let mut rows = vec![];
        for (i, sig) in self.of_row.iter().enumerate() {
            if (0..4).all(|w| sig[w] & wanted[w] == wanted[w]) {
                rows.push(i as u32);
            }
        }
        rows
    }
}

/// Each row's phone numbers by their last digits (up to four, as a
/// number, with how many there are), so that "ends with these digits" is a
/// comparison of numbers rather than a search.
#[derive(Debug, Default)]
pub(super) struct Tails {
    /// Per number: its last digits' value, and their count above it (`count << 16 | value`).
    ends: Vec<u32>,
    /// Where each row's numbers start in `ends`, and where the last one's end.
    starts: Vec<u32>,
}

/// The most digits of a phone number's end that a query is compared with.
pub(super) const TAIL_DIGITS: usize = 4;

/// A phone number's last digits, as [`Tails`] keeps them.
fn tail_of(number: &str) -> u32 {
    let (mut value, mut count, mut scale) = (0u32, 0u32, 1u32);
    for b in number.bytes().rev().take(TAIL_DIGITS).take_while(u8::is_ascii_digit) {
        value += u32::from(b - b'0') * scale;
        scale *= 10;
        count += 1;
    }
    count << 16 | value
}

impl Tails {
    fn of(records: &[BoardRecord]) -> Self {
        let mut ends = vec![];
        let mut starts = Vec::with_capacity(records.len() + 1);
        for r in records {
            starts.push(ends.len() as u32);
            ends.extend(r.parties.iter().map(|p| tail_of(&p.phone_number)));
        }
        starts.push(ends.len() as u32);
        Self { ends, starts }
    }

    pub(super) fn rows(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether one of row `i`'s numbers ends with `digits` (at most
    /// [`TAIL_DIGITS`] ASCII digits).
    pub(super) fn row_ends_with(&self, i: usize, digits: &str) -> bool {
        self.row_ends(i, &Tail::of(digits))
    }

    /// Marks the rows one of whose numbers ends with `digits`.
    pub(super) fn mark(&self, digits: &str, marks: &mut [bool]) {
        let wanted = Tail::of(digits);
        for (i, mark) in marks.iter_mut().enumerate().take(self.rows()) {
            *mark = *mark || self.row_ends(i, &wanted);
        }
    }

    fn row_ends(&self, i: usize, wanted: &Tail) -> bool {
        self.ends[self.starts[i] as usize..self.starts[i + 1] as usize].iter().any(|&end| wanted.ends(end))
    }
}

/// Digits a number's end is compared with.
struct Tail {
    count: u32,
    value: u32,
    modulus: u32,
}

impl Tail {
    fn of(digits: &str) -> Self {
        let end = tail_of(digits);
        let count = end >> 16;
        Self { count, value: end & 0xFFFF, modulus: 10u32.pow(count) }
    }

    fn ends(&self, end: u32) -> bool {
        end >> 16 >= self.count && (end & 0xFFFF) % self.modulus == self.value
    }
}

/// Each row's call status as a small number, for counting without comparing text.
#[derive(Clone, Debug, Default)]
pub(super) struct Statuses {
    /// Per row, its place in `names`.
    pub(super) of_row: Vec<u8>,
    /// `None`: no call yet ([`NO_CALL`]).
    pub(super) names: Vec<Option<String>>,
}

/// Different statuses told apart; more (never seen) count under the last.
const MAX_STATUSES: usize = 255;

impl Statuses {
    pub(super) fn of(records: &[BoardRecord]) -> Self {
        let mut names: Vec<Option<String>> = vec![];
        let of_row = records
            .iter()
            .map(|r| {
                let name = r.call_status.as_ref().map(CallStatus::as_str);
                match names.iter().position(|n| n.as_deref() == name) {
                    Some(place) => place as u8,
                    None if names.len() < MAX_STATUSES => {
                        names.push(name.map(str::to_owned));
                        (names.len() - 1) as u8
                    }
                    None => (MAX_STATUSES - 1) as u8,
                }
            })
            .collect();
        Self { of_row, names }
    }

    /// Whether a row of status `place` passes the status filter `wanted`.
    pub(super) fn picks(&self, wanted: Option<&str>, place: u8) -> bool {
        match (wanted, &self.names[place as usize]) {
            (None, _) => true,
            (Some(NO_CALL), name) => name.is_none(),
            (Some(w), Some(name)) => w == name,
            (Some(_), None) => false,
        }
    }
}

/// A new [`SearchIndex`] generation.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl SearchIndex {
    /// The index of a newly loaded list.
    pub fn new() -> Self {
        Self { generation: next_generation(), ..Self::default() }
    }

    /// Makes what a search reads, so that the first keystroke does not wait for it.
    pub fn warm(&self, records: &[BoardRecord]) {
        self.signatures(records);
        self.case_ids(records);
        self.tails(records);
    }

    /// Row `i`'s searchable text, lower-cased: case id, case name, party names and numbers.
    pub fn search_text(&self, records: &[BoardRecord], i: usize) -> &str {
        self.text(records).row(i)
    }

    pub(super) fn text(&self, records: &[BoardRecord]) -> &Column {
        self.text.get_or_init(|| {
            Arc::new(Column::build(records, |r, s| {
                let from = s.len();
                s.push_str(&r.case_id);
                s.push(' ');
                s.push_str(&r.case_name);
                for p in &r.parties {
                    s.push(' ');
                    s.push_str(&p.name);
                    s.push(' ');
                    s.push_str(&p.phone_number);
                }
                // A line break inside a name would look like the row's end.
                let lowered = s[from..].to_ascii_lowercase().replace(ROW_END, " ");
                s.truncate(from);
                s.push_str(&lowered);
            }))
        })
    }

    pub(super) fn signatures(&self, records: &[BoardRecord]) -> &Signatures {
        self.signatures.get_or_init(|| Arc::new(Signatures::of(self.text(records))))
    }

    pub(super) fn case_ids(&self, records: &[BoardRecord]) -> &Column {
        self.case_ids.get_or_init(|| Arc::new(Column::build(records, |r, s| s.push_str(&r.case_id.replace(ROW_END, " ")))))
    }

    pub(super) fn tails(&self, records: &[BoardRecord]) -> &Tails {
        self.tails.get_or_init(|| Arc::new(Tails::of(records)))
    }

    /// The rows' statuses (computed on first use, like the orders).
    pub(super) fn statuses(&self, records: &[BoardRecord]) -> &Statuses {
        self.statuses.get_or_init(|| Statuses::of(records))
    }

    /// Call after changing fields of the records in place (live updates):
    /// the sort orders are computed again when next needed, and a
    /// [`super::BoardSearch`] scans every row again.
    pub fn records_changed(&mut self) {
        self.orders = Default::default();
        self.statuses = OnceLock::new();
        self.generation = next_generation();
    }

    /// Call after changing fields of the records in place that no sort
    /// order reads (the QA total): a [`super::BoardSearch`] scans every row again.
    pub fn values_changed(&mut self) {
        self.generation = next_generation();
    }

    /// Every row index in the order `key` gives (computed on first use; a
    /// caller that replaced the records without a new index gets an order of
    /// the wrong length, which [`super::filter_rows`] does not use).
    pub fn order(&self, key: SortKey, records: &[BoardRecord]) -> &[usize] {
        let slot = &self.orders[SortKey::ALL.iter().position(|k| *k == key).unwrap_or(0)];
        slot.get_or_init(|| sorted(key, records))
    }
}

/// `yyyy-MM-dd HH:mm:ss` as a number: two of that shape compare as
/// numbers as they do as strings.
fn time_key(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 19 {
        return None;
    }
    let mut key = 0u64;
    for (i, &c) in b.iter().enumerate() {
        match (i, c) {
            (4 | 7, b'-') | (10, b' ') | (13 | 16, b':') => {}
            (4 | 7 | 10 | 13 | 16, _) => return None,
            (_, b'0'..=b'9') => key = key * 10 + u64::from(c - b'0'),
            _ => return None,
        }
    }
    Some(key)
}

/// A case id of nothing but 1–19 ASCII digits as its length and value:
/// two of one length compare as numbers as they do as strings.
fn id_key(s: &str) -> Option<(u8, u64)> {
    if s.is_empty() || s.len() > 19 || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((s.len() as u8, s.bytes().fold(0u64, |n, c| n * 10 + u64::from(c - b'0'))))
}

/// Every row in the order `key` gives: by that field (latest or longest
/// first), then by case id. The strings are compared as numbers where
/// they have the backend's shape (the answer is the same, the sort of
/// 100,000 rows several times faster), as strings where not.
pub(super) fn sorted(key: SortKey, records: &[BoardRecord]) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..records.len()).collect();
    fn time(key: SortKey, r: &BoardRecord) -> &str {
        match key {
            SortKey::Started => &r.start_time,
            _ => &r.update_time,
        }
    }
    let firsts: Vec<Option<u64>> = match key {
        SortKey::Updated | SortKey::Started => records.iter().map(|r| time_key(time(key, r))).collect(),
        SortKey::Duration => records.iter().map(|r| Some(r.duration_seconds().map_or(0, |s| u64::from(s) + 1))).collect(),
        SortKey::CaseId => vec![],
    };
    let ids: Vec<Option<(u8, u64)>> = records.iter().map(|r| id_key(&r.case_id)).collect();
    // One comparator for every order: the board's wasm then holds one copy
    // of the sort instead of one per order.
    rows.sort_by(|&a, &b| {
        let first = match (key, firsts.get(b), firsts.get(a)) {
            (SortKey::CaseId, ..) => std::cmp::Ordering::Equal,
            (_, Some(Some(x)), Some(Some(y))) => x.cmp(y),
            _ => time(key, &records[b]).cmp(time(key, &records[a])),
        };
        first.then_with(|| match (ids[a], ids[b]) {
            (Some((la, va)), Some((lb, vb))) if la == lb => va.cmp(&vb),
            _ => records[a].case_id.cmp(&records[b].case_id),
        })
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_of_each_byte_from_any_row_before_it() {
        let lengths = [3usize, 0, 1, 7, 2, 2, 0, 0, 5, 1, 9, 4, 1, 1, 1, 6, 0, 2];
        let mut column = Column::default();
        for len in lengths {
            column.starts.push(column.all.len() as u32);
            column.all.push_str(&"x".repeat(len));
            column.all.push(ROW_END);
        }
        column.starts.push(column.all.len() as u32);
        for row in 0..lengths.len() {
            for at in column.starts[row]..column.starts[row + 1] {
                for from in 0..=row {
                    assert_eq!(column.row_of(at, from), row, "byte {at} from row {from}");
                }
            }
        }
    }

    #[test]
    fn first_places_are_one_per_row_and_grow_to_the_longer_needles() {
        let rows = ["abcab", "xab", "", "b", "aab", "abab", "ba"];
        let mut column = Column::default();
        for r in rows {
            column.starts.push(column.all.len() as u32);
            column.all.push_str(r);
            column.all.push(ROW_END);
        }
        column.starts.push(column.all.len() as u32);
        let first = |needle: &str| -> Vec<u32> {
            rows.iter().enumerate().filter_map(|(i, r)| Some(column.starts[i] + r.find(needle)? as u32)).collect()
        };
        for needle in ["a", "ab", "b", "ba", "abab", "aab", "c", "x"] {
            let finder = memchr::memmem::Finder::new(needle);
            assert_eq!(column.hits(&finder), first(needle), "{needle}");
        }
        for (short, long) in [("a", "ab"), ("a", "aa"), ("ab", "abab"), ("b", "ba"), ("a", "abc"), ("x", "xab")] {
            let finder = memchr::memmem::Finder::new(long);
            assert_eq!(column.grow(&first(short), short.len(), &finder), first(long), "{short} -> {long}");
        }
    }

    #[test]
    fn each_order_is_the_one_its_strings_give() {
        let times = ["2026-11-22 10:00:00", "2026-11-22 09:59:59", "", "2026-11-22", "2026-11-22 9:00:00", "2026-11-22T10:00:00", "2026-11-22 10:00:00", "２０２６-11-22 10:00:00", "9999-12-31 23:59:59"];
        let ids = ["10", "9", "010", "A1", "200", "99999999999999999999", "18446744073709551615", "202602060935121619", "202602060935120001", "", "1"];
        let durations = ["30", "", "1:30", "00:00:30", "x"];
        let records: Vec<BoardRecord> = (0..times.len() * ids.len())
            .map(|n| BoardRecord {
                case_id: ids[n % ids.len()].into(),
                update_time: times[n % times.len()].into(),
                start_time: times[(n / 3) % times.len()].into(),
                duration: durations[n % durations.len()].into(),
                ..Default::default()
            })
            .collect();
        for key in SortKey::ALL {
            let mut plain: Vec<usize> = (0..records.len()).collect();
            plain.sort_by(|&a, &b| {
                let (ra, rb) = (&records[a], &records[b]);
                let first = match key {
                    SortKey::CaseId => std::cmp::Ordering::Equal,
                    SortKey::Updated => rb.update_time.cmp(&ra.update_time),
                    SortKey::Started => rb.start_time.cmp(&ra.start_time),
                    SortKey::Duration => rb.duration_seconds().map_or(-1, i64::from).cmp(&ra.duration_seconds().map_or(-1, i64::from)),
                };
                first.then_with(|| ra.case_id.cmp(&rb.case_id))
            });
            assert_eq!(sorted(key, &records), plain, "{key:?}");
        }
    }

    #[test]
    fn a_tail_is_the_numbers_last_digits_up_to_four() {
        let ends = |number: &str, digits: &str| Tail::of(digits).ends(tail_of(number));
        assert!(ends("139****1489", "9") && ends("139****1489", "89") && ends("139****1489", "1489"));
        assert!(!ends("139****1489", "1488") && !ends("139****1489", "4") && !ends("139****1489", "148"));
        // Leading zeros count: 0148 is four digits, 148 three.
        assert!(ends("135****0148", "0148") && ends("135****0148", "148") && !ends("137****148", "0148"));
        // Masked or empty ends end with no digits.
        assert!(!ends("138****", "8") && !ends("", "0") && ends("12", "12") && !ends("12", "012"));
    }

    #[test]
    fn a_row_lacking_a_querys_character_is_never_a_candidate() {
        let rows = ["刘树杰 139****1489", "王芳 138****2222", "li hua c3"];
        let sigs = Signatures { of_row: rows.iter().map(|r| signature(r)).collect() };
        for (query, holds) in [("刘", [0]), ("芳", [1]), ("hu", [2])] {
            let found = sigs.candidates(&signature(query));
            for i in holds {
                assert!(found.contains(&i), "{query} {i}");
            }
            for (i, row) in rows.iter().enumerate() {
                if !query.chars().all(|c| row.contains(c)) {
                    assert!(!found.contains(&(i as u32)), "{query} {i}");
                }
            }
        }
    }
}
