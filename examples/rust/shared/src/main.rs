//! alloc::sync::Arc on riscv32imac (atomics available): one buffer shared by several owners.
//! Public output: the strong count while three clones live (u32 LE), the total of the public input
//! bytes summed through each clone (u32 LE), and the count after the clones are dropped (u32 LE).
#![no_std]
#![no_main]

extern crate alloc;

use alloc::sync::Arc;
use alloc::vec::Vec;
use zkrv_guest::io;

zkrv_guest::entry!(main);

fn main() {
    let shared: Arc<Vec<u8>> = Arc::new(io::public_input().to_vec());
    let owners: Vec<Arc<Vec<u8>>> = (0..3).map(|_| Arc::clone(&shared)).collect();
    io::commit(&(Arc::strong_count(&shared) as u32).to_le_bytes());
    let total: u32 = owners.iter().map(|o| o.iter().map(|b| *b as u32).sum::<u32>()).sum();
    io::commit(&total.to_le_bytes());
    drop(owners);
    io::commit(&(Arc::strong_count(&shared) as u32).to_le_bytes());
}
