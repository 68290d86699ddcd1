#include "stark/security/security.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace zkrv::stark {
namespace {

constexpr double kKoalaBearBits = 30.988684;  // log2(2^31 - 2^24 + 1)

const RoundSecurity& round(const RegimeSecurity& regime, const std::string& name) {
  for (const RoundSecurity& r : regime.rounds) {
    if (r.round == name) return r;
  }
  throw std::runtime_error("no round " + name);
}

TEST(Security, KoalaBearFieldBitsConstant) {
  EXPECT_NEAR(std::log2(2130706433.0), kKoalaBearBits, 1e-6);
  EXPECT_EQ(SecurityParams().base_field_bits, kKoalaBearBits);
}

// SP1: rate 1/4, 124 queries, 16 PoW bits -> about 100 bits provable in the unique-decoding
// regime: 124 * log2(8/5) + 16 = 100.08.
TEST(Security, Sp1ReferencePointUniqueDecoding) {
  SecurityParams p;
  p.log_blowup = 2;
  p.num_queries = 124;
  p.query_pow_bits = 16;
  p.log_trace_length = 20;
  SecurityReport r = analyze_security(p);
  EXPECT_NEAR(round(r.unique_decoding, "FRI query phase").bits, 100.08, 0.01);
  EXPECT_NEAR(r.unique_decoding.bits, 100.08, 0.01);  // the query phase is the weakest round
  EXPECT_GT(r.johnson.bits, 0);
}

// Zero knowledge doubles the committed degree: every DEEP and FRI term is that of a trace twice
// as long, while the query phase and ALI do not move.
TEST(Security, ZeroKnowledgeCountsTheCommittedDegree) {
  SecurityParams plain;
  plain.log_trace_length = 20;
  SecurityParams zk = plain;
  zk.zk_log_degree_extension = 1;
  SecurityParams doubled = plain;
  doubled.log_trace_length = 21;
  const SecurityReport a = analyze_security(plain), b = analyze_security(zk), c = analyze_security(doubled);
  EXPECT_LT(b.conjectured_bits, a.conjectured_bits);
  EXPECT_DOUBLE_EQ(b.conjectured_bits, c.conjectured_bits);
  EXPECT_DOUBLE_EQ(round(b.unique_decoding, "DEEP out-of-domain sample").bits,
                   round(c.unique_decoding, "DEEP out-of-domain sample").bits);
  EXPECT_DOUBLE_EQ(round(b.unique_decoding, "FRI query phase").bits, round(a.unique_decoding, "FRI query phase").bits);
  zk.zk_log_degree_extension = -1;
  EXPECT_THROW(analyze_security(zk), std::invalid_argument);
}

// Miden/winterfell "96-bit" setting: Goldilocks^2, blowup 8, 27 queries, 16 grinding bits:
// 27 * 3 + 16 = 97 (winterfell subtracts one bit and prints 96).
TEST(Security, EthStarkConjecturedReferencePoint) {
  SecurityParams p;
  p.base_field_bits = 64;
  p.extension_degree = 2;
  p.log_blowup = 3;
  p.num_queries = 27;
  p.query_pow_bits = 16;
  p.log_trace_length = 20;
  EXPECT_DOUBLE_EQ(analyze_security(p).conjectured_bits, 97);
}

TEST(Security, ConjecturedIsCappedByFieldAndHash) {
  SecurityParams p;  // KoalaBear^4, blowup 2, 100 queries, 16 PoW: 116 from queries
  p.log_trace_length = 20;
  EXPECT_NEAR(analyze_security(p).conjectured_bits, 4 * kKoalaBearBits - 21, 1e-9);
  p.base_field_bits = 64;
  p.extension_degree = 3;
  p.num_queries = 200;
  EXPECT_DOUBLE_EQ(analyze_security(p).conjectured_bits, 128);  // BLAKE2s-256 collisions
}

TEST(Security, UniqueDecodingRoundFormulas) {
  SecurityParams p;
  p.log_blowup = 1;
  p.num_queries = 10;
  p.query_pow_bits = 0;
  p.log_trace_length = 16;
  p.fri_folding_arity = 4;
  p.log_final_poly_length = 4;
  SecurityReport r = analyze_security(p);
  const double f = 4 * kKoalaBearBits;
  EXPECT_NEAR(round(r.unique_decoding, "FRI query phase").bits, 10 * std::log2(4.0 / 3.0), 1e-9);
  EXPECT_NEAR(round(r.unique_decoding, "FRI batching").bits, f - 17, 1e-9);
  EXPECT_NEAR(round(r.unique_decoding, "FRI folding round 1").bits, f - 17 - std::log2(3.0), 1e-9);
  EXPECT_NEAR(round(r.unique_decoding, "FRI folding round 6").bits, f - 17 - std::log2(3.0), 1e-9);
  EXPECT_THROW(round(r.unique_decoding, "FRI folding round 7"), std::runtime_error);  // (16-4)/2
  EXPECT_NEAR(round(r.unique_decoding, "ALI constraint combination").bits, f - std::log2(100.0),
              1e-9);
  double n = 65536;
  EXPECT_NEAR(round(r.unique_decoding, "DEEP out-of-domain sample").bits,
              f - std::log2(3 * (n + 1) + n - 1), 1e-6);
}

TEST(Security, PowerBatchingCostsLog2OfTheBatch) {
  SecurityParams p;
  p.num_columns = 128;
  p.num_openings = 2;
  double independent = round(analyze_security(p).unique_decoding, "FRI batching").bits;
  p.batching = BatchingMode::kPowers;
  double powers = round(analyze_security(p).unique_decoding, "FRI batching").bits;
  EXPECT_NEAR(independent - powers, 8.0, 1e-9);
}

TEST(Security, JohnsonRegimeIsConsistentAndBeatsUdrOnLargeFields) {
  SecurityParams p;
  p.base_field_bits = 64;
  p.extension_degree = 3;
  p.log_blowup = 2;
  p.num_queries = 124;
  p.query_pow_bits = 16;
  SecurityReport r = analyze_security(p);
  ASSERT_GE(r.johnson.johnson_m, 3);
  ASSERT_LE(r.johnson.johnson_m, 64);
  double m = r.johnson.johnson_m;
  double expected_query = -124 * std::log2(0.5 * (1 + 1 / (2 * m))) + 16;
  EXPECT_NEAR(round(r.johnson, "FRI query phase").bits, expected_query, 1e-9);
  EXPECT_GT(r.johnson.bits, r.unique_decoding.bits);
  // Over KoalaBear^4 the |D|^2 / |F| batching term limits the Johnson regime well below UDR.
  SecurityParams koala = p;
  koala.base_field_bits = kKoalaBearBits;
  koala.extension_degree = 4;
  SecurityReport k = analyze_security(koala);
  EXPECT_LT(k.johnson.bits, k.unique_decoding.bits);
}

TEST(Security, InvalidParametersNameTheField) {
  SecurityParams p;
  p.fri_folding_arity = 3;
  try {
    analyze_security(p);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("fri_folding_arity"), std::string::npos) << e.what();
  }
  p = SecurityParams();
  p.num_queries = 0;
  EXPECT_THROW(analyze_security(p), std::invalid_argument);
  p = SecurityParams();
  p.log_blowup = 0;
  EXPECT_THROW(analyze_security(p), std::invalid_argument);
}

