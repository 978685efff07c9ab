/*
 * The inner loops of certified screening (../screening.ts has the method and the bound), compiled
 * to WebAssembly SIMD128 by scripts/build-kernels.mjs. Freestanding: no libc, no allocator; the
 * caller lays out every array in this module's memory and passes byte offsets.
 *
 * The bounds are computed in float32; the relative margin (1e-6, about 16 ulps) covers their
 * rounding, including int32 products above 2^24 that convert inexactly.
 */
#include <wasm_simd128.h>

enum { TOPK = 0, ABSTOPK = 1, THRESHOLD = 2 };

/* Latent statistics, float32 [6][d_sae] (d_sae a multiple of 4, padding zeros):
 * σ_j, ‖w_j‖, ‖w_j − w̃_j‖, b_enc_j − b_dec·w_j, |that|, cut_j. */
enum { SCALE = 0, NORM = 1, QERR = 2, OFFSET = 3, ABS_OFFSET = 4, CUT = 5 };
/* Token statistics, float32 [n_tokens][3]: s_t, the input-side error E_t, ‖x̃_t‖. */

#define MARGIN 1e-6f

/* Σ a_i·b_i in float32 lanes; n is a multiple of 4 (the caller pads rows with zeros). */
static float dot(const float *a, const float *b, int n) {
  v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + i + 4), wasm_v128_load(b + i + 4)));
  }
  if (i < n) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  s0 = wasm_f32x4_add(s0, s1);
  return (wasm_f32x4_extract_lane(s0, 0) + wasm_f32x4_extract_lane(s0, 1)) +
         (wasm_f32x4_extract_lane(s0, 2) + wasm_f32x4_extract_lane(s0, 3));
}

static float key_of(float v, int abs_) { return abs_ && v < 0 ? -v : v; }

/* Whether (value a, latent i) ranks below (b, j): a smaller key, or an equal key and a higher index. */
static int worse(float a, unsigned i, float b, unsigned j) { return a < b || (a == b && i > j); }

/* Min-heap of floats: heap[0] is the smallest kept. */
static void float_sift_down(float *h, int size, int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < size && h[l] < h[m]) m = l;
    if (r < size && h[r] < h[m]) m = r;
    if (m == i) return;
    float t = h[m]; h[m] = h[i]; h[i] = t;
    i = m;
  }
}

/* Heap of (key, latent) by `worse`: the root is the worst of the kept. */
static void pair_sift_down(float *key, unsigned *id, int size, int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < size && worse(key[l], id[l], key[m], id[m])) m = l;
    if (r < size && worse(key[r], id[r], key[m], id[m])) m = r;
    if (m == i) return;
    float tk = key[m]; key[m] = key[i]; key[i] = tk;
    unsigned ti = id[m]; id[m] = id[i]; id[i] = ti;
    i = m;
  }
}

static void sort_by_feature(unsigned *f, float *v, int n) {
  for (int i = 1; i < n; i++) {
    unsigned fi = f[i]; float vi = v[i]; int j = i - 1;
    while (j >= 0 && f[j] > fi) { f[j + 1] = f[j]; v[j + 1] = v[j]; j--; }
    f[j + 1] = fi; v[j + 1] = vi;
  }
}

/*
 * Encodes n_tokens rows. input: [n_tokens][d_pad] float32 (the SAE's input, b_dec subtracted, zero
 * padded); rows: [d_sae][d_pad] float32 (W_enc latent-major); products: int32 [n_tokens][width],
 * this SAE's at `column` (width and column multiples of 4). Scratch: key, slack [d_sae] floats,
 * heap_key/heap_id [k], cand_value/cand [d_sae]. Writes compressed rows (features ascending) and
 * returns the number of latents scored exactly, or −1 when `capacity` entries do not suffice.
 */
