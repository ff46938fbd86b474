//! What the board screen does with the list: filter, search, sort and count.
//! The filter lives in the page's URL (`?stage=…&status=…`), so a link shares it.

mod index;

use crate::wire::mediation::{BoardRecord, CallType, DisputeType, Stage};
use index::{sorted, Column, Signatures, Statuses, Tails};
pub use index::SearchIndex;

/// Sort orders offered on the board.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Most recently changed first.
    #[default]
    Updated,
    /// Latest call start first.
    Started,
    /// Longest call first.
    Duration,
    CaseId,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [SortKey::Updated, SortKey::Started, SortKey::Duration, SortKey::CaseId];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Updated => "updated",
            SortKey::Started => "started",
            SortKey::Duration => "duration",
            SortKey::CaseId => "case",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// "Taken over" filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Taken {
    Yes,
    No,
}

/// The board's filter, search and sort.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BoardFilter {
    pub stage: Option<Stage>,
    /// A call status value, or `none` for cases never called.
    pub status: Option<String>,
    pub taken: Option<Taken>,
    /// Only cases the signed-in user has taken over.
    pub mine: bool,
    /// Party name, case id, or the last digits of a phone number.
    pub query: String,
    pub sort: SortKey,
    /// The kind of dispute (`dispute=`).
    pub dispute: Option<DisputeType>,
    /// The type of the case's last call (`type=`).
    pub call_type: Option<CallType>,
    /// The day of the last call, from and to (inclusive), `yyyy-MM-dd` (`from=`, `to=`).
    pub from: Option<String>,
    pub to: Option<String>,
    /// The amount in dispute, in yuan, at least and at most (`min=`, `max=`).
    pub min_amount: Option<u64>,
    pub max_amount: Option<u64>,
    /// Only cases whose latest QA total is below this percentage (`qa=`).
    pub qa_below: Option<i64>,
}

/// An amount of yuan as written by the backend ("28320.00", "3742") in fen;
/// read by hand because `str::parse::<f64>` brings core's float parser
/// (about 17 KB gzipped) into the board's bundle.
fn fen_of(amount: &str) -> Option<u64> {
    let (yuan, fraction) = amount.trim().split_once('.').unwrap_or((amount.trim(), ""));
    if yuan.is_empty() || !yuan.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = fraction.bytes().chain(std::iter::repeat(b'0')).take(2).fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    yuan.parse::<u64>().ok()?.checked_mul(100)?.checked_add(cents)
}

/// A day as a filter takes it: `yyyy-MM-dd`, else nothing.
fn day(v: &str) -> Option<String> {
    crate::wire::followup::check_date(v).is_ok().then(|| v.to_owned())
}

/// `none` as a status filter: cases with no call yet.
pub const NO_CALL: &str = "none";

fn decode(v: &str) -> String {
    crate::wire::url::decode_component(v).unwrap_or_else(|| v.to_owned())
}

fn encode(v: &str) -> String {
    crate::wire::url::encode_component(v)
}

