//! `hello`: the smallest useful module. One table of greetings, a reducer that greets, an init
//! hook that greets the world, and queries that read the table.

use interstice_sdk::prelude::*;

interstice_module!(visibility: Public);

/// How a greeting feels: a custom type stored in a column.
#[interstice_type]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mood {
    Happy,
    Neutral,
    Grumpy,
}

/// One row per name greeted.
#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Greetings {
    #[primary_key(auto_inc)]
    pub id: u64,
    #[index(hash, unique)]
    pub name: String,
    pub mood: Mood,
    pub message: String,
    /// How many times this name was greeted.
    pub count: u32,
}

/// Runs once, when the module is first loaded on a node.
#[reducer(on = "init")]
fn setup(ctx: ReducerContext) -> Result<(), String> {
    ctx.current.greetings().insert(Greetings {
        id: 0,
        name: "world".to_string(),
        mood: Mood::Happy,
        message: "Hello, world!".to_string(),
        count: 1,
    })?;
    Ok(())
}

/// Greets `name`: the first time inserts a row, later counts.
#[reducer]
fn hello(ctx: ReducerContext, name: String, mood: Mood) -> Result<(), String> {
    if name.is_empty() {
        return Err("a greeting needs a name".to_string());
    }
    let greetings = ctx.current.greetings();
    match greetings.by_name().find(&name) {
        Some(mut greeting) => {
            greeting.count += 1;
            greeting.mood = mood;
            greetings.update(greeting)?;
        }
        None => {
            // The transaction's random stream is deterministic: replaying the log gives the same message.
            let salutation = ["Hello", "Hi", "Greetings"][(ctx.random() % 3) as usize];
            let message = format!("{}, {}!", salutation, name);
            let greeting = greetings.insert(Greetings { id: 0, name, mood, message, count: 1 })?;
            ctx.log.info(format!("greeted {} for the first time (id {})", greeting.name, greeting.id));
        }
    }
    Ok(())
}

/// The greeting of `name`, if any.
#[query]
fn greeting(ctx: QueryContext, name: String) -> Option<Greetings> {
    ctx.current.tables.greetings().by_name().find(&name)
}

/// How many names were greeted.
#[query]
fn count(ctx: QueryContext) -> u64 {
    ctx.current.greetings().iter().count() as u64
}
