use interstice_sdk::prelude::*;

interstice_module!();

#[interstice_type]
pub enum Shape {
    Dot,
    Circle(f64),
}

#[table]
pub struct Drawings {
    #[primary_key]
    pub id: u64,
    #[index(hash)]
    pub shape: Shape,
}
