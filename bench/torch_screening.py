#!/usr/bin/python3
"""PyTorch CPU eager reference for bench/screening: the dense encode of a GPT-2-small-sized TopK SAE.

Rebuilds the very workload of tools/bench/screeningWorkload.ts (the same integer hashes, in numpy)
from the job's trained column norms and biases, then times relu(topk(x @ W_enc + b_enc, k)) and the
matmul alone, at 1 and 2 torch threads. Prints one JSON object with the milliseconds of each run
and Σ of the active values, which the driver compares with ours.
    /usr/bin/python3 bench/torch_screening.py <bundle-dir> <job.json> [--repeats N]
"""
import json

import numpy as np
import torch

from torch_bench import page_round_args, runs_ms

D_IN, D_SAE, K = 768, 24576, 32


def hash32(n: np.ndarray, seed: int) -> np.ndarray:
    h = (n.astype(np.uint32) + np.uint32(seed * 0x1000000))
    h = (h ^ (h >> np.uint32(16))) * np.uint32(0x85EBCA6B)
    h = (h ^ (h >> np.uint32(13))) * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def uniform(n: np.ndarray, seed: int) -> np.ndarray:
    return ((hash32(n, seed).astype(np.float64) + 0.5) / 2.0 ** 32) * 2 - 1


def workload(norms: list, biases: list, tokens: int):
    j = np.arange(D_SAE)
    scale = np.sqrt(3) * np.asarray(norms, dtype=np.float64)[j % len(norms)] / np.sqrt(D_IN)
    n = np.arange(D_IN * D_SAE, dtype=np.uint32).reshape(D_IN, D_SAE)
    w = (uniform(n, 1) * scale[None, :]).astype(np.float32)
    b = np.asarray(biases, dtype=np.float32)[j % len(biases)]
    m = np.arange(tokens * D_IN, dtype=np.uint32)
    x = (uniform(m, 2) + uniform(m, 3) + uniform(m, 4)).astype(np.float32).reshape(tokens, D_IN)
    return torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b)


@torch.no_grad()
def main() -> None:
    _, job, repeats = page_round_args(__doc__, 5)
    x, w, b = workload(job["norms"], job["biases"], job["tokens"])

    def encode():
        top = torch.topk(x @ w + b, K, dim=-1)
        return torch.relu(top.values), top.indices

    values, _ = encode()
    result = {"reference": "PyTorch %s CPU eager" % torch.__version__, "by_threads": {}, "matmul_by_threads": {},
              "checksum": float(values.double().sum())}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        result["by_threads"][str(threads)] = runs_ms(encode, repeats)
        result["matmul_by_threads"][str(threads)] = runs_ms(lambda: x @ w, repeats)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