impl BoardFilter {
    /// Reads a query string (`stage=…&status=…&taken=yes&mine=1&q=…&sort=…`);
    /// unknown or malformed values are ignored.
    pub fn from_query(query: &str) -> Self {
        let mut f = Self::default();
        for pair in query.trim_start_matches('?').split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let v = decode(v);
            match k {
                "stage" if !v.is_empty() => f.stage = Some(Stage::parse(&v)),
                "status" if !v.is_empty() => f.status = Some(v),
                "taken" => {
                    f.taken = match v.as_str() {
                        "yes" => Some(Taken::Yes),
                        "no" => Some(Taken::No),
                        _ => None,
                    }
                }
                "mine" => f.mine = v == "1" || v == "true",
                "q" => f.query = v,
                "sort" => f.sort = SortKey::parse(&v).unwrap_or_default(),
                "dispute" if !v.is_empty() => f.dispute = Some(DisputeType::parse(&v)),
                "type" if !v.is_empty() => f.call_type = Some(CallType::parse(&v)),
                "from" => f.from = day(&v),
                "to" => f.to = day(&v),
                "min" => f.min_amount = v.parse().ok(),
                "max" => f.max_amount = v.parse().ok(),
                "qa" => f.qa_below = v.parse().ok().filter(|p| (1..=100).contains(p)),
                _ => {}
            }
        }
        f
    }

    /// The query string (without `?`), default values left out.
    pub fn to_query(&self) -> String {
        let mut parts = vec![];
        if let Some(s) = &self.stage {
            parts.push(format!("stage={}", encode(s.as_str())));
        }
        if let Some(s) = &self.status {
            parts.push(format!("status={}", encode(s)));
        }
        match self.taken {
            Some(Taken::Yes) => parts.push("taken=yes".into()),
            Some(Taken::No) => parts.push("taken=no".into()),
            None => {}
        }
        if self.mine {
            parts.push("mine=1".into());
        }
        if !self.query.trim().is_empty() {
            parts.push(format!("q={}", encode(self.query.trim())));
        }
        if self.sort != SortKey::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if let Some(d) = &self.dispute {
            parts.push(format!("dispute={}", encode(d.as_str())));
        }
        if let Some(t) = &self.call_type {
            parts.push(format!("type={}", encode(t.as_str())));
        }
        for (name, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v {
                parts.push(format!("{name}={v}"));
            }
        }
        for (name, v) in [("min", self.min_amount), ("max", self.max_amount)] {
            if let Some(v) = v {
                parts.push(format!("{name}={v}"));
            }
        }
        if let Some(q) = self.qa_below {
            parts.push(format!("qa={q}"));
        }
        parts.join("&")
    }

    /// Whether a row passes the filter (`search` is its [`SearchIndex`] text).
    pub fn matches(&self, r: &BoardRecord, search: &str, me: &str) -> bool {
        let prepared = Prepared::new(self);
        prepared.passes_except_status(r, search, me) && prepared.status_ok(r)
    }
}

/// The filter with its query normalised once, for scanning many rows.
struct Prepared<'a> {
    filter: &'a BoardFilter,
    query: String,
    /// The query is the last digits of a phone number, or part of a case id.
    phone_tail: bool,
    /// Nothing but the query and the status filters: a scan reads the index only.
    query_only: bool,
    /// The query's searcher, made once per scan rather than once per row.
    finder: memchr::memmem::Finder<'static>,
    /// The query's characters, to pass over rows that lack one.
    signature: index::Signature,
}

impl<'a> Prepared<'a> {
    fn new(filter: &'a BoardFilter) -> Self {
        // ASCII folding is enough (case ids and pinyin; Chinese has no case) and
        // keeps Unicode's case tables out of the browser bundle.
        let query = filter.query.trim().to_ascii_lowercase();
        let phone_tail = !query.is_empty() && query.len() <= index::TAIL_DIGITS && query.chars().all(|c| c.is_ascii_digit());
        let query_only = *filter == BoardFilter { query: filter.query.clone(), status: filter.status.clone(), sort: filter.sort, ..BoardFilter::default() };
        let finder = memchr::memmem::Finder::new(query.as_bytes()).into_owned();
        let signature = index::signature(&query);
        Self { filter, query, phone_tail, query_only, finder, signature }
    }

    /// The query alone, for row `i`, from the index.
    fn query_ok(&self, index: &Columns, i: usize) -> bool {
        if self.query.is_empty() {
            return true;
        }
        if self.phone_tail {
            return index.tails.row_ends_with(i, &self.query) || index::find_short(index.case_ids.row(i).as_bytes(), self.query.as_bytes()).is_some();
        }
        index::find_short(index.text.row(i).as_bytes(), self.query.as_bytes()).is_some()
    }

