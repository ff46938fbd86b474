//! A board answer too large to hold, read as it arrives and written as it
//! goes. A centre with 100,000 cases gets 79 MB from the backend: read
//! whole, parsed and written again, that is several times a Worker's 128 MB.
//! Here the backend's envelope is split into the elements of its `data`
//! array as the bytes come ([`Elements`]), and each case is read, masked and
//! written on ([`StreamedBoard`]), so the edge holds one chunk and one case
//! at a time. What it writes is byte for byte what
//! [`super::board_body::response_json`] writes for the same answer read
//! whole; what it refuses, [`super::mediation::answer::read`] refuses too.

use super::api::{mask_board, CaseQa};
use super::board_body::response_tail;
use super::mediation::answer::{envelope, success, UpstreamFault};
use super::mediation::BoardRecord;
use super::session::Role;

/// Where the splitter is in the envelope `{"code":…,"message":…,"data":[…]}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Before the opening `{`.
    Open,
    /// After `{`: a key or `}`.
    FirstKey,
    /// After `,`: a key.
    NextKey,
    Key,
    Colon,
    ValueStart,
    Value,
    /// After `,` or `:` (or a value): `,` or `}`.
    AfterValue,
    /// After `data`'s `[`: an element or `]`.
    FirstItem,
    /// After `,` in `data`: an element.
    NextItem,
    Item,
    /// After an element: `,` or `]`.
    AfterItem,
    /// After the closing `}`: only white space.
    Done,
}

/// Where the scan of one JSON value is. It finds where a value ends; whether
/// it is valid JSON is left to `serde_json`, which reads it next.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    scalar: bool,
}

/// Where a value ended, in the bytes [`Scan::run`] was given.
enum Step {
    /// With the byte at this offset.
    EndsWith(usize),
    /// Before the byte at this offset (a number, `true`, `false`, `null`).
    EndedBefore(usize),
}

impl Scan {
    /// The scan of a value whose first byte is `b`.
    fn begin(b: u8) -> Self {
        let mut s = Scan::default();
        match b {
            b'"' => s.in_string = true,
            b'{' | b'[' => s.depth = 1,
            _ => s.scalar = true,
        }
        s
    }

    /// Reads on through `bytes` (what follows the value's first byte, or
    /// the bytes after where the last call stopped): where the value ends in
    /// them, if it does. Strings, most of a board's bytes, are skipped by
    /// `memchr` to their next quote or backslash.
    fn run(&mut self, bytes: &[u8]) -> Option<Step> {
        let mut i = 0;
        while i < bytes.len() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                let k = memchr::memchr2(b'"', b'\\', &bytes[i..])?;
                i += k;
                if bytes[i] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                    if self.depth == 0 {
                        return Some(Step::EndsWith(i));
                    }
                }
                i += 1;
                continue;
            }
            let b = bytes[i];
            if self.scalar {
                if matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace() {
                    return Some(Step::EndedBefore(i));
                }
                i += 1;
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(Step::EndsWith(i));
                    }
                }
                _ => {}
            }
            i += 1;
        }
        None
    }
}

/// Splits an envelope, fed in chunks of any size, into the elements of its
/// `data` array (handed out whole, as they complete) and its other
/// top-level values (kept as raw JSON: `code`, `message`, anything else).
#[derive(Debug)]
pub struct Elements {
    buf: Vec<u8>,
    /// The next byte to look at.
    pos: usize,
    /// Where the value being scanned began.
    start: usize,
    at: At,
    scan: Scan,
    key: String,
    fields: Vec<(String, Vec<u8>)>,
    saw_data: bool,
}

impl Default for Elements {
    fn default() -> Self {
        Self { buf: Vec::new(), pos: 0, start: 0, at: At::Open, scan: Scan::default(), key: String::new(), fields: Vec::new(), saw_data: false }
    }
}

