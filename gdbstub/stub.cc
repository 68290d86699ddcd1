#include "gdbstub/stub.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>

namespace zkrv::gdbstub {
namespace {

constexpr unsigned kPcRegister = 32;
constexpr unsigned kRegisters = 33;  // x0..x31, pc: the order of target_xml()
// More breakpoints or watchpoints than this is not a debugging session but a flood.
constexpr size_t kMaxPoints = 4096;
// Signal numbers of the protocol (gdb's own numbering, include/gdb/signals.def).
constexpr int kSigInt = 2;
constexpr int kSigIll = 4;
constexpr int kSigTrap = 5;
constexpr int kSigAbrt = 6;
constexpr int kSigSegv = 11;
constexpr int kSigXcpu = 24;

constexpr std::string_view kTargetXml = R"(<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
<architecture>riscv:rv32</architecture>
<feature name="org.gnu.gdb.riscv.cpu">
<reg name="zero" bitsize="32" type="int" regnum="0"/>
<reg name="ra" bitsize="32" type="code_ptr"/>
<reg name="sp" bitsize="32" type="data_ptr"/>
<reg name="gp" bitsize="32" type="data_ptr"/>
<reg name="tp" bitsize="32" type="data_ptr"/>
<reg name="t0" bitsize="32" type="int"/>
<reg name="t1" bitsize="32" type="int"/>
<reg name="t2" bitsize="32" type="int"/>
<reg name="fp" bitsize="32" type="data_ptr"/>
<reg name="s1" bitsize="32" type="int"/>
<reg name="a0" bitsize="32" type="int"/>
<reg name="a1" bitsize="32" type="int"/>
<reg name="a2" bitsize="32" type="int"/>
<reg name="a3" bitsize="32" type="int"/>
<reg name="a4" bitsize="32" type="int"/>
<reg name="a5" bitsize="32" type="int"/>
<reg name="a6" bitsize="32" type="int"/>
<reg name="a7" bitsize="32" type="int"/>
<reg name="s2" bitsize="32" type="int"/>
<reg name="s3" bitsize="32" type="int"/>
<reg name="s4" bitsize="32" type="int"/>
<reg name="s5" bitsize="32" type="int"/>
<reg name="s6" bitsize="32" type="int"/>
<reg name="s7" bitsize="32" type="int"/>
<reg name="s8" bitsize="32" type="int"/>
<reg name="s9" bitsize="32" type="int"/>
<reg name="s10" bitsize="32" type="int"/>
<reg name="s11" bitsize="32" type="int"/>
<reg name="t3" bitsize="32" type="int"/>
<reg name="t4" bitsize="32" type="int"/>
<reg name="t5" bitsize="32" type="int"/>
<reg name="t6" bitsize="32" type="int"/>
<reg name="pc" bitsize="32" type="code_ptr"/>
</feature>
</target>
)";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A whole field of hex digits as a 32-bit number; nullopt if empty, not hex, or too large.
std::optional<uint32_t> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    const int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    value = value * 16 + static_cast<uint64_t>(d);
    if (value > UINT32_MAX) return std::nullopt;
  }
  return static_cast<uint32_t>(value);
}

bool parse_bytes(std::string_view hex, std::vector<uint8_t>* out) {
  if (hex.size() % 2) return false;
  out->clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = hex_digit(hex[i]);
    const int lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return true;
}

// A register as the target byte order (little-endian) in hex.
std::string le_hex(uint32_t value) {
  return fmt::format("{:02x}{:02x}{:02x}{:02x}", value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >> 24);
}

std::optional<uint32_t> parse_le(std::string_view hex) {
  std::vector<uint8_t> bytes;
  if (hex.size() != 8 || !parse_bytes(hex, &bytes)) return std::nullopt;
  return static_cast<uint32_t>(bytes[0] | bytes[1] << 8 | bytes[2] << 16 | uint32_t{bytes[3]} << 24);
}

