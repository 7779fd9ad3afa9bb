// Sieve of Eratosthenes over a byte array: tight loops of byte loads and stores.
#define LIMIT (1 << 24)
static unsigned char composite[LIMIT];

__attribute__((export_name("run")))
int run(int n) {
  if (n > LIMIT) n = LIMIT;
  for (int i = 0; i < n; i++) composite[i] = 0;
  int count = 0;
  for (int i = 2; i < n; i++) {
    if (composite[i]) continue;
    count++;
    for (long long j = (long long)i * i; j < n; j += i) composite[j] = 1;
  }
  return count;
}