impl Elements {
    /// A top-level value other than `data`, as raw JSON, once read whole.
    pub fn field(&self, name: &str) -> Option<&[u8]> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_slice())
    }

    /// Whether `data`'s array has begun.
    pub fn saw_data(&self) -> bool {
        self.saw_data
    }

    /// Whether the envelope's closing `}` has been read.
    pub fn done(&self) -> bool {
        self.at == At::Done
    }

    /// Reads the next bytes, handing each element of `data` that completes
    /// to `item`. An error (the bytes are not such an envelope, or `item`
    /// refused an element) says what was wrong.
    pub fn feed(&mut self, chunk: &[u8], item: &mut dyn FnMut(&[u8]) -> Result<(), String>) -> Result<(), String> {
        self.buf.extend_from_slice(chunk);
        while self.pos < self.buf.len() {
            let b = self.buf[self.pos];
            let i = self.pos;
            self.pos += 1;
            let space = b.is_ascii_whitespace();
            match self.at {
                At::Open | At::FirstKey | At::NextKey | At::Colon | At::ValueStart | At::AfterValue | At::FirstItem | At::NextItem | At::AfterItem | At::Done if space => {}
                At::Open if b == b'{' => self.at = At::FirstKey,
                At::FirstKey if b == b'}' => self.at = At::Done,
                At::FirstKey | At::NextKey if b == b'"' => self.begin(i, b, At::Key),
                At::Colon if b == b':' => self.at = At::ValueStart,
                At::ValueStart if self.key == "data" => {
                    if self.saw_data {
                        return Err("`data` appears twice".into());
                    }
                    if b != b'[' {
                        return Err("`data` is not a list".into());
                    }
                    self.saw_data = true;
                    self.at = At::FirstItem;
                }
                At::ValueStart => self.begin(i, b, At::Value),
                At::AfterValue if b == b',' => self.at = At::NextKey,
                At::AfterValue if b == b'}' => self.at = At::Done,
                At::FirstItem if b == b']' => self.at = At::AfterValue,
                At::FirstItem | At::NextItem => self.begin(i, b, At::Item),
                At::AfterItem if b == b',' => self.at = At::NextItem,
                At::AfterItem if b == b']' => self.at = At::AfterValue,
                At::Key | At::Value | At::Item => {
                    let end = match self.scan.run(&self.buf[i..]) {
                        None => {
                            self.pos = self.buf.len();
                            break;
                        }
                        Some(Step::EndsWith(k)) => {
                            self.pos = i + k + 1;
                            i + k + 1
                        }
                        Some(Step::EndedBefore(k)) => {
                            self.pos = i + k; // the byte after a number is read next
                            i + k
                        }
                    };
                    let value = &self.buf[self.start..end];
                    match self.at {
                        At::Key => {
                            self.key = serde_json::from_slice(value).map_err(|e| format!("a key: {e}"))?;
                            self.at = At::Colon;
                        }
                        At::Value => {
                            if self.fields.iter().any(|(k, _)| *k == self.key) {
                                return Err(format!("`{}` appears twice", self.key));
                            }
                            self.fields.push((std::mem::take(&mut self.key), value.to_vec()));
                            self.at = At::AfterValue;
                        }
                        _ => {
                            item(value)?;
                            self.at = At::AfterItem;
                        }
                    }
                }
                at => return Err(format!("unexpected `{}` at byte {} ({at:?})", b.escape_ascii(), i)),
            }
        }
        // Keep only the value still being read.
        let keep = if matches!(self.at, At::Key | At::Value | At::Item) { self.start } else { self.pos };
        self.buf.drain(..keep);
        self.start -= keep.min(self.start);
        self.pos -= keep;
        Ok(())
    }

    fn begin(&mut self, i: usize, b: u8, at: At) {
        self.start = i;
        self.scan = Scan::begin(b);
        self.at = at;
    }
}