// Every parameter set of both profiles (fast has two).
std::vector<const SecurityProfile*> all_parameter_sets() {
  std::vector<const SecurityProfile*> sets;
  for (std::string_view name : {"fast", "secure"}) {
    for (const SecurityProfile& set : profile_parameter_sets(name)) sets.push_back(&set);
  }
  return sets;
}

// Each profile meets its bar for every trace length it admits and a spread of table shapes, and
// the admitted range is tight (one more doubling of the trace drops below the bar).
TEST(SecurityProfiles, EachProfileMeetsItsBar) {
  for (const SecurityProfile* profile : all_parameter_sets()) {
    for (int log_n = 8; log_n <= profile->max_log_trace_length; ++log_n) {
      for (int columns : {1, 100, 1024}) {
        InstanceShape shape{.log_trace_length = log_n,
                            .num_columns = columns,
                            .num_constraints = 10 * columns,
                            .max_constraint_degree = 3};
        SecurityReport r = analyze_security(make_security_params(*profile, shape));
        EXPECT_GE(bar_bits(*profile, r), profile->min_bits)
            << profile->name << " log_n=" << log_n << " columns=" << columns << "\n"
            << format_report(r);
      }
    }
    InstanceShape too_big{.log_trace_length = profile->max_log_trace_length + 1};
    SecurityReport r = analyze_security(make_security_params(*profile, too_big));
    EXPECT_LT(bar_bits(*profile, r), profile->min_bits) << profile->name;
  }
}

