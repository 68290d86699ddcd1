//! Keccak-256 and SHA-256 of the private input through the first-party precompiles
//! (zkrv.keccak_f1600 and zkrv.sha256_compress). Public output: keccak256 || sha256, 64 bytes.
#![no_std]
#![no_main]

use zkrv_guest::io;

zkrv_guest::entry!(main);

fn main() {
    let data = io::private_input();
    let keccak = zkrv_guest::cycle_region("keccak256", || zkrv_guest::keccak256(data));
    let sha = zkrv_guest::cycle_region("sha256", || zkrv_guest::sha256(data));
    io::commit(&keccak);
    io::commit(&sha);
}
