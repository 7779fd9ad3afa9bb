//! Every vector of abi/vectors/values.json and invalid.json, both ways, through the SDK's typed
//! `Value` implementations, including types made by `#[interstice_type]` and `import!`.

use interstice_abi::json::Json;
use interstice_sdk::{decode, encode, interstice_type, Value};
use std::fmt::Debug;

interstice_sdk::interstice_module!();

// The types of abi/vectors/types.json.
#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    x: i32,
    y: i32,
}

#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub struct Empty {}

#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Empty,
    Circle(f64),
    Rect { w: u32, h: u32 },
    Label(String, Point),
}

#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub enum Color {
    Red,
    Green,
    Blue,
}

#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    value: i32,
    children: Vec<Tree>,
}

#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub struct Wrapper {
    inner: Option<Shape>,
    tags: Vec<String>,
    data: Vec<u8>,
    pair: (u8, Color),
    maybe: Option<Option<u8>>,
}

// `hello.Mood` comes from the golden schema, through the bindings generator.
interstice_sdk::import!("../../../abi/vectors/schema.json");

/// Builds a typed value from the JSON value form (docs/abi.md section 7).
trait FromJson: Sized {
    fn from_json(json: &Json) -> Self;
}

fn number(json: &Json) -> &str {
    match json {
        Json::Number(text) => text,
        Json::String(text) => text,
        other => panic!("expected a number, found {:?}", other),
    }
}

macro_rules! integers {
    ($($t:ty)*) => {$(
        impl FromJson for $t {
            fn from_json(json: &Json) -> Self {
                number(json).parse().unwrap()
            }
        }
    )*};
}
integers!(u8 u16 u32 u64 i8 i16 i32 i64);

macro_rules! floats {
    ($($t:ty, $bits:ty, $nan:expr;)*) => {$(
        impl FromJson for $t {
            fn from_json(json: &Json) -> Self {
                match json {
                    Json::Number(text) => text.parse().unwrap(),
                    Json::String(text) => match text.as_str() {
                        "Infinity" => <$t>::INFINITY,
                        "-Infinity" => <$t>::NEG_INFINITY,
                        "NaN" => <$t>::from_bits($nan),
                        bits => <$t>::from_bits(<$bits>::from_str_radix(bits.strip_prefix("bits:0x").unwrap(), 16).unwrap()),
                    },
                    other => panic!("expected a float, found {:?}", other),
                }
            }
        }
    )*};
}
floats! {
    f32, u32, 0x7fc0_0000;
    f64, u64, 0x7ff8_0000_0000_0000;
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Self {
        match json {
            Json::Bool(b) => *b,
            other => panic!("expected a bool, found {:?}", other),
        }
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Self {
        json.as_str().unwrap().to_string()
    }
}

impl<T: FromJson + Value> FromJson for Vec<T> {
    fn from_json(json: &Json) -> Self {
        if T::IS_U8 {
            // `bytes`: a string of hex digits.
            let hex = json.as_str().unwrap();
            let bytes: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
            return decode::<Vec<T>>(&encode(&bytes)).unwrap();
        }
        json.as_array().unwrap().iter().map(T::from_json).collect()
    }
}

impl<T: FromJson + Value> FromJson for Option<T> {
    fn from_json(json: &Json) -> Self {
        let holds_option = T::TYPE.as_bytes()[0] == interstice_sdk::__private::tag::OPTION;
        match json {
            Json::Null => None,
            some if holds_option => Some(T::from_json(some.get("some").unwrap())),
            value => Some(T::from_json(value)),
        }
    }
}

impl FromJson for () {
    fn from_json(json: &Json) -> Self {
        assert!(json.as_array().unwrap().is_empty());
    }
}

macro_rules! tuples {
    ($( ($($name:ident $index:tt),*) )*) => {$(
        impl<$($name: FromJson),*> FromJson for ($($name,)*) {
            fn from_json(json: &Json) -> Self {
                let items = json.as_array().unwrap();
                ($($name::from_json(&items[$index]),)*)
            }
        }
    )*};
}
tuples! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
}

fn field<T: FromJson>(json: &Json, name: &str) -> T {
    T::from_json(json.get(name).unwrap_or_else(|| panic!("missing field {}", name)))
}

impl FromJson for Point {
    fn from_json(json: &Json) -> Self {
        Point { x: field(json, "x"), y: field(json, "y") }
    }
}

impl FromJson for Empty {
    fn from_json(_: &Json) -> Self {
        Empty {}
    }
}

impl FromJson for Shape {
    fn from_json(json: &Json) -> Self {
        if json.as_str() == Some("Empty") {
            return Shape::Empty;
        }
        if let Some(p) = json.get("Circle") {
            return Shape::Circle(f64::from_json(&p.as_array().unwrap()[0]));
        }
        if let Some(p) = json.get("Rect") {
            return Shape::Rect { w: field(p, "w"), h: field(p, "h") };
        }
        let p = json.get("Label").unwrap().as_array().unwrap();
        Shape::Label(String::from_json(&p[0]), Point::from_json(&p[1]))
    }
}

impl FromJson for Color {
    fn from_json(json: &Json) -> Self {
        match json.as_str().unwrap() {
            "Red" => Color::Red,
            "Green" => Color::Green,
            _ => Color::Blue,
        }
    }
}

