#!/usr/bin/env python3
"""Computes Clink signing vectors independently of the Rust signer.

Encoding uses Python's urllib (quote_plus, with `*` kept and `~` encoded, which
is what Java's URLEncoder does); HMAC-SHA1 uses Python's hmac module.
Run it to regenerate clink_signing.json: python3 make_signing_vectors.py > clink_signing.json
"""
import base64
import hashlib
import hmac
import json
from urllib.parse import quote_plus

SECRET = "TEST_SECRET_NOT_REAL"
AK = "b1fcdc6c62be261cf97b00b25be6a2af"


def java_encode(s):
    return quote_plus(s, safe="*").replace("~", "%7E")


def vector(name, method, host, path, params, expires=60, timestamp="2018-10-12T10:18:12Z", secret=SECRET, ak=AK):
    flat = []
    for k, v in params:
        if isinstance(v, list):
            flat += [(f"{k}[{i}]", x) for i, x in enumerate(v)]
        else:
            flat.append((k, v))
    flat += [("AccessKeyId", ak), ("Expires", str(expires)), ("Timestamp", timestamp)]
    enc = sorted((java_encode(k), java_encode(v)) for k, v in flat)
    joined = "&".join(f"{k}={v}" for k, v in enc)
    sts = f"{method}{host}{path}?{joined}"
    sig = base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()
    return {
        "name": name,
        "method": method,
        "host": host,
        "path": path,
        "params": [[k, v] for k, v in params],
        "access_key_id": ak,
        "secret": secret,
        "expires": expires,
        "timestamp": timestamp,
        "string_to_sign": sts,
        "signature": sig,
        "signature_url_encoded": java_encode(sig),
    }


vectors = [
    vector("doc list_clients GET", "GET", "api-bj.clink.cn", "/cc/list_clients",
           [("limit", "10"), ("offset", "0"), ("qno", "0000"), ("cnos", ["0000", "0001"])]),
    vector("doc online POST", "POST", "api-bj.clink.cn", "/cc/online", []),
    vector("space", "GET", "api-bj.clink.cn", "/kb/list_articles", [("keyword", "劳动 合同"), ("kbType", "0")]),
    vector("star tilde plus slash", "GET", "api-bj.clink.cn", "/kb/list_articles",
           [("keyword", "a*b~c+d/e"), ("kbType", "1")]),
    vector("chinese", "GET", "api-sh.clink.cn", "/aikb/list_directories", [("repositoryId", "102169"), ("name", "拖欠工资")]),
    vector("empty value", "GET", "api-bj.clink.cn", "/kb/list_articles", [("keyword", ""), ("kbType", "0")]),
    vector("array parameters", "GET", "api-bj.clink.cn", "/cc/list_clients",
           [("cnos", ["0000", "0001", "0002"]), ("tags", ["欠薪", "a b"])]),
    vector("host with port", "GET", "127.0.0.1:8789", "/aikb/describe_file_media_url",
           [("fileId", "7284"), ("inline", "true")], expires=600, timestamp="2026-11-22T08:00:00Z"),
    vector("symbols", "GET", "api-bj.clink.cn", "/kb/media_url",
           [("fileKey", "4998|26d3微信图片_2021.jpg"), ("fileName", "a&b=c?d#e%f:g[h]")]),
    vector("post on port with path", "POST", "127.0.0.1:8789", "/aikb/search_knowledge_on_open", [],
           expires=86400, timestamp="2026-01-31T23:59:59Z"),
]
print(json.dumps(vectors, ensure_ascii=False, indent=2))
