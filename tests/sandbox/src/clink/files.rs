//! Section 11 of the Clink doc: the file library (list, upload, replace,
//! delete, download), over the knowledge base's documents, so an uploaded
//! text file is found by the knowledge search. The uploads arrive as
//! `multipart/form-data` (the doc names a `File` field and no encoding; this
//! is what the edge sends).

use serde_json::{json, Value};
use shared::wire::clink::kb;

use super::verify::Refusal;
use super::{body_as, refusal};
use crate::knowledge::{FileDoc, Knowledge};

pub const PATHS: [&str; 5] = ["/kb/files_list", "/kb/files", "/kb/files_update", "/kb/files_delete", "/kb/files_attachment"];
/// The uploads, whose body is a form.
pub const UPLOADS: [&str; 2] = ["/kb/files", "/kb/files_update"];
const ENTERPRISE_ID: &str = "8000376";

/// One part of a `multipart/form-data` body.
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// Reads a `multipart/form-data` body (RFC 7578) given its Content-Type.
pub fn parse_form(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
        .ok_or("multipart 请求缺少 boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut at = find(body, &delimiter, 0).ok_or("multipart 请求体没有分隔符")? + delimiter.len();
    let mut parts = vec![];
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        let start = at + 2; // CRLF after the delimiter
        let head_end = find(body, b"\r\n\r\n", start).ok_or("multipart 分段缺少头部")?;
        let next = find(body, &[b"\r\n".as_slice(), &delimiter].concat(), head_end).ok_or("multipart 请求体不完整")?;
        let head = String::from_utf8_lossy(&body[start..head_end]).into_owned();
        let mut part = Part { name: String::new(), filename: None, content_type: None, data: body[head_end + 4..next].to_vec() };
        for line in head.split("\r\n") {
            let Some((key, value)) = line.split_once(':') else { continue };
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for param in value.split(';').skip(1) {
                        if let Some((k, v)) = param.trim().split_once('=') {
                            let v = v.trim().trim_matches('"').to_owned();
                            match k.trim() {
                                "name" => part.name = v,
                                "filename" => part.filename = Some(v),
                                _ => {}
                            }
                        }
                    }
                }
                "content-type" => part.content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        if part.name.is_empty() {
            return Err("multipart 分段缺少 name".into());
        }
        parts.push(part);
        at = next + 2 + delimiter.len();
    }
}

fn not_found(what: &str) -> Refusal {
    refusal("ResourceNotFound", 404, format!("{what}不存在"))
}

fn missing(name: &str) -> Refusal {
    refusal("MissingParameter", 400, format!("请求缺少必需参数: {name}"))
}

fn text<'a>(parts: &'a [Part], name: &str) -> Result<&'a str, Refusal> {
    parts.iter().find(|p| p.name == name && p.filename.is_none()).and_then(|p| std::str::from_utf8(&p.data).ok()).map(str::trim).filter(|v| !v.is_empty()).ok_or_else(|| missing(name))
}

fn number(parts: &[Part], name: &str) -> Result<i64, Refusal> {
    text(parts, name)?.parse().map_err(|_| refusal("InvalidParameter", 400, format!("参数 {name} 应为整数")))
}

fn file_part(parts: &[Part]) -> Result<(&str, &[u8]), Refusal> {
    let p = parts.iter().find(|p| p.name == "file" && p.filename.is_some()).ok_or_else(|| missing("file"))?;
    Ok((p.filename.as_deref().unwrap_or_default(), &p.data))
}

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// What the knowledge search reads of a file: its text, for text files.
fn readable(name: &str, data: &[u8]) -> String {
    match extension(name).as_str() {
        "txt" | "md" | "csv" => String::from_utf8_lossy(data).into_owned(),
        _ => String::new(),
    }
}

/// A 32-hex receipt for an upload (the doc's `result`), naming the file.
fn receipt(id: i64) -> String {
    format!("{id:032x}")
}

fn record(f: &FileDoc) -> Value {
    json!({
        "id": f.id.to_string(), "createTime": f.created_s, "updateTime": f.updated_s, "enterpriseId": ENTERPRISE_ID,
        "title": f.name, "fileSize": f.bytes.as_ref().map_or(f.content.len(), Vec::len), "fileType": f.kind,
        "filePath": f.object_key, "content": "", "contentList": null, "directoryId": f.directory_id, "kbId": f.repository_id,
        "kbType": 2, "createUser": null, "updateUser": null, "accountLoginName": null, "topStatus": 0, "likeCount": null,
        "dislikeCount": null, "status": null, "heat": null, "description": f.description,
    })
}

/// The bytes of a file, as `/kb/files_attachment` streams them.
pub fn attachment(k: &Knowledge, body: Value) -> Result<(String, Vec<u8>), Refusal> {
    let input: kb::FileAttachmentRequest = body_as(body)?;
    let f = k.files.iter().find(|f| f.object_key == input.file_path).ok_or_else(|| not_found("文件"))?;
    Ok((input.file_name, f.bytes.clone().unwrap_or_else(|| f.content.clone().into_bytes())))
}

