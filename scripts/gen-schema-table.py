#!/usr/bin/env python3
"""Turns the JSON schema that wrangler ships for its config into a static Rust table.

The table drives the key and type checks in `src/config/schema.rs`: which keys each object may
hold, what type each value has, and which keys are required. The schema is read once here, at
development time, so the CLI never parses 200 KB of JSON at start-up.

Usage: scripts/gen-schema-table.py SCHEMA.json > src/config/schema_table.rs
       rustfmt --edition 2024 src/config/schema_table.rs
"""

import json
import sys

schema = json.load(open(sys.argv[1]))
definitions = schema["definitions"]
shapes = []  # Rust expressions, index = shape id
memo = {}  # id(json node) or ref name -> shape id


def rust_str(s):
    return json.dumps(s)


def shape_for(node):
    """Returns the index of the shape for a JSON-schema node, emitting it on first use."""
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        key = "ref:" + name
        if key in memo:
            return memo[key]
        index = len(shapes)
        shapes.append(None)
        memo[key] = index
        shapes[index] = build(definitions[name])
        return index
    # The top level and the environments describe most keys alike: one shape serves both.
    key = "node:" + json.dumps(node, sort_keys=True)
    if key in memo:
        return memo[key]
    index = len(shapes)
    shapes.append(None)
    memo[key] = index
    shapes[index] = build(node)
    return index


def build(node):
    if "$ref" in node:
        return "Shape::AnyOf(&[%d])" % shape_for(node)
    if "anyOf" in node:
        parts = [shape_for(alt) for alt in node["anyOf"]]
        return "Shape::AnyOf(&[%s])" % ", ".join(map(str, parts))
    if "const" in node:
        value = node["const"]
        if isinstance(value, str):
            return "Shape::Enum(&[%s])" % rust_str(value)
        if isinstance(value, bool):
            return "Shape::BoolConst(%s)" % ("true" if value else "false")
        return "Shape::Any"
    if "enum" in node:
        values = [v for v in node["enum"] if isinstance(v, str)]
        if len(values) == len(node["enum"]):
            return "Shape::Enum(&[%s])" % ", ".join(rust_str(v) for v in values)
        return "Shape::Any"
    kind = node.get("type")
    if isinstance(kind, list):
        parts = []
        for k in kind:
            sub = dict(node)
            sub["type"] = k
            parts.append(shape_for(sub))
        return "Shape::AnyOf(&[%s])" % ", ".join(map(str, parts))
    if kind == "string":
        return "Shape::String"
    if kind == "number":
        return "Shape::Number"
    if kind == "integer":
        return "Shape::Integer"
    if kind == "boolean":
        return "Shape::Boolean"
    if kind == "null":
        return "Shape::Null"
    if kind == "array":
        items = node.get("items")
        if isinstance(items, list):
            parts = [shape_for(i) for i in items]
            return "Shape::Tuple(&[%s])" % ", ".join(map(str, parts))
        if items is None:
            return "Shape::Array(0)"
        return "Shape::Array(%d)" % shape_for(items)
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        entries = []
        for key, value in props.items():
            inherited = "not automatically inherited" not in value.get("description", "")
            entries.append((key, shape_for(value), inherited))
        required = node.get("required", [])
        additional = node.get("additionalProperties", True)
        if additional is False:
            extra = "Additional::Forbidden"
        elif additional is True or additional == {}:
            extra = "Additional::Any"
        else:
            extra = "Additional::Shape(%d)" % shape_for(additional)
        body = ", ".join(
            "Property { key: %s, shape: %d, inherited: %s }"
            % (rust_str(k), s, "true" if i else "false")
            for k, s, i in entries
        )
        return (
            "Shape::Object(ObjectShape { properties: &[%s], required: &[%s], additional: %s })"
            % (body, ", ".join(rust_str(r) for r in required), extra)
        )
    return "Shape::Any"


# Keys wrangler 4.86 validates that its shipped schema does not describe. Each is checked by
# wrangler's own code (validation.ts); without them here they would be reported as unknown.
SUPPLEMENT = {
    "cache": {
        "type": "object",
        "properties": {"enabled": {"type": "boolean"}},
        "required": ["enabled"],
        "additionalProperties": False,
    },
}
for definition in ("RawConfig", "RawEnvironment"):
    definitions[definition]["properties"].update(SUPPLEMENT)

# Durable Object migrations may move classes from another worker; wrangler accepts and keeps
# `transferred_classes` though the schema does not list it.
definitions["DurableObjectMigration"]["properties"]["transferred_classes"] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"from": {"type": "string"}, "from_script": {"type": "string"}, "to": {"type": "string"}},
        "required": ["from", "from_script", "to"],
        "additionalProperties": False,
    },
}

shapes.append("Shape::Any")  # index 0: anything
root = shape_for(schema)
environment = memo["ref:RawEnvironment"]

print("// @generated by scripts/gen-schema-table.py from wrangler 4.86.0's config schema.")
print("// Do not edit by hand; run the script again when the schema changes.")
print()
print("use super::schema::{Additional, ObjectShape, Property, Shape};")
print()
print("/// The shape of the whole config file.")
print("pub const ROOT: u16 = %d;" % root)
print("/// The shape of one `[env.NAME]` table.")
print("pub const ENVIRONMENT: u16 = %d;" % environment)
print()
print("/// Every shape in the schema; shapes refer to each other by index.")
print("pub static SHAPES: &[Shape] = &[")
for i, s in enumerate(shapes):
    print("    // %d" % i)
    print("    %s," % s)
print("];")
