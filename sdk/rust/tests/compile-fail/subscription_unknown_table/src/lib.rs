use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
}

#[reducer(on = "subscription-unknown-table.teams.insert")]
fn on_team(_ctx: ReducerContext, row: Players) {
    let _ = row;
}
