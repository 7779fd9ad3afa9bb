// Reads every clock, sleeps 1.5 s through nanosleep (poll_oneoff), reads the monotonic clock
// again, and prints 8 random bytes.
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

int main(void) {
  struct timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  printf("realtime: %lld.%09ld\n", (long long)t.tv_sec, t.tv_nsec);
  __wasi_timestamp_t before, after, resolution, cpu;
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &before) != 0) return 1;
  if (__wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &resolution) != 0) return 1;
  printf("monotonic resolution: %llu\n", (unsigned long long)resolution);
  printf("process cputime: %d\n", __wasi_clock_time_get(__WASI_CLOCKID_PROCESS_CPUTIME_ID, 1, &cpu));
  printf("thread cputime: %d\n", __wasi_clock_time_get(__WASI_CLOCKID_THREAD_CPUTIME_ID, 1, &cpu));
  printf("bad clock: %d\n", __wasi_clock_time_get(7, 1, &cpu));
  struct timespec sleep = {1, 500000000};
  printf("nanosleep: %d\n", nanosleep(&sleep, NULL));
  if (__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after) != 0) return 1;
  printf("slept: %llu ns\n", (unsigned long long)(after - before));
  unsigned char bytes[8];
  if (getentropy(bytes, sizeof bytes) != 0) return 1;
  printf("random:");
  for (int i = 0; i < 8; i++) printf(" %02x", bytes[i]);
  printf("\n");
  return 0;
}
