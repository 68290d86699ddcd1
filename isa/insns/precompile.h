// precompile: custom-0: dynamic precompile number IMM (fn7 << 3 | fn3), operands rs1/rs2, result in rd
WRITE_RD(PRECOMPILE(IMM_U, RS1, RS2));