// The bar check that prover and verifier share: nothing within the profile's range, and just past
// it the figure the bar refers to (conjectured for fast, proven UDR for secure) with its weakest
// round.
TEST(SecurityProfiles, BarShortfallNamesTheFigureTheBarAndTheWeakestRound) {
  for (const SecurityProfile* profile : all_parameter_sets()) {
    const SecurityReport within =
        analyze_security(make_security_params(*profile, {.log_trace_length = profile->max_log_trace_length}));
    EXPECT_EQ(bar_shortfall(*profile, within), std::nullopt) << profile->name;
    const SecurityReport beyond =
        analyze_security(make_security_params(*profile, {.log_trace_length = profile->max_log_trace_length + 1}));
    const std::optional<std::string> shortfall = bar_shortfall(*profile, beyond);
    ASSERT_TRUE(shortfall.has_value()) << profile->name;
    const bool conjectured = profile->bar == SecurityBar::kConjectured;
    char bits[32];
    std::snprintf(bits, sizeof bits, "%.1f", conjectured ? beyond.conjectured_bits : beyond.unique_decoding.bits);
    EXPECT_EQ(*shortfall, std::string(bits) + (conjectured ? " conjectured" : " proven (UDR)") + " bits, below profile " +
                              std::string(profile->name) + "'s bar of 100 (weakest: " +
                              weakest_round(conjectured ? beyond.conjectured : beyond.unique_decoding) + ")");
  }
}

TEST(SecurityProfiles, NamedSettings) {
  // fast: blowup 4 with 42 queries (2 x 42 + 16 grinding bits = 100) up to 2^21-row tables, then
  // blowup 2 with 100 queries up to 2^22 rows; the first set is the profile's face.
  const std::span<const SecurityProfile> fast_sets = profile_parameter_sets("fast");
  ASSERT_EQ(fast_sets.size(), 2u);
  EXPECT_EQ(fast_profile().log_blowup, 2);
  EXPECT_EQ(fast_profile().num_queries, 42);
  EXPECT_EQ(fast_profile().max_log_trace_length, 21);
  EXPECT_EQ(fast_sets[0].num_queries, fast_profile().num_queries);
  EXPECT_EQ(fast_sets[1].name, "fast");
  EXPECT_EQ(fast_sets[1].log_blowup, 1);
  EXPECT_EQ(fast_sets[1].num_queries, 100);
  EXPECT_EQ(fast_sets[1].max_log_trace_length, 22);
  EXPECT_EQ(profile_parameter_sets("secure").size(), 1u);
  EXPECT_TRUE(profile_parameter_sets("medium").empty());
  // The query phase alone is exactly at the bar under the first set (no slack bought with queries).
  const SecurityReport first = analyze_security(make_security_params(fast_profile(), InstanceShape{}));
  EXPECT_DOUBLE_EQ(round(first.conjectured, "FRI query phase").bits, 100);
  EXPECT_EQ(secure_profile().log_blowup, 2);
  EXPECT_EQ(secure_profile().num_queries, 124);
  EXPECT_EQ(secure_profile().query_pow_bits, 16);
  EXPECT_EQ(profile_by_name("fast")->name, "fast");
  EXPECT_EQ(profile_by_name("secure")->num_queries, 124);
  EXPECT_FALSE(profile_by_name("medium").has_value());
  // The fast profile is not provably secure; secure is also conjecturally >= 100.
  SecurityReport fast = analyze_security(make_security_params(fast_profile(), InstanceShape{}));
  EXPECT_LT(fast.unique_decoding.bits, 100);
  SecurityReport secure = analyze_security(make_security_params(secure_profile(), InstanceShape{}));
  EXPECT_GE(secure.conjectured_bits, 100);
}

TEST(SecurityProfiles, FormatReportNamesWeakestRounds) {
  SecurityReport r = analyze_security(make_security_params(secure_profile(), InstanceShape{}));
  std::string text = format_report(r);
  EXPECT_NE(text.find("unique decoding: 100.1 bits (weakest: FRI query phase)"), std::string::npos)
      << text;
}

// --- Whole statements: LogUp and the union over tables ---

StatementShape tables_of(int count, int log_height, double fractions_per_row, int tuple_length) {
  StatementShape s;
  for (int t = 0; t < count; ++t) {
    std::string name = std::to_string(t);
    name.insert(0, 1, 't');
    s.tables.push_back({.name = name,
                        .log_height = log_height,
                        .num_constraints = 100,
                        .max_constraint_degree = 3,
                        .num_opened_functions = 200});
    s.logup.num_fractions += fractions_per_row * std::ldexp(1.0, log_height);
  }
  s.logup.max_tuple_length = fractions_per_row > 0 ? tuple_length : 0;
  return s;
}

