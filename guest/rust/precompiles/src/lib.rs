//! Dynamic precompiles (docs/precompiles.md): the [`precompile!`] macro, which declares one in
//! `.note.zkrv.precompiles` exactly as the C macro `ZKRV_PRECOMPILE` does, and safe wrappers for
//! the first-party keccak-f[1600] permutation, keccak absorb and SHA-256 compression with the `keccak256`/`sha256`
//! hashes on top. Guests use all of it through `zkrv_guest` (`zkrv_guest::precompile`,
//! `zkrv_guest::precompile!`, `zkrv_guest::keccak256`, ...).
//!
//! This is a crate of its own so that a guest that hashes nothing declares no precompile. The SDK
//! linker script keeps every `.note.zkrv.precompiles` section of every object it links, and rustc
//! links an upstream crate's objects like archive members: only when a symbol they define is
//! referenced. The first-party descriptors below are therefore not `#[used]` (rustc would force
//! every `#[used]` static of a dependency into the program), and each wrapper references its
//! descriptor from the instruction it emits (`.reloc ., R_RISCV_NONE, DESCRIPTOR`). A guest that
//! calls a wrapper pulls in this crate's object and with it the first-party descriptors; one that
//! does not, links neither. The runtime crate `zkrv-guest` must never call into this crate itself.
#![cfg_attr(target_os = "none", no_std)]

/// `"ZKPD"`, little-endian.
pub const DESCRIPTOR_MAGIC: u32 = 0x4450_4b5a;
pub const DESCRIPTOR_VERSION: u16 = 1;
pub const MAX_INDEX: u16 = 1023;

/// The 136-byte descriptor of `guest/include/zkrv/precompiles.h`: little-endian, 4-byte aligned,
/// strings NUL-padded, an all-zero digest meaning any package that satisfies the requirement.
#[repr(C, align(4))]
pub struct Descriptor {
    pub magic: u32,
    pub format_version: u16,
    pub index: u16,
    pub name: [u8; 64],
    pub version_requirement: [u8; 32],
    pub package_sha256: [u8; 32],
}

const _: () = assert!(core::mem::size_of::<Descriptor>() == 136);

const fn padded<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    // One byte stays NUL so that the VM always finds the end of the string.
    assert!(bytes.len() < N, "precompile name or version requirement too long");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < bytes.len() {
        assert!(bytes[i] != 0, "NUL inside a precompile name or version requirement");
        out[i] = bytes[i];
        i += 1;
    }
    out
}

impl Descriptor {
    /// Evaluated at compile time by [`precompile!`]: an index over 1023 or a
    /// string too long for its field is a build error.
    pub const fn new(index: u16, name: &str, version_requirement: &str, package_sha256: [u8; 32]) -> Self {
        assert!(index <= MAX_INDEX, "precompile index out of range (0..=1023)");
        Descriptor {
            magic: DESCRIPTOR_MAGIC,
            format_version: DESCRIPTOR_VERSION,
            index,
            name: padded::<64>(name),
            version_requirement: padded::<32>(version_requirement),
            package_sha256,
        }
    }
}