// Splits "a,b" (or "a,b:rest" with `rest` returned) into two numbers.
bool parse_pair(std::string_view s, uint32_t* a, uint32_t* b, std::string_view* rest = nullptr) {
  const size_t comma = s.find(',');
  if (comma == std::string_view::npos) return false;
  std::string_view second = s.substr(comma + 1);
  if (rest) {
    const size_t colon = second.find(':');
    if (colon == std::string_view::npos) return false;
    *rest = second.substr(colon + 1);
    second = second.substr(0, colon);
  }
  const auto x = parse_number(s.substr(0, comma));
  const auto y = parse_number(second);
  if (!x || !y) return false;
  *a = *x;
  *b = *y;
  return true;
}

int fault_signal(vm::FaultKind kind) {
  switch (kind) {
    case vm::FaultKind::kIllegalInstruction: return kSigIll;
    case vm::FaultKind::kFetchFault:
    case vm::FaultKind::kLoadFault:
    case vm::FaultKind::kStoreFault:
    case vm::FaultKind::kMisalignedAtomic: return kSigSegv;
    case vm::FaultKind::kCycleLimit: return kSigXcpu;
    default: return kSigAbrt;
  }
}

}  // namespace

std::string_view target_xml() { return kTargetXml; }

std::string frame(std::string_view payload) {
  std::string out = "$";
  uint8_t sum = 0;
  for (char c : payload) {
    if (c == '$' || c == '#' || c == '}' || c == '*') {
      out += '}';
      sum = static_cast<uint8_t>(sum + '}');
      c = static_cast<char>(c ^ 0x20);
    }
    out += c;
    sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  }
  return out + fmt::format("#{:02x}", sum);
}

std::string Stub::reply(std::string_view payload) { return frame(payload); }

std::string Stub::receive(std::string_view bytes) {
  std::string out;
  for (const char c : bytes) {
    switch (state_) {
      case Parse::kIdle:
        if (c == '$') {
          state_ = Parse::kPayload;
          packet_.clear();
          sum_ = 0;
          overflow_ = false;
        } else if (c == '\x03') {
          out += interrupt();
        }  // '+', '-' and noise between packets: nothing to do (replies are not resent)
        break;
      case Parse::kPayload:
        if (c == '#') {
          state_ = Parse::kChecksum1;
        } else {
          sum_ = static_cast<uint8_t>(sum_ + static_cast<uint8_t>(c));
          if (packet_.size() < kMaxPacket) {
            packet_ += c;
          } else {
            overflow_ = true;
          }
        }
        break;
      case Parse::kChecksum1:
      case Parse::kChecksum2: {
        const int d = hex_digit(c);
        if (d < 0) {
          state_ = Parse::kIdle;
          if (ack_) out += '-';
          break;
        }
        if (state_ == Parse::kChecksum1) {
          received_sum_ = static_cast<uint8_t>(d << 4);
          state_ = Parse::kChecksum2;
          break;
        }
        state_ = Parse::kIdle;
        received_sum_ = static_cast<uint8_t>(received_sum_ | d);
        if (received_sum_ != sum_ || overflow_) {
          if (ack_) out += '-';
          break;
        }
        if (ack_) out += '+';
        if (done_) break;  // after k, D or the end of the run, nothing more is served
        out += handle(packet_);
        break;
      }
    }
  }
  return out;
}

std::string Stub::interrupt() {
  if (!running_) return "";
  running_ = false;
  last_stop_ = fmt::format("S{:02x}", kSigInt);
  return reply(last_stop_);
}

std::string Stub::stop_reply() {
  if (!session_.halted()) return last_stop_;
  const vm::RunResult& r = session_.result();
  if (r.reason == vm::StopReason::kExit) {
    done_ = true;  // gdb forgets the process once told that it exited
    return fmt::format("W{:02x}", static_cast<uint32_t>(r.exit_code) & 0xff);
  }
  return fmt::format("S{:02x}", fault_signal(r.fault.kind));
}

