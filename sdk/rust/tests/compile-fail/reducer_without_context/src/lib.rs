use interstice_sdk::prelude::*;

interstice_module!();

#[reducer]
fn bump(count: u32) {
    let _ = count;
}
