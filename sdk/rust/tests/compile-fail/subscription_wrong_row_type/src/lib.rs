use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
}

#[interstice_type]
pub struct Other {
    pub id: u64,
}

#[reducer(on = "subscription-wrong-row-type.players.insert")]
fn on_player(_ctx: ReducerContext, row: Other) {
    let _ = row;
}