/// Declares dynamic precompile `index` and defines `unsafe fn $fn(rs1: u32, rs2: u32) -> u32`,
/// which issues the custom-0 instruction (R-type, `fn7 << 3 | fn3 = index`) and returns rd:
///
/// ```ignore
/// zkrv_guest::precompile!(my_sum, 5, "acme.sum", "^1.0");
/// zkrv_guest::precompile!(my_sum_pinned, 6, "acme.sum", "=1.0.0", [0x12, 0x34, /* 32 bytes */]);
/// ```
///
/// The optional fourth argument pins the exact package by its SHA-256. The function is unsafe
/// because the precompile may read and write guest memory at addresses passed in rs1/rs2.
#[macro_export]
macro_rules! precompile {
    ($vis:vis $fn:ident, $index:expr, $name:expr, $requirement:expr $(,)?) => {
        $crate::precompile!($vis $fn, $index, $name, $requirement, [0u8; 32]);
    };
    ($vis:vis $fn:ident, $index:expr, $name:expr, $requirement:expr, $sha256:expr $(,)?) => {
        $crate::precompile!(@define [used] $vis $fn, $index, $name, $requirement, $sha256);
    };
    // Without #[used] the descriptor is linked only with a function that issues the instruction
    // (the `.reloc` below ties it to that code): for library crates such as this one, since rustc
    // links every #[used] static of a dependency into the program whether it is called or not.
    (@unused $vis:vis $fn:ident, $index:expr, $name:expr, $requirement:expr) => {
        $crate::precompile!(@define [] $vis $fn, $index, $name, $requirement, [0u8; 32]);
    };
    (@define [$($used:ident)?] $vis:vis $fn:ident, $index:expr, $name:expr, $requirement:expr, $sha256:expr) => {
        /// Issues the precompile's custom-0 instruction; see `zkrv_guest::precompile!`.
        ///
        /// # Safety
        /// The precompile may access guest memory at the addresses passed in `rs1`/`rs2`.
        #[inline(always)]
        #[allow(dead_code)]
        $vis unsafe fn $fn(rs1: u32, rs2: u32) -> u32 {
            const INDEX: u16 = $index;
            $(#[$used])?
            #[link_section = ".note.zkrv.precompiles"]
            static DESCRIPTOR: $crate::Descriptor =
                $crate::Descriptor::new(INDEX, $name, $requirement, $sha256);
            let rd: u32;
            ::core::arch::asm!(
                ".reloc ., R_RISCV_NONE, {descriptor}",
                ".insn r 0x0B, {fn3}, {fn7}, {rd}, {rs1}, {rs2}",
                descriptor = sym DESCRIPTOR,
                fn3 = const (INDEX & 7) as u32,
                fn7 = const (INDEX >> 3) as u32,
                rd = lateout(reg) rd,
                rs1 = in(reg) rs1,
                rs2 = in(reg) rs2,
                options(nostack),
            );
            rd
        }
    };
}

#[cfg(target_os = "none")]
mod first_party {
    crate::precompile!(@unused pub(super) keccak_f1600_raw, 1016, "zkrv.keccak_f1600", "^1.0");
    crate::precompile!(@unused pub(super) sha256_compress_raw, 1017, "zkrv.sha256_compress", "^1.0");
    crate::precompile!(@unused pub(super) keccak_absorb_raw, 1018, "zkrv.keccak_absorb", "^1.0");
}

/// The keccak-f[1600] permutation on 25 lanes (native little-endian u64, as in FIPS 202), through
/// the first-party precompile `zkrv.keccak_f1600` (index 1016).
#[cfg(target_os = "none")]
pub fn keccak_f1600(state: &mut [u64; 25]) {
    // SAFETY: the precompile reads and writes exactly the 200 bytes at rs1, which `state` owns.
    unsafe { first_party::keccak_f1600_raw(state.as_mut_ptr() as u32, 0) };
}

/// The SHA-256 compression function: `state` is H0..H7 as native u32 words, `block` 64 message
/// bytes; through the first-party precompile `zkrv.sha256_compress` (index 1017).
#[cfg(target_os = "none")]
pub fn sha256_compress(state: &mut [u32; 8], block: &[u8; 64]) {
    // zkrv proves a call only when its buffers are word aligned (docs/precompiles.md, "Proving"):
    // a block that is not goes through an aligned copy.
    let mut words = [0u32; 16];
    let source = if block.as_ptr() as usize % 4 == 0 {
        block.as_ptr() as u32
    } else {
        for (word, bytes) in words.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        words.as_ptr() as u32
    };
    // SAFETY: the precompile writes the 32 bytes of `state` and reads the 64 bytes at `source`
    // (`block`, or `words` holding its bytes), which do not overlap `state`.
    unsafe { first_party::sha256_compress_raw(state.as_mut_ptr() as u32, source) };
}

const KECCAK_RATE: usize = 136;

/// One absorb step of the Keccak sponge at rate 136 (state[0..136) ^= block, then keccak-f[1600])
/// through the first-party precompile `zkrv.keccak_absorb` (index 1018). A block at an address
/// that is not word aligned is copied to an aligned buffer first: the precompile's circuit proves
/// whole guest words only.
#[cfg(target_os = "none")]
pub fn keccak_absorb(state: &mut [u64; 25], block: &[u8; KECCAK_RATE]) {
    // Uninitialized: an aligned block (the common case) costs no zeroing of the copy.
    let mut copy = core::mem::MaybeUninit::<[u64; KECCAK_RATE / 8]>::uninit();
    let source = if block.as_ptr() as usize % 4 == 0 {
        block.as_ptr()
    } else {
        // SAFETY: `copy` is 136 bytes, `block` 136 bytes, and they are distinct objects; the
        // precompile reads only the 136 bytes written here.
        unsafe { core::ptr::copy_nonoverlapping(block.as_ptr(), copy.as_mut_ptr() as *mut u8, KECCAK_RATE) };
        copy.as_ptr() as *const u8
    };
    // SAFETY: the precompile reads the 136 bytes at rs2 and writes the 200 bytes of `state`, which
    // `state` owns and which no block overlaps (`state` is borrowed mutably).
    unsafe { first_party::keccak_absorb_raw(state.as_mut_ptr() as u32, source as u32) };
}

/// Keccak-256 (the Ethereum hash: Keccak padding 0x01, not SHA-3's 0x06) of `data`, with a
/// caller-supplied permutation so that the padding is testable on the host.
pub fn keccak256_with(data: &[u8], permute: impl Fn(&mut [u64; 25])) -> [u8; 32] {
    keccak256_absorbing(data, |state, block| {
        for (i, byte) in block.iter().enumerate() {
            state[i / 8] ^= (*byte as u64) << (8 * (i % 8));
        }
        permute(state);
    })
}

/// Keccak-256 of `data` with a caller-supplied absorb step (XOR a 136-byte block into the state,
/// then permute), as `zkrv.keccak_absorb` does.
pub fn keccak256_absorbing(data: &[u8], absorb: impl Fn(&mut [u64; 25], &[u8; KECCAK_RATE])) -> [u8; 32] {
    let mut state = [0u64; 25];
    let mut blocks = data.chunks_exact(KECCAK_RATE);
    for block in &mut blocks {
        absorb(&mut state, block.try_into().unwrap());
    }
    let mut last = [0u8; KECCAK_RATE];
    let tail = blocks.remainder();
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] ^= 0x01;
    last[KECCAK_RATE - 1] ^= 0x80;
    absorb(&mut state, &last);
    let mut digest = [0u8; 32];
    for (i, lane) in state[..4].iter().enumerate() {
        digest[8 * i..8 * i + 8].copy_from_slice(&lane.to_le_bytes());
    }
    digest
}

