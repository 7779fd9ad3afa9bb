//! Reading the schema's JSON form (docs/abi.md section 7), e.g. a bindings file.

use crate::json::Json;
use crate::schema::*;
use crate::types::Type;

impl ModuleSchema {
    /// Parses the JSON form. Errors name the JSON path (`$.tables[0].row`) and what is wrong.
    pub fn from_json(text: &str) -> Result<ModuleSchema, String> {
        let json = Json::parse(text).map_err(|e| e.to_string())?;
        let root = Node { json: &json, path: "$".to_string() };
        let types = root.get("types")?.list(type_def)?;
        let visibility = match root.get("visibility")?.str()? {
            "private" => Visibility::Private,
            "public" => Visibility::Public,
            other => return Err(root.get("visibility")?.error(&format!("expected \"private\" or \"public\", found \"{}\"", other))),
        };
        let abi_version = root.get("abi_version")?.u32()?;
        if abi_version != crate::ABI_VERSION {
            return Err(format!("abi_version {} is not supported (expected {})", abi_version, crate::ABI_VERSION));
        }
        Ok(ModuleSchema {
            abi_version,
            name: root.get("name")?.string()?,
            version: root.get("version")?.string()?,
            visibility,
            authorities: root.get("authorities")?.list(|n| n.string())?,
            tables: root.get("tables")?.list(|n| table(n, &types))?,
            types,
            reducers: root.get("reducers")?.list(|n| Ok(Reducer { name: n.get("name")?.string()?, args: n.get("args")?.list(field)? }))?,
            queries: root.get("queries")?.list(|n| {
                Ok(Query { name: n.get("name")?.string()?, args: n.get("args")?.list(field)?, returns: n.get("returns")?.ty()? })
            })?,
            subscriptions: root.get("subscriptions")?.list(|n| {
                let on = n.get("on")?;
                Ok(Subscription { reducer: n.get("reducer")?.string()?, event: Event::parse(on.str()?).map_err(|e| on.error(&e))? })
            })?,
            dependencies: root.get("dependencies")?.list(|n| {
                Ok(Dependency { module: n.get("module")?.string()?, version: n.get("version")?.string()?, node: n.get("node")?.opt_string()? })
            })?,
        })
    }
}

fn type_def(n: Node) -> Result<TypeDef, String> {
    let name = n.get("name")?.string()?;
    let body = match (n.has("struct"), n.has("enum")) {
        (true, false) => TypeBody::Struct(n.get("struct")?.list(field)?),
        (false, true) => TypeBody::Enum(n.get("enum")?.list(|v| {
            let name = v.get("name")?.string()?;
            let payload = match (v.has("tuple"), v.has("struct")) {
                (false, false) => Payload::Unit,
                (true, false) => Payload::Tuple(v.get("tuple")?.list(|t| t.ty())?),
                (false, true) => Payload::Struct(v.get("struct")?.list(field)?),
                (true, true) => return Err(v.error("a variant has \"tuple\" or \"struct\", not both")),
            };
            Ok(Variant { name, payload })
        })?),
        _ => return Err(n.error("a type definition has either \"struct\" (its fields) or \"enum\" (its variants)")),
    };
    Ok(TypeDef { name, body })
}

fn field(n: Node) -> Result<Field, String> {
    Ok(Field { name: n.get("name")?.string()?, ty: n.get("type")?.ty()? })
}

fn table(n: Node, types: &[TypeDef]) -> Result<Table, String> {
    let name = n.get("name")?.string()?;
    let row = n.get("row")?.string()?;
    let fields = match types.iter().find(|t| t.name == row).map(|t| &t.body) {
        Some(TypeBody::Struct(fields)) => fields,
        _ => return Err(n.get("row")?.error(&format!("row type '{}' is not a struct defined in \"types\"", row))),
    };
    let column = |c: Node| -> Result<u32, String> {
        let column_name = c.str()?;
        fields
            .iter()
            .position(|f| f.name == column_name)
            .map(|i| i as u32)
            .ok_or_else(|| c.error(&format!("'{}' is not a column of table '{}' (row type '{}')", column_name, name, row)))
    };
    Ok(Table {
        primary_key: column(n.get("primary_key")?)?,
        auto_inc: n.get("auto_inc")?.list(column)?,
        indexes: n.get("indexes")?.list(|i| {
            Ok(Index {
                name: i.get("name")?.string()?,
                columns: i.get("columns")?.list(column)?,
                kind: match i.get("kind")?.str()? {
                    "hash" => IndexKind::Hash,
                    "btree" => IndexKind::BTree,
                    other => return Err(i.get("kind")?.error(&format!("expected \"hash\" or \"btree\", found \"{}\"", other))),
                },
                unique: i.get("unique")?.bool()?,
            })
        })?,
        ephemeral: n.get("ephemeral")?.bool()?,
        name,
        row,
    })
}

/// A JSON value with its path, for precise errors.
#[derive(Clone)]
struct Node<'a> {
    json: &'a Json,
    path: String,
}

impl<'a> Node<'a> {
    fn error(&self, message: &str) -> String {
        format!("schema JSON at {}: {}", self.path, message)
    }

    fn has(&self, key: &str) -> bool {
        self.json.get(key).is_some()
    }

    fn get(&self, key: &str) -> Result<Node<'a>, String> {
        match self.json {
            Json::Object(_) => self
                .json
                .get(key)
                .map(|json| Node { json, path: format!("{}.{}", self.path, key) })
                .ok_or_else(|| self.error(&format!("missing property \"{}\"", key))),
            other => Err(self.error(&format!("expected an object, found {}", other.kind()))),
        }
    }

    fn str(&self) -> Result<&'a str, String> {
        self.json.as_str().ok_or_else(|| self.error(&format!("expected a string, found {}", self.json.kind())))
    }

    fn string(&self) -> Result<String, String> {
        self.str().map(str::to_string)
    }

    fn opt_string(&self) -> Result<Option<String>, String> {
        match self.json {
            Json::Null => Ok(None),
            _ => self.string().map(Some),
        }
    }

    fn bool(&self) -> Result<bool, String> {
        match self.json {
            Json::Bool(b) => Ok(*b),
            other => Err(self.error(&format!("expected true or false, found {}", other.kind()))),
        }
    }

    fn u32(&self) -> Result<u32, String> {
        match self.json {
            Json::Number(text) => text.parse().map_err(|_| self.error(&format!("expected a whole number, found {}", text))),
            other => Err(self.error(&format!("expected a whole number, found {}", other.kind()))),
        }
    }

    fn ty(&self) -> Result<Type, String> {
        Type::parse(self.str()?).map_err(|e| self.error(&e))
    }

    fn list<T>(&self, mut read: impl FnMut(Node<'a>) -> Result<T, String>) -> Result<Vec<T>, String> {
        match self.json {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, json)| read(Node { json, path: format!("{}[{}]", self.path, i) }))
                .collect(),
            other => Err(self.error(&format!("expected an array, found {}", other.kind()))),
        }
    }
}
