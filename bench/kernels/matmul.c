// Dense double-precision matrix multiply, i-k-j order: floating point and memory bandwidth.
#define MAX 512
static double a[MAX * MAX], b[MAX * MAX], c[MAX * MAX];

__attribute__((export_name("run")))
double run(int n) {
  if (n > MAX) n = MAX;
  for (int i = 0; i < n * n; i++) {
    a[i] = (double)(i % 7) * 0.5 + 1.0;
    b[i] = (double)(i % 5) * 0.25 - 0.5;
    c[i] = 0.0;
  }
  for (int i = 0; i < n; i++)
    for (int k = 0; k < n; k++) {
      double aik = a[i * n + k];
      for (int j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  double sum = 0.0;
  for (int i = 0; i < n * n; i++) sum += c[i];
  return sum;
}
