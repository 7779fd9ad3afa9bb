use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    pub name: String,
    pub score: u32,
}
