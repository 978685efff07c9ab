#!/usr/bin/python3
"""PyTorch CPU eager reference for bench/model-saes: the bundle's model plus every bundled SAE.

Prints one JSON object: per input length, the milliseconds of each timed run at 1 and at 2 torch
threads (OpenBLAS does the matmuls), plus this machine's measured fp32 matmul peak in GFLOP/s.
bench/model-saes.ts calls it once per round, between rounds of ours, and picks the best thread count.
    /usr/bin/python3 bench/torch_model_saes.py <bundle-dir> [--repeats N] 128 256
"""
import json
import statistics
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "train"))
import bundle_io  # noqa: E402
from torch_bench import runs_ms  # noqa: E402


def median_ms(fn, repeats: int) -> float:
    return statistics.median(runs_ms(fn, repeats))


def matmul_peak_gflops() -> float:
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    best = 0.0
    for threads in (1, 2):
        torch.set_num_threads(threads)
        ms = median_ms(lambda: a @ b, 10)
        best = max(best, 2 * 1024 ** 3 / (ms * 1e-3) / 1e9)
    return best


def model_flops(manifest: dict, saes: list, t: int) -> float:
    m = manifest["model"]
    d, L, v = m["d_model"], m["n_layers"], m["d_vocab"]
    per_token = L * (2 * 12 * d * d) + 2 * d * v  # qkv+out (4d²) + mlp (8d²), and the unembedding
    attn = L * 2 * 2 * t * t * d / 2  # causal QKᵀ and PV, about half the square
    # one d_in × d_sae matmul per SAE; matching pursuit adds k score updates of d_sae each
    sae = sum(2 * s.d_in * s.d_sae + (2 * s.k * s.d_sae if s.architecture == "matching_pursuit" else 0)
              for s, _ in saes)
    return t * (per_token + sae) + attn


@torch.no_grad()
def encoder(sae):
    """The SAE's encode; matching pursuit gets its Gram matrix once, as ORT's constant folding does."""
    if sae.architecture != "matching_pursuit":
        return sae.encode
    gram = sae.W_dec @ sae.W_dec.T
    return lambda x: sae.mp_encode(x, gram)


def main() -> None:
    args = sys.argv[1:]
    repeats = 7
    if "--repeats" in args:
        i = args.index("--repeats")
        repeats = int(args[i + 1])
        del args[i:i + 2]
    bundle = Path(args[0])
    lengths = [int(x) for x in args[1:]] or [128, 256]
    manifest = json.loads((bundle / "manifest.json").read_text())
    model = bundle_io.load_model(bundle)
    saes = [(bundle_io.load_sae(bundle / s["path"])[0], s["hook_name"]) for s in manifest["saes"]]
    encoders = [encoder(sae) for sae, _ in saes]
    result = {"reference": "PyTorch %s CPU eager" % torch.__version__, "lengths": {}}
    # Clamped to the context, a length can repeat (128 and 1024 on a 128-token model).
    for t in dict.fromkeys(min(t, manifest["model"]["n_ctx"]) for t in lengths):
        ids = torch.randint(1, manifest["model"]["d_vocab"], (1, t))
        ids[0, 0] = manifest["model"]["bos_token_id"]

        @torch.no_grad()
        def step():
            _, hooks = model(ids)
            for encode, (_, hook) in zip(encoders, saes):
                h = hooks[hook][0]
                encode(h.reshape(h.shape[0], -1))

        # One encoder-shaped matmul alone, [t, d_in] × [d_in, d_sae] of the first SAE: how fast each side multiplies.
        first = saes[0][0]
        x, w = torch.randn(t, first.d_in), torch.randn(first.d_in, first.d_sae)
        by_threads, matmul_by_threads = {}, {}
        for threads in (1, 2):
            torch.set_num_threads(threads)
            by_threads[threads] = runs_ms(step, repeats)
            matmul_by_threads[threads] = runs_ms(lambda: x @ w, repeats)
        result["lengths"][str(t)] = {"runs_by_threads": by_threads, "matmul_runs_by_threads": matmul_by_threads,
                                     "gflop": model_flops(manifest, saes, t) / 1e9}
    result["matmul_peak_gflops"] = matmul_peak_gflops()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