    /// The column that [`Hits`] of this query are places in.
    fn searched<'c>(&self, columns: &Columns<'c>) -> &'c Column {
        if self.phone_tail {
            columns.case_ids
        } else {
            columns.text
        }
    }

    /// Every place the query occurs in the column it is searched in: in
    /// the rows that hold each of its characters when those are few, else
    /// in one pass over every row.
    fn hits(&self, columns: &Columns) -> Vec<u32> {
        let column = self.searched(columns);
        if !self.phone_tail && columns.signatures.rows() == column.rows() {
            let rows = columns.signatures.candidates(&self.signature);
            if rows.len() * 2 < column.rows() {
                return column.hits_in_rows(&self.finder, &rows);
            }
        }
        column.hits(&self.finder)
    }

    /// Everything but the status filter (the per-status counts use this, so a
    /// chip shows what selecting it would give).
    fn passes_except_status(&self, r: &BoardRecord, search: &str, me: &str) -> bool {
        let f = self.filter;
        if let Some(stage) = &f.stage {
            if &r.stage != stage {
                return false;
            }
        }
        match f.taken {
            Some(Taken::Yes) if r.takeover_user.is_none() => return false,
            Some(Taken::No) if r.takeover_user.is_some() => return false,
            _ => {}
        }
        if f.mine && r.takeover_user.as_deref() != Some(me) {
            return false;
        }
        if f.dispute.as_ref().is_some_and(|d| &r.dispute_type != d) || f.call_type.is_some() && r.call_type != f.call_type {
            return false;
        }
        // The last call's day: `start_time` is `yyyy-MM-dd HH:mm:ss`; a case without one is outside any range.
        if f.from.is_some() || f.to.is_some() {
            let Some(d) = r.start_time.get(..10) else { return false };
            if f.from.as_deref().is_some_and(|from| d < from) || f.to.as_deref().is_some_and(|to| d > to) {
                return false;
            }
        }
        if f.min_amount.is_some() || f.max_amount.is_some() {
            let Some(fen) = r.amount.as_deref().and_then(fen_of) else { return false };
            if f.min_amount.is_some_and(|m| fen < m * 100) || f.max_amount.is_some_and(|m| fen > m * 100) {
                return false;
            }
        }
        // A case without a QA total is not known to be low.
        if f.qa_below.is_some_and(|q| !r.qa_percent.is_some_and(|p| p < q)) {
            return false;
        }
        if self.query.is_empty() {
            return true;
        }
        if self.phone_tail {
            // Last digits of a phone number (which may be masked), or part of a case id.
            return r.parties.iter().any(|p| p.phone_number.ends_with(&self.query)) || r.case_id.contains(&self.query);
        }
        search.contains(&self.query)
    }

    fn status_ok(&self, r: &BoardRecord) -> bool {
        match self.filter.status.as_deref() {
            None => true,
            Some(NO_CALL) => r.call_status.is_none(),
            Some(s) => r.call_status.as_ref().is_some_and(|c| c.as_str() == s),
        }
    }
}

/// What the board shows for a filter: the rows that pass it, as indices
/// into the records in the chosen order, and how many rows would show for
/// each status value (and [`NO_CALL`]) given the rest of the filter, most
/// first (so a chip shows what selecting it would give).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filtered {
    pub rows: Vec<usize>,
    pub counts: Vec<(String, usize)>,
}

/// [`Filtered`] for `filter`, scanning every case. Runs over up to 100,000
/// rows, so it walks them in the order they are kept (memory in sequence;
/// the sort order jumps about) and allocates nothing per row; the sort order
/// is computed once per load (see [`SearchIndex::order`]) and only walked at
/// the end, and the counts come from the same pass as the rows. As the user
/// types, [`BoardSearch`] scans less.
pub fn filter_rows(filter: &BoardFilter, records: &[BoardRecord], index: &SearchIndex, me: &str) -> Filtered {
    scan(&Prepared::new(filter), records, index, me, Source::Every).0
}

/// What a scan reads from the index (empty where its query reads nothing).
struct Columns<'a> {
    text: &'a Column,
    signatures: &'a Signatures,
    case_ids: &'a Column,
    tails: &'a Tails,
}