/// The cases of the backend's board answer, read as its bytes arrive, one
/// at a time, by the rule of [`super::mediation::answer::read`] (an envelope
/// whose `code` is 200 or 201, `data` a list of cases). One answer is
/// refused differently: a `data` that is neither a list nor `null`, in an
/// envelope without a `message`, is unreadable here where the whole read
/// says what the `code` says (a fault either way).
pub struct Cases {
    elements: Elements,
    status: u16,
    count: usize,
}

impl Cases {
    /// For an answer with HTTP status `status` (2xx: other answers are read whole).
    pub fn new(status: u16) -> Self {
        Self { elements: Elements::default(), status, count: 0 }
    }

    /// Cases read so far.
    pub fn count(&self) -> usize {
        self.count
    }

    fn unreadable(&self, problem: String) -> UpstreamFault {
        UpstreamFault::Unreadable { status: self.status, problem }
    }

    /// The envelope as far as it has been read: its `code` and `message`
    /// parsed (absent until read whole).
    fn head(&self) -> (Option<serde_json::Value>, Option<serde_json::Value>) {
        let parsed = |name| self.elements.field(name).and_then(|v| serde_json::from_slice::<serde_json::Value>(v).ok());
        (parsed("code"), parsed("message"))
    }

    /// The envelope's own refusal, as soon as its `code` and `message` are
    /// read; without a message it is decided at the end ([`Cases::finish`]).
    fn refused(&self) -> Result<(), UpstreamFault> {
        let (code, message) = self.head();
        if code.is_none() || !message.as_ref().is_some_and(|m| !m.is_null()) {
            return Ok(());
        }
        self.verdict(code, message)
    }

    /// [`envelope`] and [`success`], the rule [`super::mediation::answer::read`] applies.
    fn verdict(&self, code: Option<serde_json::Value>, message: Option<serde_json::Value>) -> Result<(), UpstreamFault> {
        match envelope(code.as_ref(), message, self.elements.saw_data()) {
            Some((code, message)) => success(code, message).map(drop),
            None => Err(self.unreadable("no envelope (code, message, data)".into())),
        }
    }

    /// Reads the next bytes, handing `each` every case they complete.
    pub fn push(&mut self, chunk: &[u8], each: &mut dyn FnMut(BoardRecord) -> Result<(), String>) -> Result<(), UpstreamFault> {
        let count = &mut self.count;
        let fed = self.elements.feed(chunk, &mut |item| {
            let case: BoardRecord = serde_json::from_slice(item).map_err(|e| format!("data: {e}"))?;
            *count += 1;
            each(case)
        });
        self.refused()?;
        fed.map_err(|p| self.unreadable(p))
    }

    /// The end of the answer: whether it was a whole board.
    pub fn finish(&self) -> Result<usize, UpstreamFault> {
        if !self.elements.done() {
            return Err(self.unreadable("the answer ended early".into()));
        }
        let (code, message) = self.head();
        self.verdict(code, message)?;
        if !self.elements.saw_data() {
            return Err(self.unreadable("data: missing field `data`".into()));
        }
        Ok(self.count)
    }
}

/// The board answer written as the backend's bytes arrive: `{"cases":[`,
/// each case masked for `role`, then the rest at [`StreamedBoard::finish`].
pub struct StreamedBoard {
    cases: Cases,
    role: Role,
    started: bool,
}

impl StreamedBoard {
    /// For an answer with HTTP status `status` (2xx: other answers are read whole).
    pub fn new(status: u16, role: Role) -> Self {
        Self { cases: Cases::new(status), role, started: false }
    }

    /// Cases written so far.
    pub fn cases(&self) -> usize {
        self.cases.count()
    }

