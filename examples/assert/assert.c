// A failing assert(): picolibc prints the expression on stderr, then abort() exits with 134.
#undef NDEBUG  // keep assert() active in release builds
#include <assert.h>
#include <stdio.h>

static int answer(void) { return 41; }

int main(void) {
  printf("assert example: checking the answer\n");
  assert(answer() == 42);
  return 0;
}
