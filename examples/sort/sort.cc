// C++ guest: std::vector, std::sort, templates, classes, new/delete and a static constructor.
// Public input: count (u32 LE) and seed (u32 LE). It generates count pseudo-random records, sorts
// them two ways and outputs two u64 LE checksums of the sorted orders.
#include <stdio.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "zkrv/zkrv.h"

namespace {

// Set by a static constructor; main checks that constructors ran before it.
struct StartupCheck {
  StartupCheck() : ready(true) {}
  bool ready;
};
StartupCheck startup_check;

template <typename State, State kMultiplier, State kIncrement>
class LinearCongruential {
 public:
  explicit LinearCongruential(State seed) : state_(seed) {}
  std::uint32_t next() {
    state_ = state_ * kMultiplier + kIncrement;
    return static_cast<std::uint32_t>(state_ >> 33);
  }

 private:
  State state_;
};
using Generator = LinearCongruential<std::uint64_t, 6364136223846793005ull, 1442695040888963407ull>;

struct Record {
  std::uint32_t key;
  std::uint32_t id;
};

class ByKeyThenId {
 public:
  bool operator()(const Record& a, const Record& b) const {
    return a.key != b.key ? a.key < b.key : a.id < b.id;
  }
};

class Checksum {
 public:
  virtual ~Checksum() = default;
  virtual void add(std::uint64_t value) = 0;
  virtual std::uint64_t value() const = 0;
};

// FNV-1a over 64-bit items.
class FoldChecksum : public Checksum {
 public:
  void add(std::uint64_t item) override { hash_ = (hash_ ^ item) * 1099511628211ull; }
  std::uint64_t value() const override { return hash_; }

 private:
  std::uint64_t hash_ = 14695981039346656037ull;
};

// Sum of (position + 1) * item.
class WeightedSum : public Checksum {
 public:
  void add(std::uint64_t item) override { sum_ += ++position_ * item; }
  std::uint64_t value() const override { return sum_; }

 private:
  std::uint64_t position_ = 0;
  std::uint64_t sum_ = 0;
};

template <typename Container, typename Project>
std::uint64_t checksum_of(const Container& items, Checksum* checksum, Project project) {
  for (const auto& item : items) checksum->add(project(item));
  return checksum->value();
}

}  // namespace

int main() {
  if (!startup_check.ready) {
    fprintf(stderr, "sort: static constructors did not run\n");
    return 3;
  }
  if (zkrv_public_input_size() != 8) {
    fprintf(stderr, "sort: expected 8 bytes of public input (count, seed), got %zu\n",
            zkrv_public_input_size());
    return 1;
  }
  std::uint32_t count = zkrv_public_input_word(0);
  std::uint32_t seed = zkrv_public_input_word(1);

  Generator generator(seed);
  std::vector<Record> records;
  std::vector<std::uint32_t> values;
  records.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t value = generator.next();
    values.push_back(value);
    records.push_back(Record{value % 1000, i});
  }

  zkrv_region_begin("sort");
  std::sort(records.begin(), records.end(), ByKeyThenId());
  std::sort(values.begin(), values.end());
  zkrv_region_end("sort");
  if (!std::is_sorted(records.begin(), records.end(), ByKeyThenId()) ||
      !std::is_sorted(values.begin(), values.end())) {
    fprintf(stderr, "sort: result is not sorted\n");
    return 1;
  }

  Checksum* fold = new FoldChecksum();
  std::unique_ptr<Checksum> weighted(new WeightedSum());
  std::uint64_t sums[2] = {
      checksum_of(records, fold,
                   [](const Record& r) { return std::uint64_t{r.key} << 32 | r.id; }),
      checksum_of(values, weighted.get(), [](std::uint32_t v) { return std::uint64_t{v}; }),
  };
  delete fold;

  printf("sort: %u records, checksums %016llx %016llx\n", static_cast<unsigned>(count),
         static_cast<unsigned long long>(sums[0]), static_cast<unsigned long long>(sums[1]));
  std::uint8_t output[16];
  std::memcpy(output, sums, sizeof(output));
  zkrv_output_write(output, sizeof(output));
  return 0;
}
