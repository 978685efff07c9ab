"""The reference for bench/precompute.ts: the same dashboard statistics as src/engine/analysis,
computed as sae_vis computes them — batched PyTorch over all features at once, dense tensors — except
where a sparse product is the faster way (the correlations' Gram matrix of a sparse SAE), on the same
SAE and the same hook activations. Prints one JSON line: seconds and checksums.

    /usr/bin/python3 bench/precompute_torch.py <job.json>

job.json (written by bench/precompute.ts): acts (f32 [T, d_in] file), corpus (heldout.u16),
seq_len, n_seqs, sae_dir, weights (model_weights.safetensors), kind, layer, settings (the engine's,
correlationStride included: correlations are taken over the same tokens as the engine's).
Timed at 1 and at 2 threads; the faster is reported.
"""
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "models" / "train"))
from bundle_io import load_sae, read_safetensors  # noqa: E402

THREADS = (1, 2)
# Codes with fewer non-zeros than this fraction get the sparse Gram matrix.
SPARSE_GRAM_BELOW = 0.05


def histograms(values: torch.Tensor, rows: torch.Tensor, lo: torch.Tensor, hi: torch.Tensor, n_rows: int, bins: int) -> torch.Tensor:
    """[n_rows, bins] counts of `values`, each in row `rows`, over equal bins of [lo, hi] per row."""
    width = (hi - lo) / bins
    b = ((values - lo[rows]) / torch.where(width[rows] > 0, width[rows], torch.ones_like(values))).floor()
    b = torch.where(width[rows] > 0, b, torch.full_like(b, bins - 1)).clamp(0, bins - 1).long()
    return torch.bincount(rows * bins + b, minlength=n_rows * bins).view(n_rows, bins)