std::string Stub::step_once(bool* stopped) {
  *stopped = true;
  if (session_.halted()) {
    // Resuming after a fault: the guest cannot go on, so it ends with that signal.
    const vm::RunResult& r = session_.result();
    done_ = true;
    if (r.reason == vm::StopReason::kExit) return fmt::format("W{:02x}", static_cast<uint32_t>(r.exit_code) & 0xff);
    return fmt::format("X{:02x}", fault_signal(r.fault.kind));
  }
  if (!session_.step()) return last_stop_ = stop_reply();
  for (const vm::DebugAccess& a : session_.accesses()) {
    for (const Watch& w : watches_) {
      const bool overlaps = uint64_t{a.addr} < uint64_t{w.addr} + w.size && uint64_t{w.addr} < uint64_t{a.addr} + a.size;
      const bool kind = w.type == '4' ? true : w.type == '2' ? a.write : a.read;
      if (overlaps && kind) {
        const char* name = w.type == '2' ? "watch" : w.type == '3' ? "rwatch" : "awatch";
        return last_stop_ = fmt::format("T{:02x}{}:{:x};", kSigTrap, name, std::max(a.addr, w.addr));
      }
    }
  }
  if (breakpoints_.contains(session_.pc())) return last_stop_ = fmt::format("T{:02x}swbreak:;", kSigTrap);
  *stopped = false;
  return "";
}

std::string Stub::run(uint64_t steps) {
  for (uint64_t i = 0; i < steps && running_; ++i) {
    bool stopped = false;
    std::string stop = step_once(&stopped);
    if (stopped) {
      running_ = false;
      return reply(stop);
    }
  }
  return "";
}

std::string Stub::read_registers() const {
  std::string out;
  for (unsigned i = 0; i < 32; ++i) out += le_hex(session_.reg(i));
  return out + le_hex(session_.pc());
}

