//! `rogue`: a module that misbehaves on purpose, so that the node's tests can show it is stopped
//! while the node keeps serving others: it loops forever, allocates without end, recurses without
//! end, tries to re-enter itself, and keeps a subscription cascade going. It also calls `hello`
//! and (private) `caller` to show transactions spanning several modules: all or nothing, with a
//! failed nested call undoing only its own writes.

use interstice_sdk::prelude::*;

interstice_module!(visibility: Public, authorities: [Scheduler]);

interstice_sdk::import!("bindings/hello.json");

/// Hides a value from the optimizer, so that loops and recursion happen as written.
fn black_box<T>(value: T) -> T {
    // read_volatile of a local: the compiler must assume anything about the result.
    let result = unsafe { std::ptr::read_volatile(&value) };
    std::mem::forget(value);
    result
}

/// Each echo makes another (see `on_echo`): a cascade that never ends by itself.
#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Echoes {
    #[primary_key(auto_inc)]
    pub id: u64,
    pub hops: u32,
}

/// Loops until the node stops it (fuel or deadline).
#[reducer]
fn spin(_ctx: ReducerContext) {
    let mut turns: u64 = 0;
    loop {
        turns = black_box(turns.wrapping_add(1));
    }
}

/// The same, as a query.
#[query]
fn spin_query(_ctx: QueryContext) -> u64 {
    let mut turns: u64 = 0;
    loop {
        turns = black_box(turns.wrapping_add(1));
    }
}

/// Allocates 1 MiB blocks and keeps them, until memory runs out.
#[reducer]
fn hog(_ctx: ReducerContext) {
    let mut kept: Vec<Vec<u8>> = Vec::new();
    loop {
        kept.push(black_box(vec![1u8; 1 << 20]));
    }
}

fn descend(depth: u64) -> u64 {
    // A frame used after the recursive call, so that the recursion cannot become a loop.
    let frame = [depth; 8];
    if black_box(depth) == u64::MAX {
        return 0;
    }
    let below = descend(depth + 1);
    black_box(&frame)[(below % 8) as usize].wrapping_add(below)
}

/// Recurses until the stack runs out.
#[reducer]
fn recurse(_ctx: ReducerContext) -> Result<(), String> {
    Err(format!("reached depth {}", descend(0)))
}

/// Calls its own reducer through the host (a module cannot be re-entered: the node refuses).
#[reducer]
fn reenter(_ctx: ReducerContext) -> Result<(), String> {
    // There are no bindings of a module to itself; this is the raw call they would make.
    interstice_sdk::__private::call_reducer(None, "rogue", "reenter", &[])?;
    Ok(())
}

/// Starts the echo cascade.
#[reducer]
fn echo(ctx: ReducerContext) -> Result<(), String> {
    ctx.current.echoes().insert(Echoes { id: 0, hops: 0 })?;
    Ok(())
}

#[reducer(on = "rogue.echoes.insert")]
fn on_echo(ctx: ReducerContext, echo: Echoes) -> Result<(), String> {
    ctx.current.echoes().insert(Echoes { id: 0, hops: echo.hops + 1 })?;
    Ok(())
}

/// How many echoes exist.
#[query]
fn echo_count(ctx: QueryContext) -> u64 {
    ctx.current.echoes().iter().count() as u64
}

/// Greets `name` through hello, then fails: the greeting is undone with this reducer.
#[reducer]
fn greet_then_fail(ctx: ReducerContext, name: String) -> Result<(), String> {
    hello::hello(&ctx, name.clone(), hello::Mood::Neutral)?;
    Err(format!("greeted {}, then failed", name))
}

/// Greets `name` through hello, then panics: the greeting is undone with this reducer.
#[reducer]
fn greet_then_trap(ctx: ReducerContext, name: String) {
    hello::hello(&ctx, name.clone(), hello::Mood::Neutral).expect("hello failed");
    panic!("greeted {}, then panicked", name);
}

/// Greets `name` twice through hello, then reads the greeting back through hello's query in
/// the same transaction: it must see both of its own writes.
#[reducer]
fn greet_twice(ctx: ReducerContext, name: String) -> Result<(), String> {
    hello::hello(&ctx, name.clone(), hello::Mood::Happy)?;
    hello::hello(&ctx, name.clone(), hello::Mood::Grumpy)?;
    let greeting = hello::greeting(&ctx, name.clone())?.ok_or_else(|| format!("{} is not there after greeting it", name))?;
    if greeting.count != 2 || greeting.mood != hello::Mood::Grumpy {
        return Err(format!("read back count {} and mood {:?}, expected 2 and Grumpy", greeting.count, greeting.mood));
    }
    Ok(())
}

/// Asks (private) `caller` to greet each batch of names, all or nothing per batch; a batch that
/// fails is undone alone and logged, the others stay.
#[reducer]
fn poke_batches(ctx: ReducerContext, batches: Vec<Vec<String>>) {
    for batch in batches {
        // caller's bindings cannot be imported here: caller copies hello's types, and copies of
        // copies (`caller.hello.Mood`) are not names. This is the call the bindings would make.
        let args = interstice_sdk::encode(&batch);
        if let Err(e) = interstice_sdk::__private::call_reducer(None, "caller", "poke_all", &args) {
            ctx.log.warn(e.to_string());
        }
    }
}

/// Two handlers of the same event, declared out of name order: the node runs them by name.
#[reducer(on = "hello.greetings.insert")]
fn witness_greeting(ctx: ReducerContext, greeting: hello::Greetings) {
    ctx.log.info(format!("witness {}", greeting.name));
}

#[reducer(on = "hello.greetings.insert")]
fn audit_greeting(ctx: ReducerContext, greeting: hello::Greetings) {
    ctx.log.info(format!("audit {}", greeting.name));
}