// One table without buses is exactly analyze_security's instance.
TEST(StatementSecurity, OneTableWithoutBusesIsTheInstance) {
  const SecurityParams p = make_security_params(secure_profile(), InstanceShape{});
  const SecurityReport single = analyze_security(p);
  const SecurityReport statement = analyze_statement_security(p, tables_of(1, 20, 0, 0));
  EXPECT_DOUBLE_EQ(statement.conjectured_bits, single.conjectured_bits);
  EXPECT_DOUBLE_EQ(statement.unique_decoding.bits, single.unique_decoding.bits);
  EXPECT_DOUBLE_EQ(statement.johnson.bits, single.johnson.bits);
  EXPECT_THROW(round(statement.unique_decoding, "LogUp challenges"), std::runtime_error);
}

// The LogUp term N (W + 2) / |F|. Reference points: 8 tables x 32 interactions x 2^21 rows with
// 8-entry tuples, about 92 bits (log2(2^29 * 10) = 32.32 below |F|); the framework's limits (32
// tables x 64 interactions x 2^22 rows, 16-entry tuples), about 87. The same bound as Plonky3's
// p3-security `logup::fingerprint_error` (https://docs.rs/p3-security, "N·(W + 2) / |EF|").
// Grinding before zeta adds its bits to the DEEP round and nothing else; `secure` grinds 8 bits.
TEST(StatementSecurity, DeepGrindingAddsToTheDeepRoundOnly) {
  SecurityParams p = make_security_params(secure_profile(), InstanceShape{});
  EXPECT_EQ(p.deep_pow_bits, 8);
  EXPECT_EQ(make_security_params(fast_profile(), InstanceShape{}).deep_pow_bits, 0);
  const SecurityReport ground = analyze_statement_security(p, tables_of(8, 20, 32, 8));
  p.deep_pow_bits = 0;
  const SecurityReport plain = analyze_statement_security(p, tables_of(8, 20, 32, 8));
  EXPECT_NEAR(round(ground.unique_decoding, "DEEP out-of-domain sample").bits,
              round(plain.unique_decoding, "DEEP out-of-domain sample").bits + 8, 1e-9);
  for (const RoundSecurity& r : plain.unique_decoding.rounds) {
    if (r.round != "DEEP out-of-domain sample") {
      EXPECT_DOUBLE_EQ(round(ground.unique_decoding, r.round).bits, r.bits) << r.round;
    }
  }
}

TEST(StatementSecurity, LogUpTermReferencePoints) {
  SecurityParams p = make_security_params(fast_profile(), InstanceShape{});
  EXPECT_EQ(p.interaction_pow_bits, 16);
  p.interaction_pow_bits = 0;  // the bound itself; the profiles' grinding is checked below
  const double f = 4 * kKoalaBearBits;
  const SecurityReport machine = analyze_statement_security(p, tables_of(8, 21, 32, 8));
  EXPECT_NEAR(round(machine.unique_decoding, "LogUp challenges").bits, f - 29 - std::log2(10.0), 1e-9);
  EXPECT_NEAR(round(machine.unique_decoding, "LogUp challenges").bits, 91.6, 0.05);
  EXPECT_NEAR(round(machine.conjectured, "LogUp challenges").bits, 91.6, 0.05);
  EXPECT_NEAR(machine.conjectured_bits, 91.6, 0.05);  // LogUp is the weakest term here
  EXPECT_EQ(weakest_round(machine.conjectured), "LogUp challenges");
  const SecurityReport limits = analyze_statement_security(p, tables_of(32, 22, 64, 16));
  EXPECT_NEAR(round(limits.unique_decoding, "LogUp challenges").bits, f - 33 - std::log2(18.0), 1e-9);
  EXPECT_NEAR(round(limits.unique_decoding, "LogUp challenges").bits, 86.8, 0.05);
  // Johnson: the list size multiplies the LogUp error too.
  EXPECT_LT(round(machine.johnson, "LogUp challenges").bits, round(machine.unique_decoding, "LogUp challenges").bits);
  // The profiles grind 16 bits before drawing the LogUp challenges: the 8-table machine clears
  // 100 bits, and the framework's limits come to 102.8.
  p.interaction_pow_bits = 16;
  EXPECT_NEAR(round(analyze_statement_security(p, tables_of(8, 21, 32, 8)).conjectured, "LogUp challenges").bits,
              107.6, 0.05);
  EXPECT_NEAR(round(analyze_statement_security(p, tables_of(32, 22, 64, 16)).unique_decoding, "LogUp challenges").bits,
              102.8, 0.05);
}