/// Answers the JSON paths of [`PATHS`] (the attachment is [`attachment`]).
pub fn dispatch(k: &mut Knowledge, path: &str, body: Value) -> Result<Value, Refusal> {
    match path {
        "/kb/files_list" => {
            let input: kb::FilesListRequest = body_as(body)?;
            if !k.repositories.iter().any(|r| r.id == input.kb_id) {
                return Err(not_found("知识库"));
            }
            let (offset, limit) = (input.offset.unwrap_or(0), input.limit.unwrap_or(10));
            super::paging(offset, limit)?;
            let title = input.title.unwrap_or_default();
            let found: Vec<&FileDoc> = k
                .files
                .iter()
                .filter(|f| f.repository_id == input.kb_id && input.directory_id.is_none_or(|d| d == f.directory_id) && f.name.contains(title.as_str()))
                .collect();
            let data: Vec<Value> = found.iter().skip(offset as usize).take(limit as usize).map(|f| record(f)).collect();
            let total = found.len() as i64;
            Ok(json!({ "pageNumber": offset / limit + 1, "pageSize": limit, "data": data, "totalCount": total, "totalPageCount": (total + limit - 1) / limit }))
        }
        "/kb/files_delete" => {
            let input: kb::FilesDeleteRequest = body_as(body)?;
            if input.ids.len() != input.file_paths.len() {
                return Err(refusal("InvalidParameter", 400, "ids 与 filePaths 数量不一致"));
            }
            for (id, path) in input.ids.iter().zip(&input.file_paths) {
                if !k.files.iter().any(|f| f.id.to_string() == *id && f.object_key == *path) {
                    return Err(not_found(&format!("文件 {id} ")));
                }
            }
            k.files.retain(|f| !input.ids.contains(&f.id.to_string()));
            Ok(json!({}))
        }
        _ => Err(refusal("ResourceNotFound", 404, "请求资源不存在。")),
    }
}

/// `/kb/files` and `/kb/files_update`: the form's fields and file.
pub fn upload(k: &mut Knowledge, path: &str, parts: &[Part], now_s: i64) -> Result<Value, Refusal> {
    let (name, data) = file_part(parts)?;
    if data.is_empty() {
        return Err(refusal("InvalidParameter", 400, "文件为空"));
    }
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_owned();
    if path == "/kb/files" {
        let kb_id = number(parts, "kbId")?;
        let enterprise = text(parts, "enterpriseId")?;
        let directory_id = number(parts, "directoryId")?;
        if !k.repositories.iter().any(|r| r.id == kb_id) {
            return Err(not_found("知识库"));
        }
        if !k.directories.iter().any(|d| d.id == directory_id && d.repository_id == kb_id) {
            return Err(not_found("目录"));
        }
        if k.files.iter().any(|f| f.repository_id == kb_id && f.name == name) {
            return Err(refusal("InvalidParameter", 400, format!("文件「{name}」已存在")));
        }
        let id = k.next_id();
        k.files.push(FileDoc {
            id,
            repository_id: kb_id,
            directory_id,
            kind: extension(&name),
            object_key: format!("file/openapi/attachment/{enterprise}/{id}.{}", extension(&name)),
            content: readable(&name, data),
            bytes: Some(data.to_vec()),
            description: None,
            created_s: Some(now_s),
            updated_s: None,
            name,
        });
        Ok(json!({ "result": receipt(id) }))
    } else {
        let id = text(parts, "id")?.to_owned();
        let file_path = text(parts, "filePath")?.to_owned();
        let description = text(parts, "description").ok().map(str::to_owned);
        let f = k.files.iter_mut().find(|f| f.id.to_string() == id).ok_or_else(|| not_found("文件"))?;
        if f.object_key != file_path {
            return Err(refusal("InvalidParameter", 400, "filePath 不是该文件的路径"));
        }
        f.kind = extension(&name);
        f.content = readable(&name, data);
        f.bytes = Some(data.to_vec());
        f.name = name;
        f.updated_s = Some(now_s);
        if description.is_some() {
            f.description = description;
        }
        Ok(json!({ "result": receipt(f.id) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_with_a_text_field_and_a_file_is_read_part_by_part() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"kbId\"\r\n\r\n102301\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\xe8\xa7\x84\xe5\x88\x99.txt\"\r\nContent-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n--XyZ--\r\n";
        let parts = parse_form("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!((parts[0].name.as_str(), parts[0].data.as_slice()), ("kbId", b"102301".as_slice()));
        assert_eq!(parts[1].filename.as_deref(), Some("规则.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].data, b"line 1\r\nline 2");
        assert!(parse_form("multipart/form-data", body).is_err());
        assert!(parse_form("multipart/form-data; boundary=XyZ", b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end").is_err());
    }
}
