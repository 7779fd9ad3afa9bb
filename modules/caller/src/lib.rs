//! `caller`: uses another module through its schema file. `bindings/hello.json` was saved with
//! `interstice schema hello.wasm --json --out modules/caller/bindings/hello.json`; `import!`
//! turns it into the `hello` module below: hello's types and one typed function per reducer and
//! query. No names are written as strings here.

use interstice_sdk::prelude::*;

interstice_module!();

interstice_sdk::import!("bindings/hello.json");

// The same module running on the node `eu-1`: its calls and events go there.
interstice_sdk::import!("bindings/hello.json", node = "eu-1", module = hello_eu);

/// Greetings hello made, as this module saw them.
#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    #[primary_key(auto_inc)]
    pub id: u64,
    #[index(btree, unique)]
    pub greeting_id: u64,
    pub name: String,
    pub mood: hello::Mood,
}

/// Greets `name` through hello's reducer, inside this transaction.
#[reducer]
fn poke(ctx: ReducerContext, name: String) -> Result<(), String> {
    hello::hello(&ctx, name, hello::Mood::Happy)?;
    Ok(())
}

/// Greets every name through hello's reducer, all or nothing: if one greeting fails (an empty
/// name), the greetings made before it in this call are undone with it.
#[reducer]
fn poke_all(ctx: ReducerContext, names: Vec<String>) -> Result<(), String> {
    for name in names {
        hello::hello(&ctx, name, hello::Mood::Happy)?;
    }
    Ok(())
}

/// Runs after each transaction that inserted a row into hello's `greetings` table.
#[reducer(on = "hello.greetings.insert")]
fn on_greeting(ctx: ReducerContext, greeting: hello::Greetings) -> Result<(), String> {
    ctx.current.seen().insert(Seen { id: 0, greeting_id: greeting.id, name: greeting.name, mood: greeting.mood })?;
    Ok(())
}

/// Runs after each transaction that deleted a greeting on node `eu-1`.
#[reducer(on = "eu-1.hello.greetings.delete")]
fn on_remote_farewell(ctx: ReducerContext, greeting: hello_eu::Greetings) {
    ctx.log.info(format!("{} was forgotten on eu-1", greeting.name));
}

/// Greets `name` on node `eu-1` (until networking exists, the node answers NodeUnreachable).
#[reducer]
fn poke_remote(ctx: ReducerContext, name: String) -> Result<(), String> {
    hello_eu::hello(&ctx, name, hello_eu::Mood::Neutral)?;
    Ok(())
}

/// How many greetings this module saw.
#[query]
fn seen_count(ctx: QueryContext) -> u64 {
    ctx.current.seen().iter().count() as u64
}

/// hello's own count, through its query.
#[query]
fn hello_count(ctx: QueryContext) -> Result<u64, HostError> {
    hello::count(&ctx)
}
