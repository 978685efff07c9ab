#!/usr/bin/python3
"""PyTorch CPU eager reference for bench/dfa: direct feature attribution by head and source token of the
strongest features of every attention SAE on one text, each at its peak token, on the same weights.

One forward pass gives hook_z, hook_v and hook_pattern of every block; each SAE encodes its hook_z; the
attribution of all chosen features of an SAE is one einsum (PyTorch's best, vectorised over features).
Prints one JSON object: milliseconds of each timed run at 1 and at 2 torch threads, the features chosen
and the checksum Σ|part|, which the driver compares with ours.
    /usr/bin/python3 bench/torch_dfa.py <bundle-dir> <job.json> [--repeats N]
"""
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "train"))
import bundle_io  # noqa: E402
from torch_bench import page_round_args  # noqa: E402


@torch.no_grad()
def attribute(model, saes, ids, per_sae, n_heads):
    _, hooks = model(torch.tensor([ids]))
    queries, checksum = [], 0.0
    for sae_id, sae, layer in saes:
        z = hooks[f"blocks.{layer}.attn.hook_z"].reshape(len(ids), -1)
        acts = sae.encode(z)
        peak, at = acts[1:].max(dim=0)
        at = at + 1
        live = (peak > 0).nonzero().flatten()
        # strongest first, ties to the lower index (as ours)
        order = sorted(live.tolist(), key=lambda f: (-float(peak[f]), f))[:per_sae]
        top = torch.tensor(order, dtype=torch.long)
        dests = at[top]
        v = hooks[f"blocks.{layer}.attn.hook_v"][0]  # [T, H, d_head]
        pattern = hooks[f"blocks.{layer}.attn.hook_pattern"][0]  # [H, T, T]
        w = sae.W_enc[:, top].reshape(n_heads, -1, len(order))  # [H, d_head, F]
        vw = torch.einsum("thd,hdf->fht", v, w)  # [F, H, T]
        parts = pattern[:, dests, :].permute(1, 0, 2) * vw  # [F, H, T_src]
        checksum += float(parts.abs().sum())
        queries += [{"saeId": sae_id, "feature": f, "dest": int(d)} for f, d in zip(order, dests.tolist())]
    return queries, checksum


def main() -> None:
    bundle, job, repeats = page_round_args(__doc__, 5)
    manifest = json.loads((bundle / "manifest.json").read_text())
    model = bundle_io.load_model(bundle)
    saes = []
    for s in manifest["saes"]:
        if s["id"] in job["saeIds"]:
            sae, _ = bundle_io.load_sae(bundle / s["path"])
            saes.append((s["id"], sae, int(s["hook_name"].split(".")[1])))
    run = lambda: attribute(model, saes, job["ids"], job["features"], manifest["model"]["n_heads"])  # noqa: E731
    result = {"reference": "PyTorch %s CPU eager" % torch.__version__, "by_threads": {}}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        queries, checksum = run()  # warm-up, and the work to compare
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            run()
            runs.append((time.perf_counter() - t) * 1e3)
        result["by_threads"][str(threads)] = runs
    result.update(queries=queries, checksum=checksum)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
