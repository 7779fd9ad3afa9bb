//! The module schema (docs/abi.md section 4) and its canonical binary encoding.
//!
//! This model carries no validation: the node and the tools (C#, `Interstice.Abi`) validate
//! schemas. Rust uses it to read bindings files and to check the golden vectors.

use crate::codec::{write_bytes, write_leb, DecodeError, Reader};
use crate::types::Type;

/// A module's interface.
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleSchema {
    pub abi_version: u32,
    pub name: String,
    pub version: String,
    pub visibility: Visibility,
    pub authorities: Vec<String>,
    pub types: Vec<TypeDef>,
    pub tables: Vec<Table>,
    pub reducers: Vec<Reducer>,
    pub queries: Vec<Query>,
    pub subscriptions: Vec<Subscription>,
    pub dependencies: Vec<Dependency>,
}

/// Who may use a module's reducers, queries and table events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Private,
    Public,
}

/// A named struct or enum.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub body: TypeBody,
}

/// The body of a type definition.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeBody {
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
}

/// A named, typed field (or argument).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub ty: Type,
}

/// An enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub payload: Payload,
}

/// A variant's payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Unit,
    Tuple(Vec<Type>),
    Struct(Vec<Field>),
}

/// A table; columns are the fields of the struct `row`, referred to by index.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    pub row: String,
    pub primary_key: u32,
    pub auto_inc: Vec<u32>,
    pub indexes: Vec<Index>,
    pub ephemeral: bool,
}

/// A secondary index.
#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub name: String,
    pub columns: Vec<u32>,
    pub kind: IndexKind,
    pub unique: bool,
}

/// What lookups an index supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    Hash,
    BTree,
}

/// A reducer.
#[derive(Debug, Clone, PartialEq)]
pub struct Reducer {
    pub name: String,
    pub args: Vec<Field>,
}

/// A query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub name: String,
    pub args: Vec<Field>,
    pub returns: Type,
}

/// Reducer `reducer` handles `event`.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub reducer: String,
    pub event: Event,
}

/// What a subscription reacts to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Init,
    Table { node: Option<String>, module: String, table: String, kind: TableEventKind },
}

/// What happened to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableEventKind {
    Insert,
    Update,
    Delete,
}

/// A dependency on another module.
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    pub module: String,
    pub version: String,
    pub node: Option<String>,
}

impl Event {
    /// Parses the text form: `init`, `<module>.<table>.<kind>` or `<node>.<module>.<table>.<kind>`.
    pub fn parse(text: &str) -> Result<Event, String> {
        if text == "init" {
            return Ok(Event::Init);
        }
        let parts: Vec<&str> = text.split('.').collect();
        if !(parts.len() == 3 || parts.len() == 4) || parts.iter().any(|p| p.is_empty()) {
            return Err(format!(
                "event `{}` is malformed: expected `init`, `<module>.<table>.<insert|update|delete>` or `<node>.<module>.<table>.<insert|update|delete>`",
                text
            ));
        }
        let kind = match parts[parts.len() - 1] {
            "insert" => TableEventKind::Insert,
            "update" => TableEventKind::Update,
            "delete" => TableEventKind::Delete,
            other => return Err(format!("event `{}` has kind `{}`: expected insert, update or delete", text, other)),
        };
        let node = if parts.len() == 4 { Some(parts[0].to_string()) } else { None };
        let n = parts.len();
        Ok(Event::Table { node, module: parts[n - 3].to_string(), table: parts[n - 2].to_string(), kind })
    }
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Event::Init => f.write_str("init"),
            Event::Table { node, module, table, kind } => {
                if let Some(node) = node {
                    write!(f, "{}.", node)?;
                }
                let kind = match kind {
                    TableEventKind::Insert => "insert",
                    TableEventKind::Update => "update",
                    TableEventKind::Delete => "delete",
                };
                write!(f, "{}.{}.{}", module, table, kind)
            }
        }
    }
}

impl ModuleSchema {
    /// The canonical binary encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.abi_version.to_le_bytes());
        write_str(&mut out, &self.name);
        write_str(&mut out, &self.version);
        write_leb(&mut out, self.visibility as u32);
        write_list(&mut out, &self.authorities, |out, a| write_str(out, a));
        write_list(&mut out, &self.types, encode_type_def);
        write_list(&mut out, &self.tables, encode_table);
        write_list(&mut out, &self.reducers, |out, r| {
            write_str(out, &r.name);
            write_list(out, &r.args, encode_field);
        });
        write_list(&mut out, &self.queries, |out, q| {
            write_str(out, &q.name);
            write_list(out, &q.args, encode_field);
            q.returns.encode(out);
        });
        write_list(&mut out, &self.subscriptions, |out, s| {
            write_str(out, &s.reducer);
            match &s.event {
                Event::Init => write_leb(out, 0),
                Event::Table { node, module, table, kind } => {
                    write_leb(out, 1);
                    write_opt_str(out, node.as_deref());
                    write_str(out, module);
                    write_str(out, table);
                    write_leb(out, *kind as u32);
                }
            }
        });
        write_list(&mut out, &self.dependencies, |out, d| {
            write_str(out, &d.module);
            write_str(out, &d.version);
            write_opt_str(out, d.node.as_deref());
        });
        out
    }

    /// Decodes the canonical binary encoding (the whole buffer).
    pub fn decode(data: &[u8]) -> Result<ModuleSchema, DecodeError> {
        let r = &mut Reader::new(data);
        let abi_version = u32::from_le_bytes(r.read_array()?);
        if abi_version != crate::ABI_VERSION {
            return Err(DecodeError::new(0, format!("abi_version {} is not supported (expected {})", abi_version, crate::ABI_VERSION)));
        }
        let schema = ModuleSchema {
            abi_version,
            name: read_string(r)?,
            version: read_string(r)?,
            visibility: if r.read_variant(2)? == 0 { Visibility::Private } else { Visibility::Public },
            authorities: read_list(r, read_string)?,
            types: read_list(r, decode_type_def)?,
            tables: read_list(r, decode_table)?,
            reducers: read_list(r, |r| Ok(Reducer { name: read_string(r)?, args: read_list(r, decode_field)? }))?,
            queries: read_list(r, |r| Ok(Query { name: read_string(r)?, args: read_list(r, decode_field)?, returns: Type::decode(r)? }))?,
            subscriptions: read_list(r, |r| {
                let reducer = read_string(r)?;
                let event = if r.read_variant(2)? == 0 {
                    Event::Init
                } else {
                    Event::Table {
                        node: read_opt_string(r)?,
                        module: read_string(r)?,
                        table: read_string(r)?,
                        kind: [TableEventKind::Insert, TableEventKind::Update, TableEventKind::Delete][r.read_variant(3)? as usize],
                    }
                };
                Ok(Subscription { reducer, event })
            })?,
            dependencies: read_list(r, |r| {
                Ok(Dependency { module: read_string(r)?, version: read_string(r)?, node: read_opt_string(r)? })
            })?,
        };
        r.finish()?;
        Ok(schema)
    }
}

