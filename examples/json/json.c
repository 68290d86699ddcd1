// A small JSON parser over the public input. Public output: the sum of every integer in the
// document (i64 LE) followed by how many there are (u32 LE). Malformed input: a message naming the
// byte offset on stderr and exit code 2.
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "zkrv/zkrv.h"

enum { kMaxDepth = 64, kExitMalformed = 2 };

struct Parser {
  const uint8_t* text;
  size_t size;
  size_t position;
  int64_t sum;
  uint32_t count;
  const char* error;  // set on the first error; parsing stops there
};

static bool fail(struct Parser* parser, const char* message) {
  if (parser->error == NULL) parser->error = message;
  return false;
}

static void skip_space(struct Parser* parser) {
  while (parser->position < parser->size) {
    uint8_t c = parser->text[parser->position];
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
    ++parser->position;
  }
}

static bool peek(struct Parser* parser, uint8_t* c) {
  skip_space(parser);
  if (parser->position >= parser->size) return false;
  *c = parser->text[parser->position];
  return true;
}

static bool expect(struct Parser* parser, uint8_t wanted, const char* message) {
  uint8_t c;
  if (!peek(parser, &c) || c != wanted) return fail(parser, message);
  ++parser->position;
  return true;
}

static bool parse_value(struct Parser* parser, int depth);

static bool parse_number(struct Parser* parser) {
  bool negative = false;
  if (parser->text[parser->position] == '-') {
    negative = true;
    ++parser->position;
  }
  size_t digits = 0;
  uint64_t magnitude = 0;
  while (parser->position < parser->size && parser->text[parser->position] >= '0' &&
         parser->text[parser->position] <= '9') {
    uint64_t digit = parser->text[parser->position] - '0';
    if (magnitude > (UINT64_C(1) << 62) / 10) return fail(parser, "integer too large");
    magnitude = magnitude * 10 + digit;
    ++parser->position;
    ++digits;
  }
  if (digits == 0) return fail(parser, "expected digits");
  int64_t value = (int64_t)magnitude;
  parser->sum += negative ? -value : value;
  ++parser->count;
  return true;
}

static bool parse_string(struct Parser* parser) {
  ++parser->position;  // opening quote
  while (parser->position < parser->size) {
    uint8_t c = parser->text[parser->position++];
    if (c == '"') return true;
    if (c == '\\') {
      if (parser->position >= parser->size) break;
      ++parser->position;
    } else if (c < 0x20) {
      return fail(parser, "control character in string");
    }
  }
  return fail(parser, "unterminated string");
}

static bool parse_literal(struct Parser* parser, const char* word) {
  size_t length = strlen(word);
  if (parser->size - parser->position < length ||
      memcmp(parser->text + parser->position, word, length) != 0) {
    return fail(parser, "unknown literal");
  }
  parser->position += length;
  return true;
}

// Parses "open (item (, item)*)? close" where item is a value or, in objects, "string : value".
static bool parse_container(struct Parser* parser, int depth, bool is_object) {
  uint8_t close = is_object ? '}' : ']';
  ++parser->position;  // opening bracket
  uint8_t c;
  if (!peek(parser, &c)) return fail(parser, "unexpected end of input");
  if (c == close) {
    ++parser->position;
    return true;
  }
  for (;;) {
    if (is_object) {
      if (!peek(parser, &c) || c != '"') return fail(parser, "expected a string key");
      if (!parse_string(parser)) return false;
      if (!expect(parser, ':', "expected ':'")) return false;
    }
    if (!parse_value(parser, depth + 1)) return false;
    if (!peek(parser, &c)) return fail(parser, "unexpected end of input");
    ++parser->position;
    if (c == close) return true;
    if (c != ',') return fail(parser, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

static bool parse_value(struct Parser* parser, int depth) {
  if (depth > kMaxDepth) return fail(parser, "nested too deeply");
  uint8_t c;
  if (!peek(parser, &c)) return fail(parser, "unexpected end of input");
  if (c == '{') return parse_container(parser, depth, true);
  if (c == '[') return parse_container(parser, depth, false);
  if (c == '"') return parse_string(parser);
  if (c == '-' || (c >= '0' && c <= '9')) return parse_number(parser);
  if (c == 't') return parse_literal(parser, "true");
  if (c == 'f') return parse_literal(parser, "false");
  if (c == 'n') return parse_literal(parser, "null");
  return fail(parser, "unexpected character");
}

int main(void) {
  struct Parser parser = {0};
  zkrv_read_public_input(&parser.text, &parser.size);
  bool ok = parse_value(&parser, 0);
  uint8_t trailing;
  if (ok && peek(&parser, &trailing)) ok = fail(&parser, "trailing characters after the document");
  if (!ok) {
    fprintf(stderr, "json: error at byte %zu: %s\n", parser.position, parser.error);
    return kExitMalformed;
  }
  printf("json: %" PRIu32 " integers, sum %" PRId64 "\n", parser.count, parser.sum);
  uint8_t output[12];
  memcpy(output, &parser.sum, 8);
  memcpy(output + 8, &parser.count, 4);
  zkrv_output_write(output, sizeof(output));
  return 0;
}
