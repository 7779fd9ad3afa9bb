use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
}

#[query]
fn sneaky(ctx: QueryContext) -> u64 {
    let _ = ctx.current.players().insert(Players { id: 1 });
    0
}
