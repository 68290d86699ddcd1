// host_example GUEST.elf INPUT: loads a guest, runs it on INPUT (its public input), proves the run,
// verifies the proof against the program's id and prints the statement.
#include <cstdio>
#include <exception>
#include <string>

#include <zkrv/host.h>
#include <zkrv/verifier.h>
#include <zkrv/verify.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s GUEST.elf INPUT\n", argv[0]);
    return 2;
  }
  const std::string input = argv[2];
  try {
    const zkrv::host::Program program = zkrv::host::Program::load(argv[1]);
    const zkrv::host::Inputs inputs{{input.begin(), input.end()}, {}};

    // Execute: no proof, just the run's outcome.
    const zkrv::host::ExecuteReport run = zkrv::host::execute(program, inputs);
    std::printf("executed: exit code %d, %zu bytes of public output, %llu cycles\n", run.exit_code,
                run.public_output.size(), static_cast<unsigned long long>(run.cycles));

    // Prove with the fast profile (conjectured security); "secure" for proven bits.
    zkrv::host::ProveOptions options;
    options.profile = "fast";
    const zkrv::host::ProveResult proved = zkrv::host::prove(program, inputs, options);
    std::printf("proved: %zu bytes, %.1f bits conjectured\n", proved.proof.size(), proved.security.conjectured_bits);

    // Verify: the verifier needs only the proof, the program id and what it expects the proof to state.
    const zkrv::host::ProgramId id = program.id("fast");
    zkrv::host::Expected expected;
    expected.exit_code = 0;
    expected.public_output = std::vector<uint8_t>(input.begin(), input.end());
    const zkrv::host::Verified verified = zkrv::host::verify(proved.proof, id, expected);
    const std::string output(verified.statement.public_output.begin(), verified.statement.public_output.end());
    std::printf("verified: program %s (profile %s), exit code %d, public output \"%s\"\n",
                zkrv::host::to_hex(verified.statement.program_id).c_str(), verified.profile.c_str(),
                verified.statement.exit_code, output.c_str());

    // The same check through the C API (zkrv/verify.h), as another language would call it.
    char message[256];
    const zkrv_verify_status status =
        zkrv_verify_proof(proved.proof.data(), proved.proof.size(), zkrv::host::to_hex(id).c_str(), 0,
                          reinterpret_cast<const uint8_t*>(input.data()), input.size(), message, sizeof message);
    std::printf("C API: %s\n", message);
    return status == ZKRV_VERIFY_OK ? 0 : 1;
  } catch (const std::exception& e) {  // zkrv::host::Error, zkrv::host::VerifyError
    std::fprintf(stderr, "host_example: %s\n", e.what());
    return 1;
  }
}
