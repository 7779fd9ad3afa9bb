use interstice_sdk::prelude::*;

interstice_module!();

#[reducer(on = "players.insert")]
fn on_player(_ctx: ReducerContext) {}
