use interstice_sdk::prelude::*;

interstice_module!();

#[query]
fn count(_ctx: ReducerContext) -> u64 {
    0
}