/// Which rows a scan looks at.
enum Source<'a> {
    Every,
    /// These (ascending): a query that the last one's result holds all matches of.
    Rows(&'a [usize]),
    /// Where a query that this one begins with (its first `known` bytes)
    /// occurs: all of this one also occurs only there. For the digits of a
    /// phone's end these are places in the case ids alone: every number's
    /// end is compared again.
    Grown { known: usize, hits: &'a [u32] },
}

/// What a scan found besides what it shows, for the next keystroke: the
/// rows that pass all but the status filter (ascending), and where the
/// query occurs in the column it is searched in (see [`Prepared::hits`])
/// when the scan read the index alone.
#[derive(Debug, Default)]
struct Found {
    passed: Vec<usize>,
    hits: Option<Vec<u32>>,
}

/// The rows of `source` that pass `prepared`, in the filter's order, with
/// the per-status counts, and what the next keystroke may start from.
/// With nothing but a query (the common case) it reads the index alone.
fn scan(prepared: &Prepared, records: &[BoardRecord], index: &SearchIndex, me: &str, source: Source) -> (Filtered, Found) {
    let n = records.len();
    let fresh;
    let statuses = match index.statuses(records) {
        s if s.of_row.len() == n => s,
        // Records replaced without a new index.
        _ => {
            fresh = Statuses::of(records);
            &fresh
        }
    };
    // Only what this query reads is made (an empty query reads nothing).
    let (empty, no_signatures, no_tails) = (Column::default(), Signatures::default(), Tails::default());
    let reads_text = !prepared.query.is_empty() && !prepared.phone_tail;
    let text = if reads_text { index.text(records) } else { &empty };
    let signatures = if reads_text && prepared.query_only { index.signatures(records) } else { &no_signatures };
    let (case_ids, tails) = if prepared.query_only && prepared.phone_tail { (index.case_ids(records), index.tails(records)) } else { (&empty, &no_tails) };
    let columns = Columns { text, signatures, case_ids, tails };
    // From the index alone, unless it was made for other records (replaced without a new index).
    let indexed = prepared.query_only
        && (prepared.query.is_empty() || if prepared.phone_tail { case_ids.rows() == n && tails.rows() == n } else { text.rows() == n });
    // Every row at once: where the query occurs, then the rows it lies in.
    let hits = (indexed && !prepared.query.is_empty())
        .then(|| match source {
            Source::Every => Some(prepared.hits(&columns)),
            Source::Grown { known, hits } => Some(prepared.searched(&columns).grow(hits, known, &prepared.finder)),
            Source::Rows(_) => None,
        })
        .flatten();
    let marks = hits.as_ref().map(|at| {
        let mut marks = vec![false; n];
        prepared.searched(&columns).mark(at, &mut marks);
        if prepared.phone_tail {
            tails.mark(&prepared.query, &mut marks);
        }
        marks
    });
    let mut kept = vec![false; n];
    let mut per_status = vec![0usize; statuses.names.len()];
    let mut passed = Vec::new();
    let mut visit = |i: usize| {
        let pass = match &marks {
            Some(marks) => marks[i],
            None if indexed => prepared.query_ok(&columns, i),
            None => prepared.passes_except_status(&records[i], text.row(i), me),
        };
        if pass {
            kept[i] = true;
            per_status[statuses.of_row[i] as usize] += 1;
            passed.push(i);
        }
    };
    match source {
        Source::Rows(rows) => rows.iter().for_each(|&i| visit(i)),
        Source::Every | Source::Grown { .. } => (0..n).for_each(visit),
    }
    let wanted = prepared.filter.status.as_deref();
    let shown = |i: &usize| kept[*i] && statuses.picks(wanted, statuses.of_row[*i]);
    let order = index.order(prepared.filter.sort, records);
    let rows = if order.len() == n {
        order.iter().copied().filter(shown).collect()
    } else {
        sorted(prepared.filter.sort, records).into_iter().filter(shown).collect()
    };
    let mut counts: Vec<(String, usize)> = vec![];
    for (name, count) in statuses.names.iter().zip(per_status).filter(|(_, c)| *c > 0) {
        let key = name.as_deref().unwrap_or(NO_CALL);
        match counts.iter_mut().find(|(k, _)| k == key) {
            Some((_, c)) => *c += count,
            None => counts.push((key.to_owned(), count)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (Filtered { rows, counts }, Found { passed, hits })
}

/// The board's search as it is typed: [`filter_rows`], remembering what the
/// last keystroke found. When only the query changed: if it grew at its end,
/// only the places where the last query occurred are read again; if every
/// row it can match matched the last one (it grew around the last query, or
/// the last was empty) and those rows are few, only they are scanned.
#[derive(Debug, Default)]
pub struct BoardSearch {
    last: Option<LastScan>,
    scanned: usize,
}

#[derive(Debug)]
struct LastScan {
    /// The filter scanned, its status and query left out (the rows kept
    /// ignore the status; the query is compared on its own).
    rest: BoardFilter,
    /// The query as scanned (normalised), and whether it was a phone number's end.
    query: String,
    phone_tail: bool,
    me: String,
    generation: u64,
    passed: Vec<usize>,
    /// Where the query occurred (see [`Found`]).
    hits: Option<Vec<u32>>,
}

impl BoardSearch {
    pub fn filter(&mut self, filter: &BoardFilter, records: &[BoardRecord], index: &SearchIndex, me: &str) -> Filtered {
        let prepared = Prepared::new(filter);
        let rest = BoardFilter { status: None, query: String::new(), ..filter.clone() };
        let n = records.len();
        let last = self.last.take().filter(|last| last.generation == index.generation && last.me == me && last.rest == rest);
        let grown = last.as_ref().filter(|last| {
            last.phone_tail == prepared.phone_tail && prepared.query.len() > last.query.len() && prepared.query.starts_with(&last.query)
        });
        // The last result's rows, unless the index answers faster (they are most rows).
        let within = last.as_ref().filter(|last| {
            (last.query.is_empty() || !last.phone_tail && !prepared.phone_tail && prepared.query.contains(&last.query))
                && (!prepared.query_only || last.passed.len() * 2 < n)
        });
        let (result, found) = match (grown.and_then(|last| Some((last, last.hits.as_deref()?))), within) {
            (Some((last, hits)), _) => {
                // A phone's end is compared again for every row.
                self.scanned = if prepared.phone_tail { n } else { last.passed.len() };
                scan(&prepared, records, index, me, Source::Grown { known: last.query.len(), hits })
            }
            (None, Some(last)) => {
                self.scanned = last.passed.len();
                scan(&prepared, records, index, me, Source::Rows(&last.passed))
            }
            _ => {
                self.scanned = n;
                scan(&prepared, records, index, me, Source::Every)
            }
        };
        self.last = Some(LastScan {
            rest,
            query: prepared.query.clone(),
            phone_tail: prepared.phone_tail,
            me: me.to_owned(),
            generation: index.generation,
            passed: found.passed,
            hits: found.hits,
        });
        result
    }

    /// How many rows the last [`BoardSearch::filter`] looked at.
    pub fn scanned(&self) -> usize {
        self.scanned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::mediation::{CallStatus, DisputeType, Party};

    fn rec(id: &str, name: &str, phone: &str, stage: Stage, status: Option<&str>, taken: Option<&str>, update: &str, duration: &str) -> BoardRecord {
        BoardRecord {
            case_id: id.into(),
            mediation_id: 1,
            case_name: format!("{name}纠纷"),
            dispute_type: DisputeType::WageArrears,
            stage,
            amount: None,
            facts: String::new(),
            parties: vec![Party { person_id: format!("p{id}"), name: name.into(), person_type: 0, phone_number: phone.into() }],
            call_person_id: None,
            call_type: None,
            call_status: status.map(CallStatus::parse),
            job_id: None,
            takeover_user: taken.map(Into::into),
            takeover_time: None,
            start_time: update.into(),
            duration: duration.into(),
            update_time: update.into(),
            qa_percent: None,
        }
    }

    fn data() -> Vec<BoardRecord> {
        vec![
            rec("A1", "刘树杰", "139****1489", Stage::FollowUp, Some("Succeeded"), None, "2026-11-22 10:00:00", "30"),
            rec("B2", "王芳", "138****2222", Stage::Mediating, Some("Executing"), Some("zhangmin"), "2026-11-22 11:00:00", "90"),
            rec("C3", "Li Hua", "137****3333", Stage::Accepted, None, Some("lihua"), "2026-11-22 09:00:00", ""),
        ]
    }

    #[test]
    fn dispute_call_type_last_call_day_and_amount_narrow_the_board() {
        let mut records = data();
        records[0].amount = Some("3742.00".into());
        records[0].call_type = Some(CallType::FollowUp);
        records[1].amount = Some("28320".into());
        records[1].dispute_type = DisputeType::Tenancy;
        records[1].call_type = Some(CallType::Agreement);
        records[1].start_time = "2026-11-20 09:00:00".into();
        let ids = |q: &str| {
            let f = BoardFilter::from_query(q);
            records.iter().filter(|r| f.matches(r, "", "zhangmin")).map(|r| r.case_id.as_str()).collect::<Vec<_>>()
        };
        assert_eq!(ids("dispute=tenancy"), ["B2"]);
        assert_eq!(ids("dispute=wage_arrears"), ["A1", "C3"]);
        assert_eq!(ids("type=follow_up"), ["A1"]);
        assert_eq!(ids("from=2026-11-21"), ["A1", "C3"]);
        assert_eq!(ids("from=2026-11-20&to=2026-11-20"), ["B2"]);
        // An amount range leaves out cases without an amount.
        assert_eq!(ids("min=5000"), ["B2"]);
        assert_eq!(ids("max=5000"), ["A1"]);
        assert_eq!(ids("min=3742&max=3742"), ["A1"]);
        assert_eq!((fen_of("3742.5"), fen_of(" 28320 "), fen_of("1,000"), fen_of(".5"), fen_of("abc")), (Some(374_250), Some(2_832_000), None, None, None));
        let mut over = records[0].clone();
        over.amount = Some("3742.01".into());
        assert!(!BoardFilter::from_query("max=3742").matches(&over, "", "zhangmin"));
        // What cannot be read is no filter.
        assert_eq!(ids("from=yesterday&min=lots"), ["A1", "B2", "C3"]);
        let f = BoardFilter::from_query("type=agreement&dispute=tenancy&from=2026-11-01&to=2026-11-30&min=100&max=50000");
        assert_eq!(f.to_query(), "dispute=tenancy&type=agreement&from=2026-11-01&to=2026-11-30&min=100&max=50000");
        assert_eq!(BoardFilter::from_query(&f.to_query()), f);
    }

    #[test]
    fn query_round_trip() {
        let f = BoardFilter {
            stage: Some(Stage::FollowUp),
            status: Some("NoAnswer".into()),
            taken: Some(Taken::No),
            mine: true,
            query: "刘 树".into(),
            sort: SortKey::Duration,
            ..BoardFilter::default()
        };
        assert_eq!(BoardFilter::from_query(&f.to_query()), f);
        assert_eq!(BoardFilter::default().to_query(), "");
        assert_eq!(BoardFilter::from_query("?sort=bogus&taken=maybe&x=1"), BoardFilter::default());
    }

    #[test]
    fn filters_search_and_sorts() {
        let d = data();
        let idx = SearchIndex::new();
        let ids = |f: &BoardFilter| filter_rows(f, &d, &idx, "zhangmin").rows.into_iter().map(|i| d[i].case_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&BoardFilter::default()), ["B2", "A1", "C3"]);
        assert_eq!(ids(&BoardFilter { query: "刘树".into(), ..Default::default() }), ["A1"]);
        assert_eq!(ids(&BoardFilter { query: "1489".into(), ..Default::default() }), ["A1"]);
        assert_eq!(ids(&BoardFilter { query: "li hua".into(), ..Default::default() }), ["C3"]);
        assert_eq!(ids(&BoardFilter { query: "c3".into(), ..Default::default() }), ["C3"]);
        assert_eq!(ids(&BoardFilter { mine: true, ..Default::default() }), ["B2"]);
        assert_eq!(ids(&BoardFilter { taken: Some(Taken::No), ..Default::default() }), ["A1"]);
        assert_eq!(ids(&BoardFilter { status: Some(NO_CALL.into()), ..Default::default() }), ["C3"]);
        assert_eq!(ids(&BoardFilter { stage: Some(Stage::Mediating), ..Default::default() }), ["B2"]);
        assert_eq!(ids(&BoardFilter { sort: SortKey::Duration, ..Default::default() }), ["B2", "A1", "C3"]);
        assert_eq!(ids(&BoardFilter { sort: SortKey::CaseId, ..Default::default() }), ["A1", "B2", "C3"]);
    }

    #[test]
    fn counts_ignore_the_status_filter_itself() {
        let d = data();
        let idx = SearchIndex::new();
        let f = BoardFilter { status: Some("Succeeded".into()), ..Default::default() };
        let counts = filter_rows(&f, &d, &idx, "me").counts;
        assert_eq!(counts.len(), 3);
        assert!(counts.contains(&("Executing".into(), 1)));
        assert!(counts.contains(&(NO_CALL.into(), 1)));
    }

    #[test]
    fn sort_orders_follow_in_place_changes_once_told() {
        let mut d = vec![
            rec("A", "甲", "13900000001", Stage::Mediating, Some("Succeeded"), None, "2026-02-01 10:00:00", "0:10"),
            rec("B", "乙", "13900000002", Stage::Mediating, Some("Succeeded"), None, "2026-02-02 10:00:00", "0:20"),
        ];
        let mut idx = SearchIndex::new();
        let ids = |rows: Vec<usize>, d: &[BoardRecord]| rows.into_iter().map(|i| d[i].case_id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(filter_rows(&BoardFilter::default(), &d, &idx, "me").rows, &d), ["B", "A"]);
        d[0].update_time = "2026-02-03 10:00:00".into();
        idx.records_changed();
        assert_eq!(ids(filter_rows(&BoardFilter::default(), &d, &idx, "me").rows, &d), ["A", "B"]);
        // Records replaced without a new index: still correct, never a stale order.
        d.push(rec("C", "丙", "13900000003", Stage::Mediating, None, None, "2026-02-04 10:00:00", ""));
        assert_eq!(ids(filter_rows(&BoardFilter::default(), &d, &idx, "me").rows, &d), ["C", "A", "B"]);
    }

    #[test]
    fn the_qa_filter_keeps_cases_whose_latest_total_is_below_it() {
        let mut rows = data();
        rows[0].qa_percent = Some(45);
        rows[1].qa_percent = Some(60);
        let f = BoardFilter::from_query("qa=60");
        assert_eq!(f.qa_below, Some(60));
        assert_eq!(f.to_query(), "qa=60");
        let kept: Vec<&str> = rows.iter().filter(|r| f.matches(r, "", "zhangmin")).map(|r| r.case_id.as_str()).collect();
        assert_eq!(kept, ["A1"], "60% is not below 60%, and a case without a total is not known to be low");
        for bad in ["qa=0", "qa=101", "qa=x", "qa=-5"] {
            assert_eq!(BoardFilter::from_query(bad).qa_below, None, "{bad}");
        }
        // The edge's figures reach the rows by case.
        let response = crate::wire::api::BoardResponse { cases: data(), fetched_at: 0, qa: vec![crate::wire::api::CaseQa { case_id: "B2".into(), percent: 38 }] };
        let cases = response.into_cases();
        assert_eq!(cases.iter().map(|c| c.qa_percent).collect::<Vec<_>>()[..2], [None, Some(38)]);
    }

    #[test]
    fn a_search_as_typed_shows_what_a_full_scan_shows_and_narrows_only_when_it_may() {
        let mut d = data();
        d.push(rec("D4", "刘树", "135****0148", Stage::Mediating, Some("Succeeded"), None, "2026-11-22 08:00:00", "10"));
        d.push(rec("E5", "王芳芳", "136****1480", Stage::FollowUp, None, Some("zhangmin"), "2026-11-22 07:00:00", "20"));
        d.push(rec("F6", "Li Huang", "137****4148", Stage::Accepted, Some("Executing"), None, "2026-11-22 06:00:00", "5"));
        let mut idx = SearchIndex::new();
        let mut board = BoardSearch::default();
        let check = |board: &mut BoardSearch, idx: &SearchIndex, d: &[BoardRecord], f: BoardFilter| {
            let typed = board.filter(&f, d, idx, "zhangmin");
            assert_eq!(typed, filter_rows(&f, d, idx, "zhangmin"), "{f:?}");
            board.scanned()
        };
        let q = |query: &str| BoardFilter { query: query.into(), ..BoardFilter::default() };
        let n = d.len();
        // From nothing, and from an empty query: every row.
        assert_eq!(check(&mut board, &idx, &d, q("")), n);
        assert_eq!(check(&mut board, &idx, &d, q("刘")), n);
        // The query grew: only the last result (A1, D4).
        assert_eq!(check(&mut board, &idx, &d, q("刘树")), 2);
        assert_eq!(check(&mut board, &idx, &d, q("刘树杰")), 2);
        // It shrank: every row again.
        assert_eq!(check(&mut board, &idx, &d, q("刘")), n);
        // A status only picks among the rows kept; the counts stay the same.
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { status: Some("Succeeded".into()), query: "刘树".into(), ..BoardFilter::default() }), 2);
        // Another filter changed: every row.
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { stage: Some(Stage::Mediating), query: "刘树".into(), ..BoardFilter::default() }), n);
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { sort: SortKey::CaseId, stage: Some(Stage::Mediating), query: "刘树".into(), ..BoardFilter::default() }), n);
        // Digits of a phone's end match differently from text: "148" then
        // "1480" is no narrowing (D4 ends in 0148 and not in 1480; E5 the other way).
        assert_eq!(check(&mut board, &idx, &d, q("14")), n);
        assert_eq!(check(&mut board, &idx, &d, q("148")), n);
        assert_eq!(check(&mut board, &idx, &d, q("1480")), n);
        // Five digits are text again, and not within the phone-end result either.
        assert_eq!(check(&mut board, &idx, &d, q("41480")), n);
        assert_eq!(check(&mut board, &idx, &d, q("li")), n);
        assert_eq!(check(&mut board, &idx, &d, q("li hua")), 2);
        // Another user, or changed records: every row.
        assert_eq!(board.filter(&q("li huan"), &d, &idx, "lihua"), filter_rows(&q("li huan"), &d, &idx, "lihua"));
        assert_eq!(board.scanned(), n);
        d[5].case_name = "Li Huang纠纷".into();
        d[0].takeover_user = Some("zhangmin".into());
        idx.records_changed();
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { taken: Some(Taken::Yes), query: "li huang".into(), ..BoardFilter::default() }), n);
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { taken: Some(Taken::Yes), query: "li huangz".into(), ..BoardFilter::default() }), 0);
        // A new load is a new index.
        let idx = SearchIndex::new();
        assert_eq!(check(&mut board, &idx, &d, BoardFilter { taken: Some(Taken::Yes), query: "li huangzz".into(), ..BoardFilter::default() }), n);
    }

    /// What the board shows, worked out the plain way: every record through
    /// [`BoardFilter::matches`], in the sort order, counted one by one.
    fn reference(f: &BoardFilter, d: &[BoardRecord], idx: &SearchIndex, me: &str) -> Filtered {
        let rows = sorted(f.sort, d).into_iter().filter(|&i| f.matches(&d[i], idx.search_text(d, i), me)).collect();
        let unstatused = BoardFilter { status: None, ..f.clone() };
        let mut counts: Vec<(String, usize)> = vec![];
        for (_, r) in d.iter().enumerate().filter(|(i, r)| unstatused.matches(r, idx.search_text(d, *i), me)) {
            let key = r.call_status.as_ref().map(CallStatus::as_str).unwrap_or(NO_CALL).to_owned();
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Filtered { rows, counts }
    }

    #[test]
    fn the_scan_from_the_index_shows_what_each_record_passing_the_filter_shows() {
        let mut d = data();
        d.push(rec("2026A0148", "刘树", "135****0148", Stage::Mediating, Some("Succeeded"), None, "2026-11-22 08:00:00", "10"));
        d.push(rec("X 14", "王芳芳", "136****1480", Stage::FollowUp, None, Some("zhangmin"), "2026-11-22 07:00:00", "20"));
        d.push(rec("F6", "Li Huang 148", "137****4148", Stage::Accepted, Some("Executing"), None, "2026-11-22 06:00:00", "5"));
        d.push(rec("G7", "无号码", "", Stage::Accepted, Some("Failed"), None, "2026-11-21 06:00:00", "5"));
        // Where a longer query first occurs later in the row than the shorter one did.
        d.push(rec("1013", "lia li huang", "138****3013", Stage::Accepted, None, None, "2026-11-20 06:00:00", "5"));
        d[1].parties.push(Party { person_id: "pB2b".into(), name: "某公司".into(), person_type: 1, phone_number: "0755****0148".into() });
        let idx = SearchIndex::new();
        let queries = ["", "刘", "刘树杰", "1", "14", "148", "0148", "1480", "a0", "2026", " X 1", "li huang", "LI", "zz", "某公司 0755", "13", "li h"];
        let statuses = [None, Some("Succeeded"), Some(NO_CALL), Some("Failed"), Some("Nope")];
        for q in queries {
            for status in statuses {
                for (stage, sort) in [(None, SortKey::Updated), (Some(Stage::Mediating), SortKey::CaseId), (None, SortKey::Duration)] {
                    let f = BoardFilter { query: q.into(), status: status.map(Into::into), stage: stage.clone(), sort, ..BoardFilter::default() };
                    assert_eq!(filter_rows(&f, &d, &idx, "zhangmin"), reference(&f, &d, &idx, "zhangmin"), "{f:?}");
                }
            }
        }
        // As typed, one character at a time (each keystroke starting from
        // the last one's places or rows), and edited in the middle.
        let typed = queries.iter().flat_map(|q| q.char_indices().map(|(at, c)| &q[..at + c.len_utf8()]).chain([""]));
        let edits = ["树", "刘树", "杰", "a1\n2026", "a1\n", "148", "14801", "x 14", "x 1", "某公司 0755"];
        for status in [None, Some("Succeeded")] {
            let mut board = BoardSearch::default();
            for q in typed.clone().chain(edits) {
                let f = BoardFilter { query: q.into(), status: status.map(Into::into), ..BoardFilter::default() };
                assert_eq!(board.filter(&f, &d, &idx, "zhangmin"), reference(&f, &d, &idx, "zhangmin"), "{f:?}");
            }
        }
    }
}
