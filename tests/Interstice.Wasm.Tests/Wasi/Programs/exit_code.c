// Ends with the code given as argv[1]: through exit() when argv[2] is "exit", else by returning from main.
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

int main(int argc, char **argv) {
  int code = argc > 1 ? atoi(argv[1]) : 0;
  printf("exiting with %d\n", code);
  if (argc > 2 && strcmp(argv[2], "exit") == 0) exit(code);
  return code;
}
