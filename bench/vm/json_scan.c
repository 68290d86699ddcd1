// A validating recursive-descent JSON scanner over 1 MiB of generated JSON, repeated: byte-at-a-time
// loads, character-class branches, calls and returns, as in parsers and text processing. It
// counts values by kind, sums the integers and hashes the strings.
#include <string.h>

#include "bench_common.h"

enum { kTextBytes = BENCH_SIZE(1 << 20, 1 << 14), kRounds = BENCH_SIZE(40, 2), kMaxDepth = 64 };

static char text[kTextBytes + 256];  // room for the last record and the terminating zero

typedef struct {
  const char* at;
  int depth;
  uint32_t objects, arrays, strings, numbers, literals;
  int64_t integer_sum;
  uint32_t string_hash;
} Scanner;

static void skip_space(Scanner* s) {
  while (*s->at == ' ' || *s->at == '\n' || *s->at == '\t' || *s->at == '\r') ++s->at;
}

static int scan_value(Scanner* s);

static int scan_string(Scanner* s) {
  ++s->at;  // opening quote
  uint32_t hash = 2166136261u;
  for (;;) {
    const unsigned char c = (unsigned char)*s->at++;
    if (c == '"') break;
    if (c < 0x20) return 0;
    if (c == '\\') {
      const char escaped = *s->at++;
      if (!strchr("\"\\/bfnrt", escaped) || escaped == 0) return 0;
    }
    hash = (hash ^ c) * 16777619u;
  }
  s->string_hash ^= hash;
  ++s->strings;
  return 1;
}

static int scan_number(Scanner* s) {
  int negative = 0;
  if (*s->at == '-') {
    negative = 1;
    ++s->at;
  }
  if (*s->at < '0' || *s->at > '9') return 0;
  int64_t integer = 0;
  while (*s->at >= '0' && *s->at <= '9') integer = integer * 10 + (*s->at++ - '0');
  if (*s->at == '.') {
    ++s->at;
    if (*s->at < '0' || *s->at > '9') return 0;
    while (*s->at >= '0' && *s->at <= '9') ++s->at;
  }
  s->integer_sum += negative ? -integer : integer;
  ++s->numbers;
  return 1;
}

static int scan_literal(Scanner* s, const char* word) {
  const size_t n = strlen(word);
  if (strncmp(s->at, word, n) != 0) return 0;
  s->at += n;
  ++s->literals;
  return 1;
}

static int scan_container(Scanner* s, char close) {
  if (++s->depth > kMaxDepth) return 0;
  ++s->at;
  skip_space(s);
  if (*s->at == close) {
    ++s->at;
    --s->depth;
    return 1;
  }
  for (;;) {
    skip_space(s);
    if (close == '}') {
      if (*s->at != '"' || !scan_string(s)) return 0;
      skip_space(s);
      if (*s->at++ != ':') return 0;
    }
    if (!scan_value(s)) return 0;
    skip_space(s);
    const char c = *s->at++;
    if (c == close) break;
    if (c != ',') return 0;
  }
  --s->depth;
  return 1;
}

static int scan_value(Scanner* s) {
  skip_space(s);
  switch (*s->at) {
    case '{': ++s->objects; return scan_container(s, '}');
    case '[': ++s->arrays; return scan_container(s, ']');
    case '"': return scan_string(s);
    case 't': return scan_literal(s, "true");
    case 'f': return scan_literal(s, "false");
    case 'n': return scan_literal(s, "null");
    default: return scan_number(s);
  }
}

// Appends a record such as
// {"id": 17, "name": "qkdw", "score": -3.25, "ok": true, "tags": ["ab", "c\"d"], "pos": {"x": 1, "y": [2, null]}}
static char* put_uint(char* out, uint32_t v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *out++ = digits[--n];
  return out;
}

static char* put_text(char* out, const char* s) {
  const size_t n = strlen(s);
  memcpy(out, s, n);
  return out + n;
}

static char* put_word(char* out, uint64_t* seed) {
  *out++ = '"';
  const uint32_t length = 1 + bench_next32(seed) % 12;
  for (uint32_t i = 0; i < length; ++i) {
    const uint32_t r = bench_next32(seed);
    if (r % 16 == 0) {
      out = put_text(out, "\\\"");
    } else {
      *out++ = (char)('a' + r % 26);
    }
  }
  *out++ = '"';
  return out;
}

static void generate(void) {
  uint64_t seed = 8;
  char* out = text;
  out = put_text(out, "[\n");
  for (uint32_t id = 0;; ++id) {
    if (id) out = put_text(out, ",\n");
    out = put_text(out, " {\"id\": ");
    out = put_uint(out, id);
    out = put_text(out, ", \"name\": ");
    out = put_word(out, &seed);
    out = put_text(out, ", \"score\": ");
    const uint32_t r = bench_next32(&seed);
    if (r & 1) *out++ = '-';
    out = put_uint(out, r % 100000);
    out = put_text(out, ".25, \"ok\": ");
    out = put_text(out, r & 2 ? "true" : "false");
    out = put_text(out, ", \"tags\": [");
    for (uint32_t t = 0, tags = r % 5; t < tags; ++t) {
      if (t) out = put_text(out, ", ");
      out = put_word(out, &seed);
    }
    out = put_text(out, "], \"pos\": {\"x\": ");
    out = put_uint(out, bench_next32(&seed));
    out = put_text(out, ", \"y\": [");
    out = put_uint(out, r % 7);
    out = put_text(out, ", null]}}");
    if (out - text > kTextBytes - 200) break;
  }
  out = put_text(out, "\n]\n");
  *out = 0;
}

int main(void) {
  generate();
  uint64_t checksum = 0;
  for (int round = 0; round < kRounds; ++round) {
    Scanner s = {text, 0, 0, 0, 0, 0, 0, 0, 0};
    if (!scan_value(&s) || (skip_space(&s), *s.at != 0)) {
      printf("json_scan: the generated text does not scan at byte %u\n", (unsigned)(s.at - text));
      return 1;
    }
    checksum = bench_mix(checksum, s.objects);
    checksum = bench_mix(checksum, (uint64_t)s.arrays << 32 | s.strings);
    checksum = bench_mix(checksum, (uint64_t)s.numbers << 32 | s.literals);
    checksum = bench_mix(checksum, (uint64_t)s.integer_sum);
    checksum = bench_mix(checksum, s.string_hash + (uint32_t)round);
  }
  // Known answer: a malformed document must be rejected.
  Scanner bad = {"{\"a\": [1, 2,]}", 0, 0, 0, 0, 0, 0, 0, 0};
  if (scan_value(&bad)) {
    printf("json_scan: accepted a malformed document\n");
    return 1;
  }
  bench_print_checksum(checksum);
  return 0;
}
