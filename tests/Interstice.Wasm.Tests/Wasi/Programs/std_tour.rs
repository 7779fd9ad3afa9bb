// A tour of Rust's standard library on WASI (built by Debian's rustc for wasm32-wasi): arguments,
// environment, a HashMap (seeded through random_get), files and directories under the pre-opened
// /data, an attempt to leave it, a sleep, the clock, stdin, stderr and an exit code.
use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    println!("args: {:?}", args);
    println!("env GREETING: {:?}", std::env::var("GREETING"));
    let mut map = HashMap::new();
    map.insert("key", 1);
    println!("map: {:?}", map);

    fs::create_dir_all("/data/tour/sub").unwrap();
    fs::write("/data/tour/sub/f.txt", b"hello from rust").unwrap();
    let mut text = String::new();
    fs::File::open("/data/tour/sub/f.txt").unwrap().read_to_string(&mut text).unwrap();
    println!("read: {}", text);
    let mut names: Vec<String> = fs::read_dir("/data/tour/sub").unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    println!("dir: {:?}", names);
    let metadata = fs::metadata("/data/tour/sub/f.txt").unwrap();
    println!("len: {} file: {} dir: {}", metadata.len(), metadata.is_file(), metadata.is_dir());
    fs::rename("/data/tour/sub/f.txt", "/data/tour/g.txt").unwrap();
    fs::remove_dir("/data/tour/sub").unwrap();
    println!("kept: {:?}", fs::read_to_string("/data/tour/g.txt"));
    println!("escape: {:?}", fs::read("/data/../secret.txt").map_err(|e| e.raw_os_error()));

    let start = std::time::Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(20));
    println!("slept at least 20 ms: {}", start.elapsed().as_millis() >= 20);
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    println!("after 2020: {}", seconds > 1_577_836_800);

    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input).unwrap();
    println!("stdin: {:?}", input);
    std::io::stderr().write_all(b"to stderr\n").unwrap();
    std::process::exit(3);
}
