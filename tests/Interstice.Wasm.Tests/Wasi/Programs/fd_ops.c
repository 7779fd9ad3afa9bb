// Descriptor operations inside the pre-opened directory /data: positioned reads and writes,
// truncation, append mode set after opening, renumbering, timestamps, sync, advice,
// allocation, and opening files until the descriptor table is full.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/libc.h>

int main(void) {
  int fd = open("/data/f.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) { printf("open: %s\n", strerror(errno)); return 1; }
  printf("write: %zd\n", write(fd, "0123456789", 10));
  printf("pwrite: %zd\n", pwrite(fd, "AB", 2, 4));
  char buffer[16] = {0};
  printf("pread: %zd %s\n", pread(fd, buffer, 6, 2), buffer);
  printf("position after positioned I/O: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
  printf("ftruncate: %d\n", ftruncate(fd, 5));
  struct stat st;
  fstat(fd, &st);
  printf("size after truncate: %lld\n", (long long)st.st_size);
  printf("fallocate: %d\n", posix_fallocate(fd, 0, 100));
  fstat(fd, &st);
  printf("size after allocate: %lld\n", (long long)st.st_size);
  printf("fadvise: %d\n", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL));
  printf("fsync: %d fdatasync: %d\n", fsync(fd), fdatasync(fd));

  int flags = fcntl(fd, F_GETFL);
  printf("set append: %d\n", fcntl(fd, F_SETFL, flags | O_APPEND));
  lseek(fd, 0, SEEK_SET);
  write(fd, "END", 3);
  fstat(fd, &st);
  printf("size after append: %lld\n", (long long)st.st_size);

  struct timespec times[2] = {{1000000000, 0}, {1234567890, 0}};
  printf("futimens: %d\n", futimens(fd, times));
  fstat(fd, &st);
  printf("mtime: %lld\n", (long long)st.st_mtim.tv_sec);
  struct timespec path_times[2] = {{0, UTIME_OMIT}, {1500000000, 0}};
  printf("utimensat: %d\n", utimensat(AT_FDCWD, "/data/f.bin", path_times, 0));
  stat("/data/f.bin", &st);
  printf("mtime: %lld\n", (long long)st.st_mtim.tv_sec);

  int other = open("/data/g.txt", O_WRONLY | O_CREAT, 0644);
  printf("renumber: %d\n", __wasilibc_fd_renumber(fd, other));
  printf("write to renumbered: %zd\n", write(other, "!", 1));
  printf("old descriptor: %s\n", write(fd, "x", 1) < 0 ? strerror(errno) : "still open");
  close(other);

  int read_only = open("/data/f.bin", O_RDONLY);
  printf("write to read-only: %s\n", write(read_only, "x", 1) < 0 ? strerror(errno) : "written");
  close(read_only);

  int opened = 0;
  int last_errno = 0;
  for (int i = 0; i < 5000; i++) {
    if (open("/data/f.bin", O_RDONLY) < 0) { last_errno = errno; break; }
    opened++;
  }
  printf("opened %d more, then: %s\n", opened, strerror(last_errno));
  return 0;
}
