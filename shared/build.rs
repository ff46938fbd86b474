//! Generates the board's label tables (`view::labels`) from `locales/*.json` (nested objects of
//! strings, the same keys in every locale): one struct per object, one static
//! per locale, so a label is a field read (`strings(locale).board.title`) and a
//! missing or extra key is a build error, not a blank on screen.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde_json::Value;

const LOCALES: &[(&str, &str)] = &[("zh-CN", "ZH_CN"), ("en", "EN")];

fn main() {
    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("locales");
    let tables: Vec<(String, Value)> = LOCALES
        .iter()
        .map(|(file, name)| {
            let path = dir.join(format!("{file}.json"));
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name.to_string(), value)
        })
        .collect();
    let mut structs = BTreeMap::new();
    shape("Strings", &tables[0].1, &mut structs);
    for (name, value) in &tables[1..] {
        same_keys("", &tables[0].1, value, name);
    }
    let mut out = String::new();
    for (name, fields) in &structs {
        writeln!(out, "#[allow(non_camel_case_types, non_snake_case)]\npub struct {name} {{").unwrap();
        for (field, ty) in fields {
            writeln!(out, "    pub {field}: {ty},").unwrap();
        }
        out.push_str("}\n");
    }
    for (name, value) in &tables {
        write!(out, "pub static {name}: Strings = ").unwrap();
        literal("Strings", value, &mut out);
        out.push_str(";\n");
    }
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("strings.rs");
    std::fs::write(dest, out).unwrap();
}

fn shape(name: &str, value: &Value, structs: &mut BTreeMap<String, Vec<(String, String)>>) {
    let Value::Object(map) = value else { panic!("{name}: expected an object") };
    let mut fields = Vec::new();
    for (key, v) in map {
        match v {
            Value::String(_) => fields.push((key.clone(), "&'static str".to_owned())),
            Value::Object(_) => {
                let sub = format!("{name}_{key}");
                shape(&sub, v, structs);
                fields.push((key.clone(), sub));
            }
            _ => panic!("{name}.{key}: only strings and objects"),
        }
    }
    structs.insert(name.to_owned(), fields);
}

fn same_keys(path: &str, a: &Value, b: &Value, locale: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => same_keys(&format!("{path}.{k}"), p, q, locale),
                    _ => panic!("locale {locale}: key {path}.{k} is in one locale only"),
                }
            }
        }
        (Value::String(_), Value::String(_)) => {}
        _ => panic!("locale {locale}: {path} has another shape"),
    }
}

fn literal(name: &str, value: &Value, out: &mut String) {
    let Value::Object(map) = value else { unreachable!() };
    write!(out, "{name} {{").unwrap();
    for (key, v) in map {
        write!(out, " {key}: ").unwrap();
        match v {
            Value::String(s) => write!(out, "{s:?}").unwrap(),
            _ => literal(&format!("{name}_{key}"), v, out),
        }
        out.push(',');
    }
    out.push_str(" }");
}