impl FromJson for Tree {
    fn from_json(json: &Json) -> Self {
        Tree { value: field(json, "value"), children: field(json, "children") }
    }
}

impl FromJson for Wrapper {
    fn from_json(json: &Json) -> Self {
        Wrapper { inner: field(json, "inner"), tags: field(json, "tags"), data: field(json, "data"), pair: field(json, "pair"), maybe: field(json, "maybe") }
    }
}

impl FromJson for hello::Mood {
    fn from_json(json: &Json) -> Self {
        match json.as_str().unwrap() {
            "Happy" => hello::Mood::Happy,
            "Neutral" => hello::Mood::Neutral,
            _ => hello::Mood::Grumpy,
        }
    }
}

struct Vector {
    name: String,
    ty: String,
    value: Json,
    bytes: Vec<u8>,
}

fn load(file: &str) -> Vec<Vector> {
    let path = format!("{}/../../../abi/vectors/{}", env!("CARGO_MANIFEST_DIR"), file);
    let json = Json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let hex = v.get("hex").unwrap().as_str().unwrap();
            Vector {
                name: v.get("name").unwrap().as_str().unwrap().to_string(),
                ty: v.get("type").unwrap().as_str().unwrap().to_string(),
                value: v.get("value").cloned().unwrap_or(Json::Null),
                bytes: (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect(),
            }
        })
        .collect()
}

/// Encoding the value gives the bytes; decoding the bytes gives the value (compared through its
/// encoding too, since the encoding is canonical and NaN != NaN); the SDK's type description is
/// the vector's type.
fn check<T: Value + FromJson + PartialEq + Debug>(v: &Vector) {
    assert_eq!(T::TYPE.to_type().to_string(), v.ty, "vector '{}': the Rust type's description", v.name);
    let value = T::from_json(&v.value);
    assert_eq!(encode(&value), v.bytes, "vector '{}': encoding", v.name);
    let decoded: T = decode(&v.bytes).unwrap_or_else(|e| panic!("vector '{}': {}", v.name, e));
    assert_eq!(encode(&decoded), v.bytes, "vector '{}': decoding", v.name);
    #[allow(clippy::eq_op)]
    if value == value {
        assert_eq!(decoded, value, "vector '{}': decoding", v.name);
    }
}

fn check_invalid<T: Value + Debug>(v: &Vector) {
    assert!(decode::<T>(&v.bytes).is_err(), "vector '{}' ({}) must not decode as {}", v.name, v.ty, std::any::type_name::<T>());
}

macro_rules! dispatch {
    ($v:expr, $check:ident) => {
        match $v.ty.as_str() {
            "bool" => $check::<bool>($v),
            "u8" => $check::<u8>($v),
            "u16" => $check::<u16>($v),
            "u32" => $check::<u32>($v),
            "u64" => $check::<u64>($v),
            "i8" => $check::<i8>($v),
            "i16" => $check::<i16>($v),
            "i32" => $check::<i32>($v),
            "i64" => $check::<i64>($v),
            "f32" => $check::<f32>($v),
            "f64" => $check::<f64>($v),
            "string" => $check::<String>($v),
            "bytes" => $check::<Vec<u8>>($v),
            "option<u32>" => $check::<Option<u32>>($v),
            "option<u8>" => $check::<Option<u8>>($v),
            "option<option<u8>>" => $check::<Option<Option<u8>>>($v),
            "option<string>" => $check::<Option<String>>($v),
            "vec<u16>" => $check::<Vec<u16>>($v),
            "vec<u8>" => $check::<Vec<u8>>($v),
            "vec<u32>" => $check::<Vec<u32>>($v),
            "vec<string>" => $check::<Vec<String>>($v),
            "vec<vec<i8>>" => $check::<Vec<Vec<i8>>>($v),
            "vec<bytes>" => $check::<Vec<Vec<u8>>>($v),
            "vec<option<bool>>" => $check::<Vec<Option<bool>>>($v),
            "vec<bool>" => $check::<Vec<bool>>($v),
            "()" => $check::<()>($v),
            "(u8,)" => $check::<(u8,)>($v),
            "(u8, string, bool)" => $check::<(u8, String, bool)>($v),
            "((), (i16, (bool,)))" => $check::<((), (i16, (bool,)))>($v),
            "Point" => $check::<Point>($v),
            "Empty" => $check::<Empty>($v),
            "Shape" => $check::<Shape>($v),
            "Color" => $check::<Color>($v),
            "Tree" => $check::<Tree>($v),
            "Wrapper" => $check::<Wrapper>($v),
            "option<vec<Shape>>" => $check::<Option<Vec<Shape>>>($v),
            "hello.Mood" => $check::<hello::Mood>($v),
            other => panic!("vector '{}': no Rust type is mapped to `{}`; add it to tests/golden.rs", $v.name, other),
        }
    };
}

#[test]
fn every_value_vector_both_ways() {
    let vectors = load("values.json");
    assert!(vectors.len() > 50);
    for v in &vectors {
        dispatch!(v, check);
    }
}

#[test]
fn every_invalid_vector_fails_to_decode() {
    for v in &load("invalid.json") {
        dispatch!(v, check_invalid);
    }
}
