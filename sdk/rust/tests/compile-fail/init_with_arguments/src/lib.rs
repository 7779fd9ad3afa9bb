use interstice_sdk::prelude::*;

interstice_module!();

#[reducer(on = "init")]
fn setup(_ctx: ReducerContext, count: u32) {
    let _ = count;
}
