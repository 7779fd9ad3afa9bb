// Writes to stdout and stderr through stdio, then returns 0 from main.
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  fprintf(stderr, "this goes to stderr\n");
  return 0;
}
