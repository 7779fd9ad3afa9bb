use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
}

#[reducer(on = "subscription-wrong-arity.players.update")]
fn on_player(_ctx: ReducerContext, row: Players) {
    let _ = row;
}
