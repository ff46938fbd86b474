//! Reading an upstream's body: whole in one read, or in large pieces. A
//! fetch body arrives in pieces of
//! about 4 KB; the backend's board at 100,000 cases (79 MB) is some 18,000
//! of them, and each read is a promise through the glue and a wake-up of
//! the Rust future: measured, that was most of a streamed board's time (V8's
//! profile: 57% in the glue's `read` and `queueMicrotask`). workerd's BYOB
//! reader has `readAtLeast(min, view)`, which waits until `min` bytes (or
//! the end) are in a buffer of our size. A body read whole goes the same
//! way through `worker::Response::bytes` (and `text`); [`whole`] lets the
//! runtime read it instead and hands over one buffer.

use js_sys::{ArrayBuffer, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use worker::{Response, ResponseBody};

/// The size of one read.
pub const PIECE: usize = 256 << 10;

#[wasm_bindgen]
extern "C" {
    type Body;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &Body, options: &JsValue) -> Result<ByobReader, JsValue>;

    type ByobReader;
    #[wasm_bindgen(method, js_name = readAtLeast)]
    fn read_at_least(this: &ByobReader, min: u32, view: &Uint8Array) -> Promise;
}

/// Reads a response's body [`PIECE`] bytes at a time (the last piece shorter).
pub struct LargeReads {
    reader: ByobReader,
    /// The buffer of the last read, handed back for the next one.
    buffer: Option<ArrayBuffer>,
    ended: bool,
}

impl LargeReads {
    /// `None` when the response has no body to stream (then read it whole).
    pub fn of(response: &Response) -> Option<Self> {
        let ResponseBody::Stream(stream) = response.body() else { return None };
        let options = js_sys::Object::new();
        Reflect::set(&options, &"mode".into(), &"byob".into()).ok()?;
        let reader = stream.unchecked_ref::<Body>().get_reader(&options).ok()?;
        Some(Self { reader, buffer: None, ended: false })
    }

    /// The next piece, or `None` at the end.
    pub async fn next(&mut self) -> worker::Result<Option<Vec<u8>>> {
        if self.ended {
            return Ok(None);
        }
        let buffer = self.buffer.take().unwrap_or_else(|| ArrayBuffer::new(PIECE as u32));
        let view = Uint8Array::new(&buffer);
        let result = JsFuture::from(self.reader.read_at_least(PIECE as u32, &view)).await?;
        let done = Reflect::get(&result, &"done".into())?.as_bool().unwrap_or(false);
        let value = Reflect::get(&result, &"value".into())?;
        self.ended = done;
        let Some(value) = value.dyn_ref::<Uint8Array>() else { return Ok(None) };
        self.buffer = Some(value.buffer());
        if value.length() == 0 {
            return Ok(if done { None } else { Some(Vec::new()) });
        }
        Ok(Some(value.to_vec()))
    }
}

/// A response's whole body, read by the runtime (`arrayBuffer()` of the body
/// stream) and copied into the Worker once, instead of in ~4 KB pieces.
pub async fn whole(response: &Response) -> worker::Result<Vec<u8>> {
    let stream = match response.body() {
        ResponseBody::Stream(stream) => stream,
        ResponseBody::Body(bytes) => return Ok(bytes.clone()),
        ResponseBody::Empty => return Ok(Vec::new()),
    };
    let wrapped = web_sys::Response::new_with_opt_readable_stream(Some(stream))?;
    let buffer = JsFuture::from(wrapped.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// [`whole`] as text (see [`text`]).
pub async fn whole_text(response: &Response) -> worker::Result<String> {
    whole(response).await.map(text)
}

/// A body as text: invalid UTF-8 is replaced, not refused (what can be read
/// of it still is; the JSON reader then says what is wrong).
pub fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn invalid_utf8_is_replaced_not_refused() {
        assert_eq!(text("{\"a\":\"中\"}".as_bytes().to_vec()), "{\"a\":\"中\"}");
        assert_eq!(text(b"{\"a\":\"\xff\xe4\xb8\"}".to_vec()), "{\"a\":\"\u{fffd}\u{fffd}\"}");
    }
}
