// Prints a line, then traps (unreachable) inside a named function.
#include <stdio.h>

__attribute__((noinline)) static void fail(void) { __builtin_trap(); }

int main(void) {
  printf("about to trap\n");
  fflush(stdout);
  fail();
  return 0;
}
