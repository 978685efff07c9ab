/*
 * A float32 matmul in WebAssembly SIMD128, C[m][n] = A[m][k] · B[k][n] (row-major, n a multiple of
 * 16), to measure against onnxruntime's wasm MatMul (bench/screening.ts). B is constant (an
 * encoder's weights), so `pack_b` lays it out once in panels of 16 columns, each k × 16 contiguous,
 * as onnxruntime prepacks its weights; `gemm` then runs a 4 × 16 register block (16 accumulators)
 * that streams one panel per block of four rows of A. Single-threaded; built by
 * scripts/build-kernels.mjs. Measured slower than onnxruntime's two-thread kernel here, so the
 * engine keeps onnxruntime's (docs/BENCHMARKS.md, "Screened encoders").
 */
#include <wasm_simd128.h>

/* b [k][n] → packed [n / 16][k][16]. */
__attribute__((export_name("pack_b")))
void pack_b(int k, int n, const float *b, float *packed) {
  for (int j = 0; j < n; j += 16)
    for (int p = 0; p < k; p++)
      for (int v = 0; v < 16; v += 4) wasm_v128_store(packed + j * k + p * 16 + v, wasm_v128_load(b + p * n + j + v));
}

/* c = a · b with b packed by pack_b. */
__attribute__((export_name("gemm")))
void gemm(int m, int k, int n, const float *a, const float *b, float *c) {
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    for (int j = 0; j < n; j += 16) {
      /* sixteen named accumulators: an array of them makes clang zero it with a memset call */
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
      v128_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
      for (int p = 0; p < k; p++) {
        const float *bp = b + j * k + p * 16;
        v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load(bp + 4), b2 = wasm_v128_load(bp + 8), b3 = wasm_v128_load(bp + 12);
#define ROW(r, x0, x1, x2, x3) { v128_t av = wasm_f32x4_splat(a[(i + r) * k + p]); \
        x0 = wasm_f32x4_add(x0, wasm_f32x4_mul(av, b0)); x1 = wasm_f32x4_add(x1, wasm_f32x4_mul(av, b1)); \
        x2 = wasm_f32x4_add(x2, wasm_f32x4_mul(av, b2)); x3 = wasm_f32x4_add(x3, wasm_f32x4_mul(av, b3)); }
        ROW(0, c00, c01, c02, c03) ROW(1, c10, c11, c12, c13) ROW(2, c20, c21, c22, c23) ROW(3, c30, c31, c32, c33)
#undef ROW
      }
      float *cr = c + i * n + j;
      wasm_v128_store(cr, c00); wasm_v128_store(cr + 4, c01); wasm_v128_store(cr + 8, c02); wasm_v128_store(cr + 12, c03);
      cr += n;
      wasm_v128_store(cr, c10); wasm_v128_store(cr + 4, c11); wasm_v128_store(cr + 8, c12); wasm_v128_store(cr + 12, c13);
      cr += n;
      wasm_v128_store(cr, c20); wasm_v128_store(cr + 4, c21); wasm_v128_store(cr + 8, c22); wasm_v128_store(cr + 12, c23);
      cr += n;
      wasm_v128_store(cr, c30); wasm_v128_store(cr + 4, c31); wasm_v128_store(cr + 8, c32); wasm_v128_store(cr + 12, c33);
    }
  }
  for (; i < m; i++) {
    for (int j = 0; j < n; j += 4) {
      v128_t acc = wasm_f32x4_splat(0.0f);
      for (int p = 0; p < k; p++) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(a[i * k + p]), wasm_v128_load(b + (j / 16) * 16 * k + p * 16 + j % 16)));
      wasm_v128_store(c + i * n + j, acc);
    }
  }
}
