// Quicksort (median of three, insertion sort for small ranges) of n pseudo-random integers:
// data-dependent branches, memory traffic and recursion.
#define MAX (1 << 22)
static int data[MAX];

static void insertion(int *v, int lo, int hi) {
  for (int i = lo + 1; i <= hi; i++) {
    int x = v[i], j = i - 1;
    while (j >= lo && v[j] > x) { v[j + 1] = v[j]; j--; }
    v[j + 1] = x;
  }
}

static void swap(int *v, int i, int j) { int t = v[i]; v[i] = v[j]; v[j] = t; }

static void quicksort(int *v, int lo, int hi) {
  while (hi - lo > 16) {
    int mid = lo + (hi - lo) / 2;
    if (v[mid] < v[lo]) swap(v, mid, lo);
    if (v[hi] < v[lo]) swap(v, hi, lo);
    if (v[hi] < v[mid]) swap(v, hi, mid);
    int pivot = v[mid], i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) { swap(v, i, j); i++; j--; }
    }
    if (j - lo < hi - i) { quicksort(v, lo, j); lo = i; }
    else { quicksort(v, i, hi); hi = j; }
  }
  insertion(v, lo, hi);
}

// Returns a checksum of the sorted array (and -1 if it is not sorted).
__attribute__((export_name("run")))
int run(int n) {
  if (n > MAX) n = MAX;
  unsigned int seed = 12345;
  for (int i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; data[i] = (int)(seed >> 1); }
  quicksort(data, 0, n - 1);
  int sum = 0;
  for (int i = 0; i < n; i++) {
    if (i > 0 && data[i - 1] > data[i]) return -1;
    sum = sum * 31 + data[i];
  }
  return sum;
}
