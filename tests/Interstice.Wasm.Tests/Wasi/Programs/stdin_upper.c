// Copies stdin to stdout in upper case, then prints how many bytes it read.
#include <ctype.h>
#include <stdio.h>

int main(void) {
  long count = 0;
  int c;
  while ((c = getchar()) != EOF) {
    putchar(toupper(c));
    count++;
  }
  printf("\nread %ld bytes\n", count);
  return 0;
}
