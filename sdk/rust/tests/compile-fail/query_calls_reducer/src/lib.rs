use interstice_sdk::prelude::*;

interstice_module!();

interstice_sdk::import!("bindings/other.json");

#[query]
fn sneaky(ctx: QueryContext) -> u64 {
    let _ = other::bump(&ctx);
    0
}
