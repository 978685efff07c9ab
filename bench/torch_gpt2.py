#!/usr/bin/python3
"""PyTorch CPU eager reference for bench/gpt2.ts: the forward pass of a Hugging Face GPT-2 folder
(models/train/hf_forward.py: the same weights, processed as TransformerLens does by default) on the
given token ids. Prints one JSON object: the milliseconds of each timed run.
    /usr/bin/python3 bench/torch_gpt2.py <hf-folder> <ids.json> [--repeats N]
"""
import argparse
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "train"))
import hf_forward  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("ids")
    p.add_argument("--repeats", type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(1)  # OpenBLAS uses both cores itself (../shared/MEASURED.md)
    cfg, state = hf_forward.load_hf(Path(a.folder))
    w = hf_forward.process(hf_forward.tl_weights(cfg, state), **hf_forward.TL_DEFAULTS)
    ids = torch.tensor(json.loads(Path(a.ids).read_text()))
    hf_forward.forward(cfg, w, ids)  # warm-up
    ms = []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        hf_forward.forward(cfg, w, ids)
        ms.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"ms": ms}))


if __name__ == "__main__":
    main()
