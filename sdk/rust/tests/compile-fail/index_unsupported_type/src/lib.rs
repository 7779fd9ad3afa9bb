use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
    #[index(btree)]
    pub rating: f32,
}
