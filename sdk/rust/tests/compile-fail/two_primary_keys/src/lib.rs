use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
    #[primary_key]
    pub name: String,
}
