// The protocol engine against a small program: framing, acks, the commands gdb uses, and malformed
// packets (every one gets an error reply or a NAK and leaves the session usable).
#include "gdbstub/stub.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "isa/encode.h"
#include "vm/testing/program.h"

namespace zkrv::gdbstub {
namespace {

using isa::Op;
using vm::testing::TestProgram;
namespace enc = isa::encode;

// x6 = 0; x6 += 1 three times, storing it to kData each time; exit(x6).
TestProgram counting_program() {
  TestProgram p;
  p.li(5, TestProgram::kData);
  p.li(8, 3);
  const uint32_t loop = p.pc();
  p.emit(enc::op_imm(Op::ADDI, 6, 6, 1));
  p.emit(enc::store(Op::SW, 6, 5, 0));
  p.emit(enc::op_imm(Op::ADDI, 8, 8, -1));
  p.emit(enc::branch(Op::BNE, 8, 0, static_cast<int32_t>(loop - p.pc())));
  p.exit_with(6);
  return p;
}

constexpr uint32_t kLoop = TestProgram::kCode + 16;  // after two li (two instructions each)

struct Fixture : ::testing::Test {
  Fixture()
      : program(counting_program()), image(program.image()), vm(image, config()), session(vm.debug({})), stub(*session) {}
  static vm::VmConfig config() {
    vm::VmConfig c;
    c.log_sink = [](int, std::span<const uint8_t>) {};
    return c;
  }
  // Sends one packet and returns the reply's payload, checking the ack and the reply's framing.
  std::string ask(const std::string& payload) {
    std::string out = stub.receive(frame(payload));
    while (stub.running()) out += stub.run(1000);
    EXPECT_TRUE(out.starts_with("+")) << out;
    out.erase(0, 1);
    if (out.empty()) return "<none>";
    EXPECT_EQ(out[0], '$') << out;
    const size_t hash = out.rfind('#');
    EXPECT_EQ(hash, out.size() - 3) << out;
    EXPECT_EQ(frame(out.substr(1, hash - 1)), out) << "checksum";
    return out.substr(1, hash - 1);
  }
  TestProgram program;  // the image's segments point into it
  elf::ElfImage image;
  vm::Vm vm;
  std::unique_ptr<vm::DebugSession> session;
  Stub stub;
};

using StubTest = Fixture;

TEST(Frame, ChecksumAndEscapes) {
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame(""), "$#00");
  EXPECT_EQ(frame("a#b"), "$a}\x03" "b#43");  // '#' ^ 0x20; the sum is over the escaped bytes
  EXPECT_EQ(frame("}").substr(0, 3), "$}]");
}

TEST_F(StubTest, Handshake) {
  const std::string supported = ask("qSupported:multiprocess+;swbreak+");
  EXPECT_NE(supported.find("qXfer:features:read+"), std::string::npos);
  EXPECT_NE(supported.find("PacketSize="), std::string::npos);
  EXPECT_EQ(ask("?"), "S05");
  std::string xml;
  for (;;) {
    const std::string part = ask("qXfer:features:read:target.xml:" + fmt::format("{:x}", xml.size()) + ",40");
    ASSERT_FALSE(part.empty());
    xml += part.substr(1);
    if (part[0] == 'l') break;
    ASSERT_EQ(part[0], 'm');
  }
  EXPECT_EQ(xml, target_xml());
  EXPECT_EQ(ask("vCont?"), "");
  EXPECT_EQ(ask("vMustReplyEmpty"), "");
  EXPECT_EQ(ask("Hg0"), "OK");
}

TEST_F(StubTest, NoAckMode) {
  EXPECT_EQ(ask("QStartNoAckMode"), "OK");
  EXPECT_EQ(stub.receive(frame("?")), frame("S05"));
  EXPECT_EQ(stub.receive("$?#00"), "") << "a bad checksum is dropped silently without acks";
}

TEST_F(StubTest, RegistersAndMemory) {
  const std::string regs = ask("g");
  ASSERT_EQ(regs.size(), 33u * 8);
  EXPECT_EQ(regs.substr(32 * 8), "00000100");  // pc 0x10000, little-endian
  EXPECT_EQ(ask("p20"), "00000100");
  EXPECT_EQ(ask("P6=2a000000"), "OK");
  EXPECT_EQ(session->reg(6), 42u);
  EXPECT_EQ(ask("p6"), "2a000000");
  EXPECT_EQ(ask("G" + regs), "OK");
  EXPECT_EQ(session->reg(6), 0u);
  EXPECT_EQ(ask("M200000,4:01020304"), "OK");
  EXPECT_EQ(ask("m200000,4"), "01020304");
  EXPECT_EQ(ask("m40,4"), "E01") << "unmapped";
  EXPECT_EQ(ask("m10000,0"), "");
}

TEST_F(StubTest, MalformedPackets) {
  for (const std::string bad : {"p", "p21", "pzz", "p100000000", "P6", "P6=1", "P6=zz000000", "P20=01000100",
                                "G00", "m", "m200000", "m,4", "m200000,", "mx,4", "M200000,4:0102",
                                "M200000,2:zzzz", "M200000,4", "Z0", "Z0,", "Z0,10000", "Z2,200000,0",
                                "cxyz", "c10001", "sfffffffff", "C", "C5", "Cxx", "C05;", "C05;10001", "S123", "qXfer:features:read:target.xml:0"}) {
    EXPECT_EQ(ask(bad).substr(0, 1), "E") << bad;
  }
  EXPECT_EQ(ask("Z9,0,0"), "") << "unsupported point type";
  EXPECT_EQ(ask("!"), "") << "unknown packet";
  EXPECT_EQ(stub.receive("$g#00"), "-") << "bad checksum";
  EXPECT_EQ(stub.receive("$g#zz"), "-") << "checksum not hex";
  EXPECT_EQ(stub.receive(std::string(Stub::kMaxPacket + 10, 'x').insert(0, "$") + "#00"), "-") << "too long";
  EXPECT_EQ(stub.receive("+-garbage\x03"), "") << "noise between packets";
  EXPECT_EQ(session->pc(), TestProgram::kCode) << "nothing ran";
  EXPECT_EQ(ask("?"), "S05");
}

TEST_F(StubTest, BreakpointsStepAndExit) {
  EXPECT_EQ(ask("Z0,10010,4"), "OK");
  EXPECT_EQ(ask("c"), "T05swbreak:;");
  EXPECT_EQ(session->pc(), kLoop);
  EXPECT_EQ(ask("c"), "T05swbreak:;") << "the next iteration";
  EXPECT_EQ(session->reg(6), 1u);
  EXPECT_EQ(ask("s"), "T05");
  EXPECT_EQ(session->pc(), kLoop + 4);
  EXPECT_EQ(ask("z0,10010,4"), "OK");
  EXPECT_EQ(ask("c"), "W03");
  EXPECT_TRUE(stub.done());
}

TEST_F(StubTest, Watchpoints) {
  EXPECT_EQ(ask("Z2,200000,4"), "OK");
  EXPECT_EQ(ask("c"), "T05watch:200000;");
  EXPECT_EQ(session->pc(), kLoop + 8) << "stopped after the store";
  EXPECT_EQ(ask("m200000,4"), "01000000");
  EXPECT_EQ(ask("z2,200000,4"), "OK");
  EXPECT_EQ(ask("Z3,200002,1"), "OK") << "a read watchpoint: the stores do not trigger it";
  EXPECT_EQ(ask("c"), "W03");
}

TEST_F(StubTest, FaultThenEnd) {
  EXPECT_EQ(ask("P20=00000001"), "OK");  // the pc to 0x01000000: no code there
  EXPECT_EQ(ask("c"), "S0b");
  EXPECT_FALSE(stub.done());
  EXPECT_EQ(ask("?"), "S0b");
  EXPECT_EQ(ask("C0b"), "X0b") << "gdb resumes with the signal; the guest cannot go on";
  EXPECT_TRUE(stub.done());
}

TEST_F(StubTest, ResumeWithSignal) {
  EXPECT_EQ(ask("S05"), "T05");
  EXPECT_EQ(session->pc(), TestProgram::kCode + 4);
  EXPECT_EQ(ask("S00;10000"), "T05") << "from the address given";
  EXPECT_EQ(session->pc(), TestProgram::kCode + 4);
  EXPECT_EQ(ask("C05"), "W03");
}

TEST_F(StubTest, InterruptWhileRunning) {
  EXPECT_EQ(stub.receive(frame("c")), "+");
  EXPECT_TRUE(stub.running());
  EXPECT_EQ(stub.receive("\x03"), frame("S02"));
  EXPECT_FALSE(stub.running());
  EXPECT_EQ(ask("?"), "S02");
}

TEST_F(StubTest, KillAndDetach) {
  EXPECT_EQ(ask("D"), "OK");
  EXPECT_TRUE(stub.done());
  EXPECT_FALSE(stub.killed());
  EXPECT_EQ(stub.receive(frame("g")), "+") << "nothing is served after the session ends";
}

TEST_F(StubTest, Kill) {
  EXPECT_EQ(ask("k"), "<none>");
  EXPECT_TRUE(stub.killed());
}

}  // namespace
}  // namespace zkrv::gdbstub
