// Tape I/O: public input (rin), hints (hin), public output (wou) and the standard read_input /
// write_output on top of them.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zkrv/zkrv.h"
#include "zkvm_io.h"

typedef uint32_t (*TapeReader)(uint32_t offset);

static uint32_t read_public_word(uint32_t offset) { return zkrv_rin(offset); }
static uint32_t read_hint_word(uint32_t offset) { return zkrv_hin(offset); }

// Copies payload bytes [offset, offset + len) of an input tape. The tape is word-addressed, so
// whole words are read and the wanted bytes picked out of them.
static void read_tape(TapeReader reader, uint8_t* dst, size_t offset, size_t len) {
  while (len > 0) {
    uint32_t word_offset = 4 + (uint32_t)(offset & ~(size_t)3);
    size_t skip = offset & 3;
    uint32_t word = reader(word_offset);
    if (skip == 0 && len >= 4) {
      memcpy(dst, &word, 4);  // the tape and the guest are both little-endian
      dst += 4;
      offset += 4;
      len -= 4;
      continue;
    }
    size_t take = 4 - skip;
    if (take > len) take = len;
    memcpy(dst, (const uint8_t*)&word + skip, take);
    dst += take;
    offset += take;
    len -= take;
  }
}

void zkrv_public_input_read(void* dst, size_t offset, size_t len) {
  read_tape(read_public_word, (uint8_t*)dst, offset, len);
}

void zkrv_hint_read(void* dst, size_t offset, size_t len) {
  read_tape(read_hint_word, (uint8_t*)dst, offset, len);
}

struct InputCopy {
  int loaded;
  const uint8_t* data;
  size_t size;
};

static void load_once(struct InputCopy* copy, TapeReader reader, const char* what) {
  if (!copy->loaded) {
    static const uint8_t kEmpty[1] = {0};
    size_t size = reader(0);
    copy->data = kEmpty;
    if (size > 0) {
      uint8_t* buffer = (uint8_t*)malloc(size);
      if (buffer == NULL) {
        fprintf(stderr, "zkrv: %s of %zu bytes does not fit in the heap\n", what, size);
        abort();
      }
      read_tape(reader, buffer, 0, size);
      copy->data = buffer;
    }
    copy->size = size;
    copy->loaded = 1;
  }
}

void zkrv_read_public_input(const uint8_t** buf, size_t* len) {
  static struct InputCopy copy;
  load_once(&copy, read_public_word, "public input");
  *buf = copy.data;
  *len = copy.size;
}

void read_input(const uint8_t** buf_ptr, size_t* buf_size) {
  static struct InputCopy copy;
  load_once(&copy, read_hint_word, "private input");
  *buf_ptr = copy.data;
  *buf_size = copy.size;
}

// The output tape cannot be read back, so the word that holds the next, not yet complete, group
// of bytes is kept here and rewritten as bytes are added to it.
static size_t output_size;
static uint32_t output_partial_word;

void zkrv_output_write(const void* data, size_t len) {
  const uint8_t* bytes = (const uint8_t*)data;
  size_t position = output_size;  // payload offset; the tape offset is 4 + position
  while (len > 0) {
    size_t in_word = position & 3;
    if (in_word == 0 && len >= 4) {
      uint32_t word;
      memcpy(&word, bytes, 4);
      zkrv_wou(4 + (uint32_t)position, word);
      bytes += 4;
      position += 4;
      len -= 4;
      continue;
    }
    output_partial_word |= (uint32_t)*bytes << (8 * in_word);
    ++bytes;
    ++position;
    --len;
    if ((position & 3) == 0) {
      zkrv_wou(4 + (uint32_t)(position - 4), output_partial_word);
      output_partial_word = 0;
    }
  }
  if ((position & 3) != 0) {
    zkrv_wou(4 + (uint32_t)(position & ~(size_t)3), output_partial_word);
  }
  output_size = position;
  zkrv_wou(0, (uint32_t)output_size);
}

size_t zkrv_output_size(void) { return output_size; }

void write_output(const uint8_t* output, size_t size) { zkrv_output_write(output, size); }