// T identical tables cost exactly log2 T bits in the ALI and DEEP rounds and in the conjecture's
// field term; FRI's batching and folding rounds see only the tallest domain.
TEST(StatementSecurity, UnionOverTablesCostsLog2T) {
  const SecurityParams p = make_security_params(secure_profile(), InstanceShape{});
  const SecurityReport one = analyze_statement_security(p, tables_of(1, 20, 0, 0));
  const SecurityReport eight = analyze_statement_security(p, tables_of(8, 20, 0, 0));
  for (const char* name : {"ALI constraint combination", "DEEP out-of-domain sample"}) {
    EXPECT_NEAR(round(one.unique_decoding, name).bits - round(eight.unique_decoding, name).bits, 3, 1e-9) << name;
  }
  EXPECT_NEAR(round(one.conjectured, "FRI proximity (field size)").bits -
                  round(eight.conjectured, "FRI proximity (field size)").bits,
              3, 1e-9);
  EXPECT_DOUBLE_EQ(round(one.unique_decoding, "FRI batching").bits, round(eight.unique_decoding, "FRI batching").bits);
  EXPECT_DOUBLE_EQ(round(one.unique_decoding, "FRI folding round 1").bits,
                   round(eight.unique_decoding, "FRI folding round 1").bits);
  // A shorter table adds less than a full table's share.
  StatementShape mixed = tables_of(1, 20, 0, 0);
  mixed.tables.push_back(mixed.tables[0]);
  mixed.tables[1].log_height = 10;
  const SecurityReport m = analyze_statement_security(p, mixed);
  EXPECT_LT(round(one.unique_decoding, "DEEP out-of-domain sample").bits - round(m.unique_decoding, "DEEP out-of-domain sample").bits, 0.01);
  // The fast profile's sets at their height limits: one table holds the bar, two tables of that
  // height do not (the field term sees both domains).
  for (const SecurityProfile& set : profile_parameter_sets("fast")) {
    const SecurityParams fast = make_security_params(set, InstanceShape{});
    const int limit = set.max_log_trace_length;
    EXPECT_GE(analyze_statement_security(fast, tables_of(1, limit, 0, 0)).conjectured_bits, 100) << limit;
    EXPECT_LT(analyze_statement_security(fast, tables_of(2, limit, 0, 0)).conjectured_bits, 100) << limit;
  }
}

// The exact FRI schedule: arity 16 rounds cost log2(15) bits each in the UDR folding error, so the
// secure profile with arity 16 after the first round falls below its bar at 2^21 rows.
TEST(StatementSecurity, FoldScheduleArities) {
  SecurityParams p = make_security_params(secure_profile(), InstanceShape{});
  p.fold_log_arities = {1, 4, 4};
  const SecurityReport r = analyze_statement_security(p, tables_of(1, 21, 0, 0));
  const double f = 4 * kKoalaBearBits;
  EXPECT_NEAR(round(r.unique_decoding, "FRI folding round 1").bits, f - 23, 1e-9);
  EXPECT_NEAR(round(r.unique_decoding, "FRI folding round 2").bits, f - 23 - std::log2(15.0), 1e-9);
  EXPECT_THROW(round(r.unique_decoding, "FRI folding round 4"), std::runtime_error);
  EXPECT_LT(r.unique_decoding.bits, 100);
  EXPECT_EQ(weakest_round(r.unique_decoding), "FRI folding round 2");
}

TEST(StatementSecurity, InvalidStatementsNameTheProblem) {
  const SecurityParams p;
  EXPECT_THROW(analyze_statement_security(p, StatementShape{}), std::invalid_argument);
  StatementShape s = tables_of(1, 20, 4, 0);  // fractions without a tuple length
  try {
    analyze_statement_security(p, s);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("max_tuple_length"), std::string::npos) << e.what();
  }
  s = tables_of(1, 41, 0, 0);
  try {
    analyze_statement_security(p, s);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("table t0: log_height"), std::string::npos) << e.what();
  }
}

// winterfell documents its conjectured soundness as "num_queries * log2(blowup_factor) +
// grinding_factor" (winter-air ProofOptions, https://docs.rs/winter-air); for 42 queries at
// blowup 4 with 16 grinding bits over Goldilocks^2 that is 42 * 2 + 16 = 100.
TEST(Security, WinterfellQueryBoundReferencePoint) {
  SecurityParams p;
  p.base_field_bits = 64;
  p.extension_degree = 2;
  p.log_blowup = 2;
  p.num_queries = 42;
  p.query_pow_bits = 16;
  p.log_trace_length = 20;
  const SecurityReport r = analyze_security(p);
  EXPECT_DOUBLE_EQ(round(r.conjectured, "FRI query phase").bits, 100);
  EXPECT_DOUBLE_EQ(r.conjectured_bits, 100);
  EXPECT_EQ(weakest_round(r.conjectured), "FRI query phase");
}

}  // namespace
}  // namespace zkrv::stark
