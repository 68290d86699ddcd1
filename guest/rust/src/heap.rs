//! The global allocator: a first-fit free list over the SDK heap (`_heap_start`.._heap_end`),
//! sorted by address so that freed neighbours merge again. Freed memory is reused.
//!
//! Every allocation is preceded by an 8-byte header holding the start and size of the block it
//! was carved from, so that alignment padding is given back on free. Blocks are multiples of 8
//! bytes and start 8-aligned; a free block keeps its size and the next free block in its first 8
//! bytes. A failed allocation returns null, and Rust's alloc error handler then panics with the
//! size (exit code [`crate::EXIT_PANIC`]).
use core::ptr;

const GRAIN: usize = 8;
const HEADER: usize = 8;

#[repr(C)]
struct FreeBlock {
    size: usize,
    next: *mut FreeBlock,
}

/// A free list over one region of memory. Not thread-safe: zkrv has one hart.
pub struct FreeList {
    head: *mut FreeBlock,
}

fn align_up(value: usize, align: usize) -> usize {
    (value + align - 1) & !(align - 1)
}

impl FreeList {
    pub const fn empty() -> Self {
        FreeList { head: ptr::null_mut() }
    }

    /// Gives the list the memory `[start, end)`.
    ///
    /// # Safety
    /// The region must be writable, unused by anything else, and outlive the list.
    pub unsafe fn add_region(&mut self, start: usize, end: usize) {
        let start = align_up(start, GRAIN);
        let end = end & !(GRAIN - 1);
        if end > start && end - start >= 2 * GRAIN {
            self.release(start, end - start);
        }
    }

    /// A block of `size` bytes aligned to `align` (a power of two), or null.
    ///
    /// # Safety
    /// The list must only hold regions given by `add_region`.
    pub unsafe fn allocate(&mut self, size: usize, align: usize) -> *mut u8 {
        let align = align.max(GRAIN);
        let Some(size) = size.checked_add(GRAIN - 1).map(|s| s & !(GRAIN - 1)) else {
            return ptr::null_mut();
        };
        let mut previous: *mut FreeBlock = ptr::null_mut();
        let mut block = self.head;
        while !block.is_null() {
            let start = block as usize;
            let block_end = start + (*block).size;
            let next = (*block).next;
            let user = match (start + HEADER).checked_add(align - 1) {
                Some(v) => v & !(align - 1),
                None => return ptr::null_mut(),
            };
            if let Some(end) = user.checked_add(size.max(GRAIN)) {
                if end <= block_end {
                    // Split off the tail if it can hold a free block; else hand out all of it.
                    let end = if block_end - end >= 2 * GRAIN { end } else { block_end };
                    let replacement = if end < block_end {
                        let tail = end as *mut FreeBlock;
                        tail.write(FreeBlock { size: block_end - end, next });
                        tail
                    } else {
                        next
                    };
                    if previous.is_null() {
                        self.head = replacement;
                    } else {
                        (*previous).next = replacement;
                    }
                    let header = (user - HEADER) as *mut usize;
                    header.write(start);
                    header.add(1).write(end - start);
                    return user as *mut u8;
                }
            }
            previous = block;
            block = next;
        }
        ptr::null_mut()
    }

    /// Returns a block from `allocate`.
    ///
    /// # Safety
    /// `user` must come from `allocate` on this list and not have been freed.
    pub unsafe fn free(&mut self, user: *mut u8) {
        let header = (user as usize - HEADER) as *const usize;
        self.release(header.read(), header.add(1).read());
    }

    /// Inserts `[start, start + size)` in address order and merges it with touching neighbours.
    unsafe fn release(&mut self, start: usize, size: usize) {
        let mut previous: *mut FreeBlock = ptr::null_mut();
        let mut next = self.head;
        while !next.is_null() && (next as usize) < start {
            previous = next;
            next = (*next).next;
        }
        let block = start as *mut FreeBlock;
        block.write(FreeBlock { size, next });
        if !next.is_null() && start + size == next as usize {
            (*block).size += (*next).size;
            (*block).next = (*next).next;
        }
        if previous.is_null() {
            self.head = block;
        } else if previous as usize + (*previous).size == start {
            (*previous).size += (*block).size;
            (*previous).next = (*block).next;
        } else {
            (*previous).next = block;
        }
    }

    /// Bytes currently free (walks the list; for tests and diagnostics).
    pub fn free_bytes(&self) -> usize {
        let mut total = 0;
        let mut block = self.head;
        while !block.is_null() {
            // SAFETY: the list only links blocks inside regions given to it.
            unsafe {
                total += (*block).size;
                block = (*block).next;
            }
        }
        total
    }
}

#[cfg(target_os = "none")]
mod global {
    use super::FreeList;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    extern "C" {
        static _heap_start: u8;
        static _heap_end: u8;
    }

    struct Heap {
        list: UnsafeCell<FreeList>,
        ready: UnsafeCell<bool>,
    }

    // SAFETY: zkrv runs one hart and no interrupts, so the heap is never entered twice at once.
    unsafe impl Sync for Heap {}

    unsafe impl GlobalAlloc for Heap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let list = &mut *self.list.get();
            if !*self.ready.get() {
                *self.ready.get() = true;
                list.add_region(
                    core::ptr::addr_of!(_heap_start) as usize,
                    core::ptr::addr_of!(_heap_end) as usize,
                );
            }
            list.allocate(layout.size(), layout.align())
        }

        unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
            (*self.list.get()).free(ptr);
        }
    }

    #[global_allocator]
    static HEAP: Heap = Heap { list: UnsafeCell::new(FreeList::empty()), ready: UnsafeCell::new(false) };
}

#[cfg(test)]
mod tests {
    use super::FreeList;

    fn region(words: usize) -> (Vec<u64>, FreeList) {
        let mut memory = vec![0u64; words];
        let mut list = FreeList::empty();
        let start = memory.as_mut_ptr() as usize;
        unsafe { list.add_region(start, start + words * 8) };
        (memory, list)
    }

    #[test]
    fn freed_memory_is_reused_and_merged() {
        let (_memory, mut list) = region(128);
        let total = list.free_bytes();
        unsafe {
            let a = list.allocate(100, 4);
            let b = list.allocate(200, 8);
            let c = list.allocate(50, 64);
            assert!(!a.is_null() && !b.is_null() && !c.is_null());
            assert_eq!(c as usize % 64, 0);
            list.free(b);
            let b_again = list.allocate(200, 8);
            assert_eq!(b_again, b, "first fit must reuse the freed block");
            list.free(a);
            list.free(c);
            list.free(b_again);
        }
        assert_eq!(list.free_bytes(), total, "all blocks must merge back");
    }

    #[test]
    fn exhaustion_returns_null() {
        let (_memory, mut list) = region(16);
        unsafe {
            assert!(list.allocate(1024, 8).is_null());
            assert!(list.allocate(usize::MAX - 3, 8).is_null());
            let p = list.allocate(64, 8);
            assert!(!p.is_null());
        }
    }
}
