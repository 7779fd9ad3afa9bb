// Calls WASI directly (no libc path handling) on descriptor 3, the first pre-open, for each
// argument: "open PATH", "openw PATH", "stat PATH", "lstat PATH", "mkdir PATH", "unlink PATH",
// "rmdir PATH", "rename FROM:TO", "readlink PATH". Prints "OP PATH -> errno N" (0 on success).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static __wasi_errno_t run(const char *op, const char *path) {
  __wasi_fd_t fd;
  __wasi_filestat_t st;
  if (strcmp(op, "open") == 0 || strcmp(op, "openw") == 0) {
    __wasi_rights_t rights = __WASI_RIGHTS_FD_READ | (op[4] == 'w' ? __WASI_RIGHTS_FD_WRITE : 0);
    __wasi_oflags_t oflags = op[4] == 'w' ? __WASI_OFLAGS_CREAT : 0;
    __wasi_errno_t e = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights, 0, 0, &fd);
    if (e == 0) {
      char buffer[64] = {0};
      __wasi_iovec_t iov = {(uint8_t *)buffer, sizeof buffer - 1};
      size_t n = 0;
      if (op[4] != 'w' && __wasi_fd_read(fd, &iov, 1, &n) == 0) printf("  content: %s\n", buffer);
      (void)__wasi_fd_close(fd);
    }
    return e;
  }
  if (strcmp(op, "stat") == 0) return __wasi_path_filestat_get(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st);
  if (strcmp(op, "lstat") == 0) return __wasi_path_filestat_get(3, 0, path, &st);
  if (strcmp(op, "mkdir") == 0) return __wasi_path_create_directory(3, path);
  if (strcmp(op, "unlink") == 0) return __wasi_path_unlink_file(3, path);
  if (strcmp(op, "rmdir") == 0) return __wasi_path_remove_directory(3, path);
  if (strcmp(op, "readlink") == 0) {
    uint8_t buffer[256];
    size_t used;
    __wasi_errno_t e = __wasi_path_readlink(3, path, buffer, sizeof buffer - 1, &used);
    if (e == 0) { buffer[used] = 0; printf("  target: %s\n", buffer); }
    return e;
  }
  if (strcmp(op, "rename") == 0) {
    char from[256];
    const char *colon = strchr(path, ':');
    if (!colon) return __WASI_ERRNO_INVAL;
    memcpy(from, path, colon - path);
    from[colon - path] = 0;
    return __wasi_path_rename(3, from, 3, colon + 1);
  }
  return __WASI_ERRNO_NOSYS;
}

int main(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i += 2) printf("%s %s -> errno %d\n", argv[i], argv[i + 1], run(argv[i], argv[i + 1]));
  return 0;
}