std::string Stub::handle(std::string_view p) {
  const std::string_view error = "E01";
  if (p.empty()) return reply("");
  const char command = p[0];
  const std::string_view args = p.substr(1);
  switch (command) {
    case '?':
      return reply(stop_reply());
    case 'g':
      return reply(read_registers());
    case 'G': {
      if (args.size() != kRegisters * 8) return reply(error);
      std::array<uint32_t, kRegisters> values{};
      for (unsigned i = 0; i < kRegisters; ++i) {
        const auto v = parse_le(args.substr(i * 8, 8));
        if (!v) return reply(error);
        values[i] = *v;
      }
      if (!session_.set_pc(values[kPcRegister])) return reply(error);
      for (unsigned i = 0; i < 32; ++i) session_.set_reg(i, values[i]);
      return reply("OK");
    }
    case 'p': {
      const auto n = parse_number(args);
      if (!n || *n >= kRegisters) return reply(error);
      return reply(le_hex(*n == kPcRegister ? session_.pc() : session_.reg(*n)));
    }
    case 'P': {
      const size_t eq = args.find('=');
      if (eq == std::string_view::npos) return reply(error);
      const auto n = parse_number(args.substr(0, eq));
      const auto v = parse_le(args.substr(eq + 1));
      if (!n || !v || *n >= kRegisters) return reply(error);
      if (*n == kPcRegister) {
        if (!session_.set_pc(*v)) return reply(error);
      } else {
        session_.set_reg(*n, *v);
      }
      return reply("OK");
    }
    case 'm': {
      uint32_t addr = 0;
      uint32_t length = 0;
      if (!parse_pair(args, &addr, &length)) return reply(error);
      length = std::min<uint32_t>(length, (kMaxPacket - 8) / 2);  // gdb takes a short read
      std::vector<uint8_t> bytes(length);
      if (!session_.read_memory(addr, bytes)) return reply(error);
      std::string hex;
      for (uint8_t b : bytes) hex += fmt::format("{:02x}", b);
      return reply(hex);
    }
    case 'M': {
      uint32_t addr = 0;
      uint32_t length = 0;
      std::string_view data;
      std::vector<uint8_t> bytes;
      if (!parse_pair(args, &addr, &length, &data) || !parse_bytes(data, &bytes) || bytes.size() != length) {
        return reply(error);
      }
      return reply(session_.write_memory(addr, bytes) ? "OK" : error);
    }
    case 'c':
    case 's':
    case 'C':
    case 'S': {
      // C and S carry a signal to deliver ("sig[;addr]"): a guest has no signal handlers, so it
      // is dropped and they resume like c and s (gdb sends them to go on after a fault).
      std::string_view address = args;
      if (command == 'C' || command == 'S') {
        const size_t semicolon = args.find(';');
        const std::string_view signal = args.substr(0, semicolon);
        if (signal.size() != 2 || !parse_number(signal)) return reply(error);
        address = semicolon == std::string_view::npos ? std::string_view() : args.substr(semicolon + 1);
        if (semicolon != std::string_view::npos && address.empty()) return reply(error);
      }
      if (!address.empty()) {
        const auto addr = parse_number(address);
        if (!addr || !session_.set_pc(*addr)) return reply(error);
      }
      if (command == 's' || command == 'S') {
        bool stopped = false;
        std::string stop = step_once(&stopped);
        if (!stopped) stop = last_stop_ = fmt::format("T{:02x}", kSigTrap);
        return reply(stop);
      }
      running_ = true;  // run() executes it; the stop reply comes from there
      return "";
    }
    case 'Z':
    case 'z': {
      if (args.empty() || args[0] < '0' || args[0] > '4') return reply("");  // not a type we have
      if (args.size() < 2 || args[1] != ',') return reply(error);
      uint32_t addr = 0;
      uint32_t kind = 0;
      if (!parse_pair(args.substr(2), &addr, &kind)) return reply(error);
      const bool insert = command == 'Z';
      if (args[0] == '0' || args[0] == '1') {
        if (!insert) {
          breakpoints_.erase(addr);
        } else if (breakpoints_.size() < kMaxPoints) {
          breakpoints_.insert(addr);
        } else {
          return reply(error);
        }
        return reply("OK");
      }
      if (kind == 0) return reply(error);
      const Watch w{addr, kind, args[0]};
      if (!insert) {
        watches_.erase(w);
      } else if (watches_.size() < kMaxPoints) {
        watches_.insert(w);
      } else {
        return reply(error);
      }
      return reply("OK");
    }
    case 'k':
      killed_ = true;
      done_ = true;
      return "";
    case 'D':
      done_ = true;
      return reply("OK");
    case 'H':
      return reply("OK");  // one thread
    case 'q':
    case 'Q':
      break;
    default:
      return reply("");
  }
  if (p.starts_with("qSupported")) {
    return reply(fmt::format("PacketSize={:x};qXfer:features:read+;QStartNoAckMode+;swbreak+", kMaxPacket));
  }
  if (p == "QStartNoAckMode") {
    std::string out = reply("OK");
    ack_ = false;  // the OK above is still acknowledged by gdb, and nothing after it
    return out;
  }
  if (p == "qAttached") return reply("1");
  constexpr std::string_view kXfer = "qXfer:features:read:target.xml:";
  if (p.starts_with(kXfer)) {
    uint32_t offset = 0;
    uint32_t length = 0;
    if (!parse_pair(p.substr(kXfer.size()), &offset, &length)) return reply(error);
    const std::string_view xml = target_xml();
    if (offset >= xml.size()) return reply("l");
    length = std::min<uint32_t>(length, (kMaxPacket - 8) / 2);  // escaping at most doubles it
    const std::string_view part = xml.substr(offset, length);
    return reply(std::string(offset + part.size() >= xml.size() ? "l" : "m") + std::string(part));
  }
  return reply("");
}

}  // namespace zkrv::gdbstub
