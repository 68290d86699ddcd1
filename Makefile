# Front door for people and CI. Every target installs what is missing first.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build demo test test-asan check-naming bench fuzz difftest-long prove-random-long prove-examples-long prove-max-long clean

all: build

deps:
	@date -u +'== %T UTC: dependencies'
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	@date -u +'== %T UTC: build (Release)'
	cmake --build $(BUILD) -j $(JOBS)

# Build the hello example guest with the stock compiler, run it on the VM, prove the run and verify
# the proof (the statement: exit 0, the input echoed as the public output).
demo: build
	$(BUILD)/cli/zkrv run $(BUILD)/examples/clang/hello.elf --input-hex 7a6b7276
	$(BUILD)/cli/zkrv prove $(BUILD)/examples/clang/hello.elf --input-hex 7a6b7276 -o $(BUILD)/hello.proof
	$(BUILD)/cli/zkrv verify $(BUILD)/hello.proof --elf $(BUILD)/examples/clang/hello.elf \
	  --expect-input-hex 7a6b7276 --expect-output-hex 7a6b7276

# Unit, end-to-end, differential (qemu-riscv32) and docs tests, the naming check (docs/style.md),
# then every fuzzer for a bounded time.
# Each stage prints when it starts, so a CI log shows where the run's time goes.
test: build
	@date -u +'== %T UTC: ctest (Release)'
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@date -u +'== %T UTC: naming check'
	bash scripts/check-naming.sh $(BUILD) $(JOBS)
	@date -u +'== %T UTC: fuzzers'
	bash tests/fuzz/run.sh build-fuzz $${FUZZ_SECONDS:-20}
	@date -u +'== %T UTC: sanitizer build and tests'
	$(MAKE) test-asan
	@date -u +'== %T UTC: make test done'

# The host-side tests (unit, differential) under AddressSanitizer + UndefinedBehaviorSanitizer.
# Guests are not rebuilt here: they are RISC-V code, and the end-to-end tests run in `make test`.
# -O1, as AddressSanitizer's documentation advises for usable speed: the prover tests run several
# times faster than at -O0, and assertions stay on (no NDEBUG).
# -g1 (line tables and function names: what a sanitizer report prints) instead of -g, no benchmarks,
# and no test whose work is cargo compiling a guest crate (label `cargo`): the sanitizers would watch
# rustc's time, not zkrv's code (docs/testing.md, "Under the sanitizers").
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DZKRV_SANITIZE=ON -DZKRV_BUILD_GUESTS=OFF \
	  -DZKRV_BUILD_BENCH=OFF "-DCMAKE_C_FLAGS_DEBUG=-O1 -g1" "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS) -LE cargo \
	  -E "$$(grep -v -e '^#' -e '^$$' ../tests/asan_skip.txt | paste -sd'|')"

# clang-tidy readability-identifier-naming over every first-party .cc (options in .clang-tidy).
check-naming: $(BUILD)/build.ninja
	bash scripts/check-naming.sh $(BUILD) $(JOBS)

bench: build
	bash bench/run.sh $(BUILD)

# libFuzzer targets (clang); FUZZ_SECONDS bounds each run.
# Long fuzzing: every fuzzer to 10^6 executions (docs/testing.md has the rates: hours in all).
fuzz: deps
	FUZZ_RUNS=$${FUZZ_RUNS:-1000000} bash tests/fuzz/run.sh build-fuzz 0

# Long differential run against qemu-riscv32.
difftest-long: build
	$(BUILD)/tests/difftest/difftest --programs 2000 --length 4000

# Random programs restricted to what riscv_air proves, proven and verified (not part of `make test`).
prove-random-long: build
	$(BUILD)/tests/difftest/prove_random --zkrv $(BUILD)/cli/zkrv --programs 500 --length 400 --seed 1000000

# Every example guest (C, C++, Rust; clang rv32imac, gcc rv32im, Rust riscv32imac and riscv32im) and
# every case of its expected.json proven and verified: `make test` proves a covering subset, this the
# whole matrix (the tests in CTest configuration `long`, docs/testing.md; not part of `make test`).
prove-examples-long: build
	cd $(BUILD) && ctest -C long -L prove-examples --output-on-failure -j $(JOBS)

# The longest run one proof covers: the gcc fibonacci example at n = 380,000 (4,185,208 steps,
# 99.8% of the 2^22 one proof covers) proven under `fast` and verified with its expected output.
# Needs about 9 GiB of memory and 2 minutes on 2 cores (docs/benchmarks.md); not part of `make test`.
# It is the one end-to-end proof under `fast`'s blowup-2 parameter set.
prove-max-long: build
	$(BUILD)/cli/zkrv prove $(BUILD)/examples/gcc/fibonacci.elf --input-hex 60cc0500 -o $(BUILD)/fibonacci-max.proof
	$(BUILD)/cli/zkrv verify $(BUILD)/fibonacci-max.proof --elf $(BUILD)/examples/gcc/fibonacci.elf \
	  --expect-input-hex 60cc0500 --expect-output-hex 850310e261aacc1b

clean:
	rm -rf $(BUILD) build-asan build-fuzz