@torch.no_grad()
def dashboards(job: dict) -> dict:
    s = job["settings"]
    seq_len, n_seqs = job["seq_len"], job["n_seqs"]
    acts = torch.from_numpy(np.fromfile(job["acts"], dtype="<f4")).view(n_seqs * seq_len, -1)
    ids = torch.from_numpy(np.fromfile(job["corpus"], dtype="<u2")[: n_seqs * seq_len].astype(np.int64))
    sae, _ = load_sae(Path(job["sae_dir"]))
    weights = read_safetensors(Path(job["weights"]))
    T = acts.shape[0]
    F = sae.d_sae
    V = weights["W_U"].shape[1]
    bins, K, G, E = s["histogramBins"], s["topExamples"], s["intervals"], s["perInterval"]
    before, after = s["before"], s["after"]

    start = time.perf_counter()
    # Encode in chunks of 16 sequences (as the engine does), BOS positions left out.
    z = torch.empty(T, F)
    chunk = 16 * seq_len
    for i in range(0, T, chunk):
        z[i:i + chunk] = sae.encode(acts[i:i + chunk])
    z.view(n_seqs, seq_len, F)[:, 0, :] = 0
    encode_seconds = time.perf_counter() - start
    signed = bool((z < 0).any())

    # Density, extremes, mean, activation histograms, from the non-zeros (every column has zeros:
    # BOS rows at least, so the extremes start from 0 as a dense max/min over the column would).
    t_idx, f_idx = z.nonzero(as_tuple=True)
    vals = z[t_idx, f_idx]
    n_active = torch.bincount(f_idx, minlength=F)
    zmax = torch.zeros(F).scatter_reduce_(0, f_idx, vals, "amax")
    zmin = torch.zeros(F).scatter_reduce_(0, f_idx, vals, "amin")
    mean_active = torch.zeros(F).index_add_(0, f_idx, vals) / n_active.clamp(min=1)
    act_hist = histograms(vals, f_idx, zmin.clamp(max=0), zmax.clamp(min=0), F, bins)

    # Top examples: per-sequence peaks, the K highest sequences per feature.
    key = z.abs() if signed else z
    peak_val, peak_pos = key.view(n_seqs, seq_len, F).max(1)  # [n_seqs, F]
    top_val, top_seq = peak_val.topk(min(K, n_seqs), dim=0)  # [K, F]
    # Interval samples: sequences whose peak falls in each band, sampled at random, top ones excluded.
    max_key = peak_val.max(0).values.clamp(min=1e-30)
    group = ((peak_val / max_key) * G).ceil().clamp(1, G).long() - 1
    live = peak_val > 0
    taken = torch.zeros_like(live)
    taken.scatter_(0, top_seq, top_val > 0)
    draws = torch.rand(n_seqs, F, generator=torch.Generator().manual_seed(0))
    samples = []
    for g in range(G):
        in_g = live & (group == g)
        samples.append((in_g.sum(0), torch.where(in_g & ~taken, draws, torch.full_like(draws, -1.0)).topk(min(E, n_seqs), dim=0)))
    # Windows around every chosen peak: gather [examples, window] activations in one go.
    seqs = torch.cat([top_seq] + [sel.indices for _, sel in samples])  # [K + G·E, F]
    feats = torch.arange(F).expand_as(seqs)
    peaks = peak_pos[seqs, feats]
    offsets = torch.arange(-before, after + 1)
    pos = (peaks[..., None] + offsets).clamp(0, seq_len - 1)
    windows = z.view(n_seqs, seq_len, F)[seqs[..., None], pos, feats[..., None]]

    # Token profiles: each token's share of the feature's |activation|.
    cur = torch.zeros(F * V).index_add_(0, f_idx * V + ids[t_idx], vals.abs()).view(F, V)
    top_tokens = cur.topk(3, dim=1)

    # Pearson correlation of activations over the tokens the engine samples (every
    # correlationStride-th corpus token, BOS rows left out). For sparse codes the Gram matrix is a
    # sparse product: ~8× faster than the dense zᵀz on a TopK SAE (k 32 of 2048) here.
    t_all = torch.arange(T)
    zt = z[(t_all % max(1, s["correlationStride"]) == 0) & (t_all % seq_len != 0)]
    mean = zt.mean(0)
    if f_idx.numel() < SPARSE_GRAM_BELOW * T * F:
        sparse = zt.to_sparse()
        gram = torch.sparse.mm(sparse.t().coalesce(), sparse).to_dense()
    else:
        gram = zt.T @ zt
    cov = gram / zt.shape[0] - torch.outer(mean, mean)
    std = cov.diagonal().clamp(min=0).sqrt()
    corr = cov / torch.outer(std, std).clamp(min=1e-30)
    corr.fill_diagonal_(-2)
    corr[std == 0] = -2
    corr[:, std == 0] = -2
    correlated = corr.topk(s["correlated"], dim=1)

    # Logit effects through (W_O,) ln_final and W_U.
    W_dec = sae.W_dec.detach()
    d_model = weights["W_U"].shape[0]
    dirs = W_dec @ weights[f"blocks.{job['layer']}.attn.W_O"].reshape(-1, d_model) if job["kind"] == "attn" else W_dec
    dirs = (dirs - dirs.mean(1, keepdim=True)) * weights["ln_final.w"]
    effects = dirs @ weights["W_U"]
    effects -= effects.mean(1, keepdim=True)
    promoted = effects.topk(s["logitTokens"], dim=1)
    suppressed = (-effects).topk(s["logitTokens"], dim=1)
    rows = torch.arange(F).repeat_interleave(V)
    logit_hist = histograms(effects.reshape(-1), rows, effects.min(1).values, effects.max(1).values, F, bins)

    # Decoder neighbours by cosine similarity.
    unit = W_dec / W_dec.norm(dim=1, keepdim=True).clamp(min=1e-30)
    cos = unit @ unit.T
    cos.fill_diagonal_(-2)
    neighbours = cos.topk(s["neighbours"], dim=1)
    seconds = time.perf_counter() - start

    return {
        "seconds": seconds,
        "encode_seconds": encode_seconds,
        "torch": f"PyTorch {torch.__version__}",
        "tokens": T,
        "features": F,
        "n_active": n_active.tolist(),
        "max": zmax.tolist(),
        "top_seq": top_seq[0].tolist(),
        "top_logit": promoted.indices[:, 0].tolist(),
        "neighbour": neighbours.indices[:, 0].tolist(),
        "correlated": [c if v > 0 else -1 for c, v in zip(correlated.indices[:, 0].tolist(), correlated.values[:, 0].tolist())],
        "checks": [int(act_hist.sum()), int(logit_hist.sum()), float(windows.abs().sum()), float(top_tokens.values.sum()), float(mean_active.sum()), sum(int(c.sum()) for c, _ in samples)],
    }


def best_of_threads(job: dict) -> dict:
    by_threads, results = {}, {}
    for n in THREADS:
        torch.set_num_threads(n)
        results[str(n)] = dashboards(job)
        by_threads[str(n)] = results[str(n)]["seconds"]
    best = min(by_threads, key=by_threads.get)
    return {**results[best], "threads": int(best), "by_threads": by_threads}


if __name__ == "__main__":
    print(json.dumps(best_of_threads(json.loads(Path(sys.argv[1]).read_text()))))
