use interstice_sdk::prelude::*;

interstice_module!();

#[table]
pub struct Players {
    #[primary_key]
    pub id: u64,
    pub scores: std::collections::HashMap<String, u32>,
}
