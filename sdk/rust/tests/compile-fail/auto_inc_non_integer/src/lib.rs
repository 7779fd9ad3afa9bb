use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key(auto_inc)]
    pub name: String,
    pub score: u32,
}
