//! The OpenAPI document as the web UI reads it: the copy in `frontend/` from which its
//! TypeScript types are generated is the server's own document, and that document is
//! whole (every reference names the shape the server sends).

use std::path::Path;

use serde_json::Value;

const WEB_COPY: &str = "frontend/src/lib/api/openapi.json";

fn current() -> Value {
    let json = aula_api::openapi::openapi()
        .to_json()
        .expect("the document serialises");
    serde_json::from_str(&json).expect("the document is JSON")
}

/// Every `$ref` in `value`, with where it was found.
fn references<'a>(value: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => out.push((at.clone(), target)),
                    _ => references(inner, format!("{at}/{key}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                references(inner, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_web_ui_types_come_from_the_current_openapi_document() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(WEB_COPY);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {e}", path.display()));
    let committed: Value = serde_json::from_str(&text).expect("the web UI's copy is JSON");
    assert!(
        committed == current(),
        "{WEB_COPY} is not the server's document: run \
         `cargo run -q --bin aula -- openapi > {WEB_COPY}`, then `npm run check` in frontend/ \
         and fix what the regenerated types reveal"
    );
}

#[test]
fn every_reference_in_the_openapi_document_names_a_schema() {
    let doc = current();
    let mut found = Vec::new();
    references(&doc, String::new(), &mut found);
    assert!(!found.is_empty());
    let schemas = &doc["components"]["schemas"];
    for (at, target) in found {
        let name = target.strip_prefix("#/components/schemas/");
        assert!(
            name.is_some_and(|name| schemas[name].is_object()),
            "{at} refers to {target}, which the document does not hold"
        );
    }
}

#[test]
fn signing_in_is_documented_with_the_tokens_it_answers() {
    // Two Rust types named alike once shared one schema, and the sign-in answer was
    // documented as an offering's session.
    let doc = current();
    for path in ["/api/v1/auth/login", "/api/v1/auth/refresh"] {
        let schema = &doc["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        let name = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("{path} answers a named schema: {schema}"));
        let properties = &doc["components"]["schemas"][name]["properties"];
        for field in ["access_token", "refresh_token", "expires_in", "user"] {
            assert!(
                properties[field].is_object(),
                "{path} answers {name}, which lacks {field}"
            );
        }
    }
}

/// `(method, path, operation)` of every operation in the document.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            out.push((method.clone(), path.clone(), operation));
        }
    }
    out
}

#[test]
fn every_operation_has_an_operation_id_of_its_own() {
    // Generated clients name their functions after these; `list` was used five times.
    let doc = current();
    let mut seen = std::collections::BTreeMap::new();
    for (method, path, operation) in operations(&doc) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        if let Some(other) = seen.insert(id.to_owned(), format!("{method} {path}")) {
            panic!("{method} {path} and {other} share the operationId {id}");
        }
    }
}

#[test]
fn every_operation_declares_the_problems_the_edge_answers() {
    let doc = current();
    for (method, path, operation) in operations(&doc) {
        let responses = &operation["responses"];
        let mut expected = vec!["400"];
        if path.contains('{') {
            expected.push("404");
        }
        if operation["requestBody"]["content"]["application/json"].is_object() {
            expected.extend(["413", "415", "422"]);
        }
        let requirements = operation["security"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let reads_token = requirements
            .iter()
            .any(|r| r.as_object().is_some_and(|r| !r.is_empty()));
        let anyone = requirements
            .iter()
            .any(|r| r.as_object().is_some_and(|r| r.is_empty()));
        // A token that is sent is checked, even where none is needed.
        if reads_token {
            expected.push("401");
        }
        if reads_token && !anyone {
            expected.push("403");
        }
        for status in expected {
            assert!(
                responses[status]["content"]["application/problem+json"].is_object(),
                "{method} {path} does not declare its {status} problem"
            );
        }
        let lang = operation["parameters"]
            .as_array()
            .and_then(|ps| ps.iter().find(|p| p["name"] == "lang"));
        assert!(
            lang.is_some_and(|p| p["in"] == "query"),
            "{method} {path} does not take ?lang="
        );
    }
}
