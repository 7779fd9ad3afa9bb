// Works with files inside the pre-opened directory /data: create, write, read back, seek,
// append, stat, list, rename, mkdir/rmdir, unlink; prints what it observes.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void *a, const void *b) { return strcmp(*(const char **)a, *(const char **)b); }

static void list(const char *path) {
  DIR *dir = opendir(path);
  if (!dir) { printf("opendir %s: %s\n", path, strerror(errno)); return; }
  char *names[64];
  int n = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL && n < 64) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    names[n++] = strdup(entry->d_name);
  }
  closedir(dir);
  qsort(names, n, sizeof names[0], compare);
  printf("list %s:", path);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(void) {
  FILE *f = fopen("/data/notes.txt", "w");
  if (!f) { printf("fopen w: %s\n", strerror(errno)); return 1; }
  fputs("first line\nsecond line\n", f);
  fclose(f);

  f = fopen("/data/notes.txt", "r");
  char line[128];
  while (fgets(line, sizeof line, f)) printf("read: %s", line);
  fseek(f, 6, SEEK_SET);
  printf("after seek: %s", fgets(line, sizeof line, f));
  printf("tell: %ld\n", ftell(f));
  fclose(f);

  f = fopen("/data/notes.txt", "a");
  fputs("appended\n", f);
  fclose(f);

  struct stat st;
  if (stat("/data/notes.txt", &st) != 0) { printf("stat: %s\n", strerror(errno)); return 1; }
  printf("size: %lld regular: %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

  int fd = open("/data/notes.txt", O_RDONLY);
  off_t end = lseek(fd, 0, SEEK_END);
  lseek(fd, -9, SEEK_END);
  char tail[16] = {0};
  ssize_t got = read(fd, tail, sizeof tail - 1);
  printf("end: %lld tail(%zd): %s", (long long)end, got, tail);
  close(fd);

  printf("mkdir: %d\n", mkdir("/data/sub", 0755));
  printf("mkdir again: %s\n", mkdir("/data/sub", 0755) == 0 ? "ok" : strerror(errno));
  f = fopen("/data/sub/inner.txt", "w");
  fputs("inner", f);
  fclose(f);
  printf("rename: %d\n", rename("/data/notes.txt", "/data/sub/renamed.txt"));
  printf("open old name: %s\n", fopen("/data/notes.txt", "r") ? "found" : strerror(errno));
  list("/data");
  list("/data/sub");
  printf("rmdir non-empty: %s\n", rmdir("/data/sub") == 0 ? "ok" : strerror(errno));
  printf("unlink: %d %d\n", unlink("/data/sub/inner.txt"), unlink("/data/sub/renamed.txt"));
  printf("unlink missing: %s\n", unlink("/data/sub/inner.txt") == 0 ? "ok" : strerror(errno));
  printf("rmdir: %d\n", rmdir("/data/sub"));
  printf("exclusive create of existing: %s\n", open("/data/keep.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) >= 0 ? "created" : strerror(errno));
  list("/data");
  return 0;
}