    /// Reads the next bytes of the backend's answer; returns what to send on.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Vec<u8>, UpstreamFault> {
        let mut out = Vec::with_capacity(chunk.len() + 16);
        if !self.started {
            out.extend_from_slice(b"{\"cases\":[");
            self.started = true;
        }
        let role = &self.role;
        let mut first = self.cases.count() == 0;
        self.cases.push(chunk, &mut |mut case| {
            mask_board(std::slice::from_mut(&mut case), role);
            if !first {
                out.push(b',');
            }
            first = false;
            serde_json::to_writer(&mut out, &case).map_err(|e| e.to_string())
        })?;
        Ok(out)
    }

    /// The end of the backend's answer: the rest of the board answer, or why
    /// the whole answer is refused (then what was sent must be abandoned).
    pub fn finish(&mut self, fetched_at: i64, qa: &[CaseQa]) -> Result<Vec<u8>, UpstreamFault> {
        let mut out = if self.started { Vec::new() } else { self.push(&[])? };
        self.cases.finish()?;
        out.push(b']');
        out.extend_from_slice(response_tail(fetched_at, qa).as_bytes());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::board_body::response_json;
    use crate::wire::mediation::answer::{read, Shape};

    fn envelope(data: &str, code_after: bool) -> String {
        if code_after {
            format!("{{\"data\":{data},\n \"message\" : \"查询成功\", \"code\":200 }}")
        } else {
            format!("{{ \"code\": 200, \"message\": \"查询成功\", \"extra\": {{\"a\": [1, \"]\\\"}}\"]}}, \"data\" : {data} }}\n")
        }
    }

    fn records() -> String {
        let row = |id: &str, name: &str, phone: &str| {
            format!(
                r#"{{"caseId":"{id}","mediationId":7,"caseName":"{name}","disputeType":"labor_pay","stage":"accepted","amount":"12000.00","facts":"拖欠工资 \"三个月\" \\ {{不}} [付]","parties":[{{"personId":"p1","personType":0,"name":"甲","phoneNumber":"{phone}"}},{{"personId":"p2","personType":1,"name":"乙","phoneNumber":"13700001111"}}],"callPersonId":null,"callType":null,"callStatus":"Executing","jobId":"j-{id}","takeoverUser":null,"takeoverTime":null,"startTime":"","duration":"","updateTime":"2026-12-01 10:00:00","unknownField":{{"nested":[1,2,{{"x":"}}"}}]}}}}"#
            )
        };
        format!("[ {} ,\n{},{} ]", row("A1", "甲与乙劳动报酬纠纷", "13912345678"), row("A2", "丙 vs 丁", "021-5555"), row("A3", "", ""))
    }

    fn whole(body: &str, role: &Role, qa: &[CaseQa]) -> Result<String, UpstreamFault> {
        let mut cases = read::<Vec<BoardRecord>>(200, body, Shape::Envelope)?.data;
        mask_board(&mut cases, role);
        Ok(response_json(&serde_json::to_string(&cases).unwrap(), 1_765_000_000_000, qa))
    }

    /// The body fed in the given pieces.
    fn streamed(body: &[u8], cuts: &[usize], role: &Role, qa: &[CaseQa]) -> Result<String, UpstreamFault> {
        let mut board = StreamedBoard::new(200, role.clone());
        let mut out = Vec::new();
        let mut from = 0;
        for &cut in cuts.iter().chain(std::iter::once(&body.len())) {
            out.extend(board.push(&body[from..cut])?);
            from = cut;
        }
        out.extend(board.finish(1_765_000_000_000, qa)?);
        Ok(String::from_utf8(out).expect("UTF-8 as fed"))
    }

    #[test]
    fn cut_anywhere_the_streamed_board_is_the_board_read_whole() {
        let qa = vec![CaseQa { case_id: "A1".into(), percent: 76 }];
        for code_after in [false, true] {
            for role in [Role::Mediator, Role::Supervisor] {
                let body = envelope(&records(), code_after);
                let expected = whole(&body, &role, &qa).unwrap();
                assert!(expected.contains("\"A3\""), "{expected}");
                let bytes = body.as_bytes();
                for cut in 0..=bytes.len() {
                    assert_eq!(streamed(bytes, &[cut], &role, &qa).unwrap(), expected, "one cut at byte {cut} (code after data: {code_after})");
                }
                // Every byte alone: each scan state resumed at every place.
                let every: Vec<usize> = (1..bytes.len()).collect();
                assert_eq!(streamed(bytes, &every, &role, &qa).unwrap(), expected);
            }
        }
        assert!(whole(&envelope(&records(), false), &Role::Mediator, &[]).unwrap().contains("139****5678"), "masked for a mediator");
        for data in ["[]", " [ ] "] {
            let body = envelope(data, false);
            assert_eq!(streamed(body.as_bytes(), &[3], &Role::Mediator, &[]).unwrap(), whole(&body, &Role::Mediator, &[]).unwrap());
        }
    }

    #[test]
    fn what_the_whole_read_refuses_the_stream_refuses() {
        let same_kind = |a: &UpstreamFault, b: &UpstreamFault| match (a, b) {
            (UpstreamFault::Unreadable { status: x, .. }, UpstreamFault::Unreadable { status: y, .. }) => x == y,
            _ => a == b,
        };
        let bodies = [
            r#"{"code":500,"message":"系统繁忙","data":null}"#.to_owned(),
            r#"{"code":401,"message":"token过期","data":[]}"#.to_owned(),
            r#"{"data":[],"message":"案件不存在","code":404}"#.to_owned(),
            r#"{"code":"E1","message":"x","data":[]}"#.to_owned(),
            // `null` counts as absent: no message and no data make no envelope.
            r#"{"code":500,"message":null}"#.to_owned(),
            r#"{"code":500,"message":null,"data":[]}"#.to_owned(),
            r#"{"code":500,"data":[]}"#.to_owned(),
            r#"{"data":[],"code":400}"#.to_owned(),
            r#"{"code":500,"data":null}"#.to_owned(),
            r#"{"code":200,"message":"ok"}"#.to_owned(),
            r#"{"code":200,"message":"ok","data":{"records":[]}}"#.to_owned(),
            r#"{"code":200,"message":"ok","data":[{"caseId":1}]}"#.to_owned(),
            r#"{"code":200,"message":"ok","data":[]"#.to_owned(),
            r#"{"code":200,"message":"ok","data":[]}x"#.to_owned(),
            r#"{"code":200,"message":"ok","data":[],"data":[]}"#.to_owned(),
            "<html>502</html>".to_owned(),
            "[]".to_owned(),
            String::new(),
        ];
        for body in &bodies {
            let expected = whole(body, &Role::Mediator, &[]).expect_err(body);
            for cut in 0..=body.len() {
                let got = streamed(body.as_bytes(), &[cut], &Role::Mediator, &[]).expect_err(body);
                assert!(same_kind(&got, &expected), "{body} cut at {cut}: {got:?}, read whole: {expected:?}");
            }
        }
    }

    #[test]
    fn only_the_value_being_read_is_held() {
        let body = envelope(&records(), false);
        let mut lengths = Vec::new();
        Elements::default()
            .feed(body.as_bytes(), &mut |item| {
                lengths.push(item.len());
                Ok(())
            })
            .unwrap();
        let largest = *lengths.iter().max().unwrap();
        let mut elements = Elements::default();
        let mut seen = Vec::new();
        for chunk in body.as_bytes().chunks(7) {
            elements
                .feed(chunk, &mut |item| {
                    seen.push(item.len());
                    Ok(())
                })
                .unwrap();
            assert!(elements.buf.len() < largest + 7, "held {} bytes, the largest case is {largest}", elements.buf.len());
        }
        assert_eq!(seen, lengths);
        assert_eq!(seen.len(), 3);
        assert!(elements.done());
        assert_eq!(elements.field("code"), Some(&b"200"[..]));
        assert_eq!(elements.field("message"), Some("\"查询成功\"".as_bytes()));
    }
}
