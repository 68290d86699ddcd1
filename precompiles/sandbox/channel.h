// Turn-taking on a shared Channel (protocol.h): the side whose turn it is owns the message area;
// it hands the turn over with a release store and a futex wake. The waiting side spins a little
// first (a reply usually comes within microseconds) and then sleeps on the futex in slices, asking
// between slices whether to keep waiting (the peer may have died or overrun its time).
#pragma once

#include <immintrin.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>

#include "precompiles/sandbox/protocol.h"

namespace zkrv::precompiles::sandbox {

inline constexpr int kSpinsBeforeSleeping = 2'000;  // a few µs to tens of µs of pause instructions

inline void give_turn(Channel* channel, Turn to) {
  std::atomic_ref<uint32_t>(channel->turn).store(to, std::memory_order_release);
  // Not FUTEX_PRIVATE: the word lives in memory shared between two processes.
  ::syscall(SYS_futex, &channel->turn, FUTEX_WAKE, 1, nullptr, nullptr, 0);
}

// Waits until it is `mine`; false when keep_waiting() said to stop.
template <typename KeepWaiting>
bool wait_for_turn(Channel* channel, Turn mine, long slice_ns, KeepWaiting keep_waiting) {
  std::atomic_ref<uint32_t> turn(channel->turn);
  for (int i = 0; i < kSpinsBeforeSleeping; ++i) {
    if (turn.load(std::memory_order_acquire) == mine) return true;
    _mm_pause();
  }
  const timespec slice{slice_ns / 1'000'000'000, slice_ns % 1'000'000'000};
  while (true) {
    const uint32_t seen = turn.load(std::memory_order_acquire);
    if (seen == mine) return true;
    if (!keep_waiting()) return false;
    ::syscall(SYS_futex, &channel->turn, FUTEX_WAIT, seen, &slice, nullptr, 0);
  }
}

}  // namespace zkrv::precompiles::sandbox
