// Lists the directory given as argv[1] with readdir and prints the entries in order.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  DIR *dir = opendir(argv[1]);
  if (!dir) { printf("opendir: %s\n", strerror(errno)); return 1; }
  int count = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    printf("%s %d\n", entry->d_name, entry->d_type);
    count++;
  }
  closedir(dir);
  printf("%d entries\n", count);
  return 0;
}
