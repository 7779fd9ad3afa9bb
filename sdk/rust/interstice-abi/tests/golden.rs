//! The schema golden vector (abi/vectors/schema.*) both ways, and the type expressions of every
//! value vector (text form <-> binary form).

use interstice_abi::codec::{Reader, MAX_DEPTH};
use interstice_abi::json::Json;
use interstice_abi::schema::{Event, ModuleSchema};
use interstice_abi::types::Type;
use std::path::PathBuf;

fn vectors(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../abi/vectors").join(name)
}

fn read_hex(name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(vectors(name)).unwrap();
    let digits: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    (0..digits.len()).step_by(2).map(|i| u8::from_str_radix(&digits[i..i + 2], 16).unwrap()).collect()
}

fn golden_schema() -> ModuleSchema {
    ModuleSchema::from_json(&std::fs::read_to_string(vectors("schema.json")).unwrap()).unwrap()
}

#[test]
fn encoding_the_schema_gives_the_canonical_bytes() {
    assert_eq!(golden_schema().encode(), read_hex("schema.hex"));
}

#[test]
fn decoding_the_canonical_bytes_gives_the_schema() {
    assert_eq!(ModuleSchema::decode(&read_hex("schema.hex")).unwrap(), golden_schema());
}

#[test]
fn a_truncated_schema_does_not_decode() {
    let bytes = read_hex("schema.hex");
    for cut in [0, 1, 4, bytes.len() / 2, bytes.len() - 1] {
        assert!(ModuleSchema::decode(&bytes[..cut]).is_err(), "cut at {}", cut);
    }
}

#[test]
fn every_record_body_of_the_records_vector_is_a_part_of_the_schema() {
    // Each line of schema-records.hex is one record: kind, LEB128 length, body. Re-encoding the
    // schema's parts with this crate must produce every record body found there.
    let schema = golden_schema();
    let text = std::fs::read_to_string(vectors("schema-records.hex")).unwrap();
    let mut kinds_seen = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let bytes: Vec<u8> = (0..line.len()).step_by(2).map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap()).collect();
        let mut r = Reader::new(&bytes);
        let kind = r.read_u8().unwrap();
        let body = r.read_bytes().unwrap();
        r.finish().unwrap();
        kinds_seen.push(kind);
        let canonical = schema.encode();
        assert!(
            canonical.windows(body.len()).any(|w| w == body),
            "record of kind {} is not part of the canonical encoding",
            kind
        );
    }
    kinds_seen.sort_unstable();
    kinds_seen.dedup();
    assert_eq!(kinds_seen, vec![1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn events_parse_and_format() {
    for text in ["init", "hello.greetings.insert", "eu-1.bank.accounts.delete", "m.t.update"] {
        assert_eq!(Event::parse(text).unwrap().to_string(), text);
    }
    assert!(Event::parse("greetings.insert").unwrap_err().contains("malformed"));
    assert!(Event::parse("a.b.upsert").unwrap_err().contains("has kind `upsert`"));
}

#[test]
fn type_expressions_of_every_value_vector_round_trip() {
    let json = Json::parse(&std::fs::read_to_string(vectors("values.json")).unwrap()).unwrap();
    for vector in json.as_array().unwrap() {
        let text = vector.get("type").unwrap().as_str().unwrap();
        let ty = Type::parse(text).unwrap();
        assert_eq!(ty.to_string(), text);
        let mut bytes = Vec::new();
        ty.encode(&mut bytes);
        let mut r = Reader::new(&bytes);
        assert_eq!(Type::decode(&mut r).unwrap(), ty);
        r.finish().unwrap();
    }
}

#[test]
fn malformed_type_expressions_name_the_problem() {
    assert!(Type::parse("(u8)").unwrap_err().contains("a one-element tuple is written (T,)"));
    assert!(Type::parse("vec<u8").unwrap_err().contains("expected '>'"));
    let deep = format!("{}u8{}", "option<".repeat(200), ">".repeat(200));
    assert!(Type::parse(&deep).unwrap_err().contains(&format!("deeper than {}", MAX_DEPTH)));
}

#[test]
fn json_errors_name_the_path() {
    let text = std::fs::read_to_string(vectors("schema.json")).unwrap().replace("\"primary_key\": \"id\"", "\"primary_key\": \"key\"");
    let error = ModuleSchema::from_json(&text).unwrap_err();
    assert!(error.contains("$.tables[1].primary_key: 'key' is not a column of table 'greetings'"), "{}", error);
    assert!(Json::parse("{\"a\": [1, 2,]}").unwrap_err().to_string().contains("at byte 12"));
}