const SHA256_INITIAL: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// SHA-256 of `data` with a caller-supplied compression function (host-testable padding).
pub fn sha256_with(data: &[u8], compress: impl Fn(&mut [u32; 8], &[u8; 64])) -> [u8; 32] {
    let mut state = SHA256_INITIAL;
    let mut blocks = data.chunks_exact(64);
    for block in &mut blocks {
        compress(&mut state, block.try_into().unwrap());
    }
    let tail = blocks.remainder();
    let mut last = [0u8; 128];
    last[..tail.len()].copy_from_slice(tail);
    last[tail.len()] = 0x80;
    let padded = if tail.len() + 9 <= 64 { 64 } else { 128 };
    let bit_length = (data.len() as u64).wrapping_mul(8);
    last[padded - 8..padded].copy_from_slice(&bit_length.to_be_bytes());
    for block in last[..padded].chunks_exact(64) {
        compress(&mut state, block.try_into().unwrap());
    }
    let mut digest = [0u8; 32];
    for (i, word) in state.iter().enumerate() {
        digest[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// Keccak-256 of `data` through the keccak absorb precompile.
#[cfg(target_os = "none")]
pub fn keccak256(data: &[u8]) -> [u8; 32] {
    keccak256_absorbing(data, keccak_absorb)
}

/// SHA-256 of `data` through the SHA-256 compression precompile.
#[cfg(target_os = "none")]
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha256_with(data, sha256_compress)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_matches_the_c_layout() {
        let d = Descriptor::new(1017, "zkrv.sha256_compress", "^1.0", [7; 32]);
        assert_eq!(core::mem::align_of::<Descriptor>(), 4);
        let bytes: &[u8; 136] = unsafe { &*(&d as *const Descriptor as *const [u8; 136]) };
        assert_eq!(&bytes[0..4], b"ZKPD");
        assert_eq!(&bytes[4..8], &[1, 0, 0xf9, 0x03]);
        assert_eq!(&bytes[8..28], b"zkrv.sha256_compress");
        assert!(bytes[28..72].iter().all(|b| *b == 0));
        assert_eq!(&bytes[72..76], b"^1.0");
        assert!(bytes[76..104].iter().all(|b| *b == 0));
        assert!(bytes[104..136].iter().all(|b| *b == 7));
    }
}