fn encode_type_def(out: &mut Vec<u8>, def: &TypeDef) {
    write_str(out, &def.name);
    match &def.body {
        TypeBody::Struct(fields) => {
            write_leb(out, 0);
            write_list(out, fields, encode_field);
        }
        TypeBody::Enum(variants) => {
            write_leb(out, 1);
            write_list(out, variants, |out, v| {
                write_str(out, &v.name);
                match &v.payload {
                    Payload::Unit => write_leb(out, 0),
                    Payload::Tuple(types) => {
                        write_leb(out, 1);
                        write_list(out, types, |out, t| t.encode(out));
                    }
                    Payload::Struct(fields) => {
                        write_leb(out, 2);
                        write_list(out, fields, encode_field);
                    }
                }
            });
        }
    }
}

fn decode_type_def(r: &mut Reader<'_>) -> Result<TypeDef, DecodeError> {
    let name = read_string(r)?;
    let body = if r.read_variant(2)? == 0 {
        TypeBody::Struct(read_list(r, decode_field)?)
    } else {
        TypeBody::Enum(read_list(r, |r| {
            let name = read_string(r)?;
            let payload = match r.read_variant(3)? {
                0 => Payload::Unit,
                1 => Payload::Tuple(read_list(r, Type::decode)?),
                _ => Payload::Struct(read_list(r, decode_field)?),
            };
            Ok(Variant { name, payload })
        })?)
    };
    Ok(TypeDef { name, body })
}

fn encode_field(out: &mut Vec<u8>, field: &Field) {
    write_str(out, &field.name);
    field.ty.encode(out);
}

fn decode_field(r: &mut Reader<'_>) -> Result<Field, DecodeError> {
    Ok(Field { name: read_string(r)?, ty: Type::decode(r)? })
}

fn encode_table(out: &mut Vec<u8>, table: &Table) {
    write_str(out, &table.name);
    write_str(out, &table.row);
    out.extend_from_slice(&table.primary_key.to_le_bytes());
    write_list(out, &table.auto_inc, |out, c| out.extend_from_slice(&c.to_le_bytes()));
    write_list(out, &table.indexes, |out, index| {
        write_str(out, &index.name);
        write_list(out, &index.columns, |out, c| out.extend_from_slice(&c.to_le_bytes()));
        write_leb(out, index.kind as u32);
        out.push(index.unique as u8);
    });
    out.push(table.ephemeral as u8);
}

fn decode_table(r: &mut Reader<'_>) -> Result<Table, DecodeError> {
    let column = |r: &mut Reader<'_>| Ok(u32::from_le_bytes(r.read_array()?));
    Ok(Table {
        name: read_string(r)?,
        row: read_string(r)?,
        primary_key: column(r)?,
        auto_inc: read_list(r, column)?,
        indexes: read_list(r, |r| {
            Ok(Index {
                name: read_string(r)?,
                columns: read_list(r, column)?,
                kind: if r.read_variant(2)? == 0 { IndexKind::Hash } else { IndexKind::BTree },
                unique: r.read_bool()?,
            })
        })?,
        ephemeral: r.read_bool()?,
    })
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    write_bytes(out, s.as_bytes());
}

fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            out.push(1);
            write_str(out, s);
        }
    }
}

fn write_list<T>(out: &mut Vec<u8>, items: &[T], mut write: impl FnMut(&mut Vec<u8>, &T)) {
    write_leb(out, items.len() as u32);
    for item in items {
        write(out, item);
    }
}

fn read_string(r: &mut Reader<'_>) -> Result<String, DecodeError> {
    Ok(r.read_str()?.to_string())
}

fn read_opt_string(r: &mut Reader<'_>) -> Result<Option<String>, DecodeError> {
    Ok(if r.read_option_tag()? { Some(read_string(r)?) } else { None })
}

fn read_list<T>(
    r: &mut Reader<'_>,
    mut read: impl FnMut(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let count = r.read_count()?;
    let mut items = Vec::with_capacity(count);
    for _ in 0..count {
        items.push(read(r)?);
    }
    Ok(items)
}
