//! `bench`: the reducers and queries the node's benchmarks call.

use interstice_sdk::prelude::*;

interstice_module!(visibility: Public);

#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    #[primary_key]
    pub id: u64,
    #[index(btree)]
    pub group: u32,
    #[index(hash, unique)]
    pub key: String,
    pub payload: Vec<u8>,
}

fn row(id: u64, payload_len: usize) -> Rows {
    Rows { id, group: (id % 100) as u32, key: format!("key-{}", id), payload: vec![(id % 251) as u8; payload_len] }
}

/// Does nothing: the cost of a reducer call.
#[reducer]
fn noop(_ctx: ReducerContext) {}

/// Inserts one row.
#[reducer]
fn insert_one(ctx: ReducerContext, id: u64, group: u32, key: String, payload: Vec<u8>) -> Result<(), String> {
    ctx.current.rows().insert(Rows { id, group, key, payload })?;
    Ok(())
}

/// Inserts `count` rows with ids `start..start + count` and `payload_len`-byte payloads.
#[reducer]
fn bulk_insert(ctx: ReducerContext, start: u64, count: u32, payload_len: u32) -> Result<(), String> {
    let rows = ctx.current.rows();
    for id in start..start + count as u64 {
        rows.insert(row(id, payload_len as usize))?;
    }
    Ok(())
}

/// A row by primary key.
#[query]
fn get(ctx: QueryContext, id: u64) -> Option<Rows> {
    ctx.current.rows().get(id)
}

/// A row by its unique hash-indexed key.
#[query]
fn by_key(ctx: QueryContext, key: String) -> Option<Rows> {
    ctx.current.rows().by_key().find(&key)
}

/// How many rows a group has (btree index equality lookup).
#[query]
fn group_size(ctx: QueryContext, group: u32) -> u64 {
    ctx.current.rows().by_group().filter(group).count() as u64
}

/// The ids of the rows whose group is in `from..to` (btree index range scan).
#[query]
fn group_range(ctx: QueryContext, from: u32, to: u32) -> Vec<u64> {
    ctx.current.rows().by_group().range(from..to).map(|r| r.id).collect()
}
