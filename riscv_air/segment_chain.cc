#include "riscv_air/segment_chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "stark/field/canonical.h"
#include "stark/proof/byte_io.h"

namespace zkrv::riscv_air {
namespace {

using stark::proof::ByteReader;
using stark::proof::ByteWriter;
using stark::proof::ProofDecodeError;

void write_root(ByteWriter& out, const stark::poseidon2::Digest& root) {
  std::array<uint32_t, stark::poseidon2::kDigestWidth> words{};
  stark::to_canonical_words(root, words);
  out.words(words);
}

stark::poseidon2::Digest read_root(ByteReader& in, std::string_view field) {
  const std::vector<uint32_t> words = in.canonical_words(field, stark::poseidon2::kDigestWidth);
  stark::poseidon2::Digest root{};
  for (size_t i = 0; i < root.size(); ++i) root[i] = stark::KoalaBear::from_u32(words[i]);
  return root;
}

std::string hex(const stark::poseidon2::Digest& root) {
  std::string out;
  for (const stark::KoalaBear& element : root) out += fmt::format("{:08x}", element.to_u32());
  return out;
}

}  // namespace

std::array<uint8_t, kSegmentStatementBytes> encode_segment_statement(const SegmentStatement& statement) {
  ByteWriter out;
  out.bytes(statement.program_id);
  out.u32(statement.pc_in);
  out.u32(statement.pc_out);
  out.u32(statement.steps);
  write_root(out, statement.root_in);
  write_root(out, statement.root_out);
  out.u8(statement.halted ? 1 : 0);
  out.u32(static_cast<uint32_t>(statement.exit_code));
  std::array<uint8_t, kSegmentStatementBytes> bytes{};
  std::copy(out.bytes().begin(), out.bytes().end(), bytes.begin());
  return bytes;
}

SegmentStatement read_segment_statement(ByteReader& in) {
  SegmentStatement statement;
  in.bytes("segment program id", statement.program_id);
  const size_t pc_in_at = in.offset();
  statement.pc_in = in.u32("segment pc_in");
  if (statement.pc_in % 2 != 0) throw ProofDecodeError("segment pc_in", pc_in_at, "not 2-byte aligned");
  const size_t pc_out_at = in.offset();
  statement.pc_out = in.u32("segment pc_out");
  if (statement.pc_out % 2 != 0) throw ProofDecodeError("segment pc_out", pc_out_at, "not 2-byte aligned");
  statement.steps = in.u32_in_range("segment steps", 1, UINT32_MAX);
  statement.root_in = read_root(in, "segment root_in");
  statement.root_out = read_root(in, "segment root_out");
  statement.halted = in.u8_in_range("segment halted", 0, 1) == 1;
  const size_t exit_at = in.offset();
  statement.exit_code = static_cast<int32_t>(in.u32("segment exit code"));
  if (!statement.halted && statement.exit_code != 0) {
    throw ProofDecodeError("segment exit code", exit_at, "non-zero in a segment that does not halt");
  }
  return statement;
}

SegmentStatement decode_segment_statement(std::span<const uint8_t> bytes) {
  ByteReader in(bytes);
  SegmentStatement statement = read_segment_statement(in);
  in.expect_end("segment statement");
  return statement;
}

ChainedRun check_segment_chain(std::span<const SegmentStatement> segments, const RunStart& start) {
  if (segments.empty()) throw SegmentChainError("the run's proof holds no segment");
  if (segments.size() > kMaxSegments) {
    throw SegmentChainError(fmt::format("the run's proof holds {} segments, more than {}", segments.size(), kMaxSegments));
  }
  ChainedRun run;
  for (size_t k = 0; k < segments.size(); ++k) {
    const SegmentStatement& segment = segments[k];
    if (segment.program_id != start.program_id) {
      throw SegmentChainError(fmt::format("segment {}: proves program {}, not the run's {}", k,
                                          stark::to_hex(segment.program_id), stark::to_hex(start.program_id)));
    }
    if (k == 0) {
      if (segment.pc_in != start.entry_pc) {
        throw SegmentChainError(fmt::format("segment 0: starts at pc {:#x}, not the program's entry {:#x}", segment.pc_in,
                                            start.entry_pc));
      }
      if (segment.root_in != start.initial_root) {
        throw SegmentChainError(fmt::format("segment 0: starts from root {}, not the program's initial state {}",
                                            hex(segment.root_in), hex(start.initial_root)));
      }
    } else {
      const SegmentStatement& previous = segments[k - 1];
      if (segment.pc_in != previous.pc_out) {
        throw SegmentChainError(fmt::format("segment {}: starts at pc {:#x}, not where segment {} ended ({:#x})", k,
                                            segment.pc_in, k - 1, previous.pc_out));
      }
      if (segment.root_in != previous.root_out) {
        throw SegmentChainError(fmt::format("segment {}: starts from root {}, not segment {}'s final root {}", k,
                                            hex(segment.root_in), k - 1, hex(previous.root_out)));
      }
    }
    const bool last = k + 1 == segments.size();
    if (segment.halted && !last) {
      throw SegmentChainError(fmt::format("segment {}: halts, but {} more segment(s) follow it", k, segments.size() - 1 - k));
    }
    if (!segment.halted && last) {
      throw SegmentChainError(fmt::format("segment {}: the last segment does not halt", k));
    }
    if (!segment.halted && segment.exit_code != 0) {
      throw SegmentChainError(fmt::format("segment {}: an exit code ({}) without halting", k, segment.exit_code));
    }
    if (segment.steps == 0) throw SegmentChainError(fmt::format("segment {}: proves no step", k));
    run.steps += segment.steps;
  }
  run.exit_code = segments.back().exit_code;
  return run;
}

}  // namespace zkrv::riscv_air
