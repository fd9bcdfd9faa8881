//! What the edge of the API enforces for every operation, declared once here rather
//! than on each route: the problems it answers (unreadable queries and bodies, control
//! characters, wrong path parameters, missing or refused tokens), the `?lang=` every
//! answer honours, and the shape of what it accepts (text without control characters,
//! bodies without fields the request does not take).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

const METHODS: [&str; 5] = ["get", "put", "post", "patch", "delete"];

/// Text without the control characters [`crate::controls`] refuses.
const TEXT_PATTERN: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$";

/// `doc` with the edge's answers and parameters added to every operation.
pub fn complete(doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let Ok(mut value) = serde_json::to_value(&doc) else {
        return doc;
    };
    let mut bodies = BTreeSet::new();
    if let Some(paths) = value.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for method in METHODS {
                if let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) {
                    complete_operation(operation);
                    restrict_inputs(operation, &mut bodies);
                }
            }
        }
    }
    if let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        restrict_components(schemas, bodies);
    }
    serde_json::from_value(value).unwrap_or(doc)
}

/// Parameters take text without control characters; request bodies are restricted
/// wherever their schemas lead ([`restrict_components`]).
fn restrict_inputs(operation: &mut Map<String, Value>, bodies: &mut BTreeSet<String>) {
    if let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    {
        for parameter in parameters {
            if let Some(schema) = parameter.get_mut("schema") {
                restrict(schema, false, bodies);
            }
        }
    }
    if let Some(content) = operation
        .get_mut("requestBody")
        .and_then(|b| b.get_mut("content"))
        .and_then(Value::as_object_mut)
    {
        for (content_type, media) in content.iter_mut() {
            let objects = content_type == "application/json";
            if let Some(schema) = media.get_mut("schema") {
                restrict(schema, objects, bodies);
            }
        }
    }
}

/// The component schemas named by request bodies, and those they name in turn.
fn restrict_components(schemas: &mut Map<String, Value>, mut pending: BTreeSet<String>) {
    let mut done = BTreeSet::new();
    while let Some(name) = pending.pop_first() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get_mut(&name) {
            restrict(schema, true, &mut pending);
        }
    }
}

/// Adds the text pattern to strings with no format, pattern or choices of their own and
/// (for JSON bodies) `additionalProperties: false` to objects; collects the components
/// it refers to.
fn restrict(schema: &mut Value, objects: bool, refs: &mut BTreeSet<String>) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(name) = map
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        refs.insert(name.to_owned());
    }
    let is = |map: &Map<String, Value>, kind: &str| match map.get("type") {
        Some(Value::String(t)) => t == kind,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == kind),
        _ => false,
    };
    if is(map, "string")
        && !["enum", "pattern", "format", "const"]
            .iter()
            .any(|k| map.contains_key(*k))
    {
        map.insert("pattern".into(), TEXT_PATTERN.into());
    }
    // A 32-bit integer says so with its bounds, which generators and validators read.
    if map.get("format").is_some_and(|f| f == "int32") {
        map.entry("minimum").or_insert(i32::MIN.into());
        map.entry("maximum").or_insert(i32::MAX.into());
    }
    if objects && map.contains_key("properties") && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), false.into());
    }
    if let Some(properties) = map.get_mut("properties").and_then(Value::as_object_mut) {
        for property in properties.values_mut() {
            restrict(property, objects, refs);
        }
    }
    if let Some(items) = map.get_mut("items") {
        restrict(items, objects, refs);
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(choices) = map.get_mut(key).and_then(Value::as_array_mut) {
            for choice in choices {
                restrict(choice, objects, refs);
            }
        }
    }
}

fn complete_operation(operation: &mut Map<String, Value>) {
    let parameters = operation.entry("parameters").or_insert_with(|| json!([]));
    let located = |place: &str| {
        parameters
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == place))
    };
    let has_path = located("path");
    let has_filters = parameters
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query" && p["name"] != "lang"));
    let has_lang = parameters
        .as_array()
        .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query" && p["name"] == "lang"));
    if !has_lang {
        if let Some(ps) = parameters.as_array_mut() {
            ps.push(json!({
                "name": "lang",
                "in": "query",
                "required": false,
                "description": "The language of the answer, problems included: es, en, pt or fr \
                                (any other value is ignored). Else Accept-Language, else the \
                                caller's own language.",
                "schema": {"type": "string"}
            }));
        }
    }
    let body_types: Vec<String> = operation
        .get("requestBody")
        .and_then(|b| b["content"].as_object())
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    // `[{}, {"bearer": []}]`: anyone may call, and a token, when sent, must be good.
    let requirements = operation
        .get("security")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let reads_token = requirements
        .iter()
        .any(|r| r.as_object().is_some_and(|r| !r.is_empty()));
    let anyone = requirements
        .iter()
        .any(|r| r.as_object().is_some_and(|r| r.is_empty()));
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut declare = |status: &str, description: &str| {
        let response = responses
            .entry(status)
            .or_insert_with(|| json!({ "description": description }));
        if let Some(response) = response.as_object_mut() {
            let content = response.entry("content").or_insert_with(|| json!({}));
            if let Some(content) = content.as_object_mut() {
                content
                    .entry("application/problem+json")
                    .or_insert_with(|| json!({"schema": {"$ref": "#/components/schemas/Problem"}}));
            }
        }
    };
    declare(
        "400",
        "A query parameter or the body cannot be read (`invalid_query`, `malformed_json`, \
         `malformed_body`), or the path or query holds a control character (`control_character`)",
    );
    if has_path {
        declare(
            "404",
            "No such record, or a path parameter of the wrong type (`invalid_path`)",
        );
    }
    if !body_types.is_empty() {
        declare("413", "The body is too large (`payload_too_large`)");
        declare(
            "415",
            "The body is not of a content type this operation takes (`unsupported_media_type`)",
        );
    }
    if has_filters || body_types.iter().any(|t| t == "application/json") {
        declare(
            "422",
            "A query parameter or a field is missing, of the wrong type, not one of its \
             choices, holds a control character or breaks a rule",
        );
    }
    if reads_token && anyone {
        declare(
            "401",
            "An access token was sent but is invalid or expired, or the account is disabled",
        );
    } else if reads_token {
        declare(
            "401",
            "Missing, invalid or expired access token, or a disabled account",
        );
        declare("403", "The caller may not do this");
    }
}
