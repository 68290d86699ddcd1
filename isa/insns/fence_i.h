// fence.i: code is never writable (docs/abi.md), so no cached decoding can go stale
(void)0;