__attribute__((export_name("screen_rows")))
int screen_rows(int mode, int d_pad, int d_sae, int k,
                const float *rows, const float *latent, const float *b_enc,
                int n_tokens, const float *input, const float *token,
                const int *products, int width, int column,
                float *key, float *slack, float *heap_key, unsigned *heap_id, unsigned *cand, float *cand_value,
                unsigned *row_start, unsigned *out_feature, float *out_value, int capacity) {
  const float *scale = latent + SCALE * d_sae, *norm = latent + NORM * d_sae, *qerr = latent + QERR * d_sae;
  const float *offset = latent + OFFSET * d_sae, *abs_offset = latent + ABS_OFFSET * d_sae, *cut = latent + CUT * d_sae;
  const int abs_ = mode == ABSTOPK;
  const int keep = k < d_sae ? k : d_sae;
  const v128_t margin = wasm_f32x4_splat(MARGIN);
  int at = 0, scored = 0;
  for (int t = 0; t < n_tokens; t++) {
    row_start[t] = at;
    const v128_t s = wasm_f32x4_splat(token[3 * t]), e_in = wasm_f32x4_splat(token[3 * t + 1]), r_q = wasm_f32x4_splat(token[3 * t + 2]);
    const int *p = products + t * width + column;
    const float *x = input + t * d_pad;
    /* approximate score a (|a| for AbsTopK) and its slack, four latents at a time */
    for (int j = 0; j < d_sae; j += 4) {
      v128_t prod = wasm_f32x4_convert_i32x4(wasm_v128_load(p + j));
      v128_t a = wasm_f32x4_add(wasm_f32x4_mul(prod, wasm_f32x4_mul(s, wasm_v128_load(scale + j))), wasm_v128_load(offset + j));
      v128_t e = wasm_f32x4_add(wasm_f32x4_mul(e_in, wasm_v128_load(norm + j)), wasm_f32x4_mul(r_q, wasm_v128_load(qerr + j)));
      v128_t abs_a = wasm_f32x4_abs(a);
      v128_t sl = wasm_f32x4_add(e, wasm_f32x4_mul(margin, wasm_f32x4_add(e, wasm_f32x4_add(abs_a, wasm_v128_load(abs_offset + j)))));
      wasm_v128_store(key + j, abs_ ? abs_a : a);
      wasm_v128_store(slack + j, sl);
    }
    int n = 0;
    if (mode == THRESHOLD) {
      for (int g = 0; g < d_sae; g += 4) {
        /* four latents at a time, most of which no bound reaches; written so a NaN bound is scored */
        v128_t out = wasm_f32x4_le(wasm_f32x4_add(wasm_v128_load(key + g), wasm_v128_load(slack + g)), wasm_v128_load(cut + g));
        if (wasm_i32x4_all_true(out)) continue;
        for (int j = g; j < g + 4; j++) {
          if (!(key[j] + slack[j] <= cut[j])) {
            scored++;
            float v = dot(x, rows + j * d_pad, d_pad) + b_enc[j];
            if (v > cut[j]) { cand[n] = j; cand_value[n] = v; n++; }
          }
        }
      }
    } else {
      /* λ: the keep-th largest lower bound */
      for (int j = 0; j < keep; j++) {
        float l = key[j] - slack[j];
        heap_key[j] = abs_ && l < 0 ? 0 : l;
      }
      for (int i = keep / 2 - 1; i >= 0; i--) float_sift_down(heap_key, keep, i);
      /* lower bounds below λ so far change nothing: skip four at a time while the root beats them all */
      int j0 = keep;
      for (; j0 < d_sae && j0 % 4; j0++) {
        float l = key[j0] - slack[j0];
        if (l > heap_key[0]) { heap_key[0] = l; float_sift_down(heap_key, keep, 0); }
      }
      for (int g = j0; g < d_sae; g += 4) {
        v128_t l4 = wasm_f32x4_sub(wasm_v128_load(key + g), wasm_v128_load(slack + g));
        if (!wasm_v128_any_true(wasm_f32x4_gt(l4, wasm_f32x4_splat(heap_key[0])))) continue;
        for (int j = g; j < g + 4; j++) {
          float l = key[j] - slack[j];
          if (l > heap_key[0]) { heap_key[0] = l; float_sift_down(heap_key, keep, 0); }
        }
      }
      const float lambda = keep > 0 ? heap_key[0] : 0;
      /* candidates: upper bound ≥ λ; the best `keep` of their exact scores, kept in a heap */
      int size = 0;
      const v128_t lambda4 = wasm_f32x4_splat(lambda);
      for (int j = 0; j < d_sae; j++) {
        /* a group of four whose upper bounds all fall below λ is skipped whole (NaN compares false: scored) */
        if (j % 4 == 0 && wasm_i32x4_all_true(wasm_f32x4_lt(wasm_f32x4_add(wasm_v128_load(key + j), wasm_v128_load(slack + j)), lambda4))) {
          j += 3;
          continue;
        }
        if (!(key[j] + slack[j] < lambda)) {
          scored++;
          float v = dot(x, rows + j * d_pad, d_pad) + b_enc[j];
          float kv = key_of(v, abs_);
          if (size < keep) {
            /* sift up */
            int i = size++;
            heap_key[i] = kv; heap_id[i] = j; cand_value[j] = v;
            while (i > 0) {
              int parent = (i - 1) / 2;
              if (!worse(heap_key[i], heap_id[i], heap_key[parent], heap_id[parent])) break;
              float tk = heap_key[parent]; heap_key[parent] = heap_key[i]; heap_key[i] = tk;
              unsigned ti = heap_id[parent]; heap_id[parent] = heap_id[i]; heap_id[i] = ti;
              i = parent;
            }
          } else if (worse(heap_key[0], heap_id[0], kv, j)) {
            heap_key[0] = kv; heap_id[0] = j; cand_value[j] = v;
            pair_sift_down(heap_key, heap_id, size, 0);
          }
        }
      }
      for (int i = 0; i < size; i++) heap_key[i] = cand_value[heap_id[i]];
      for (int i = 0; i < size; i++) {
        float v = heap_key[i];
        if (!abs_ && v < 0) v = 0;
        if (v != 0) { cand[n] = heap_id[i]; cand_value[n] = v; n++; }
      }
    }
    if (at + n > capacity) return -1;
    for (int i = 0; i < n; i++) { out_feature[at + i] = cand[i]; out_value[at + i] = cand_value[i]; }
    sort_by_feature(out_feature + at, out_value + at, n);
    at += n;
  }
  row_start[n_tokens] = at;
  return scored;
}
