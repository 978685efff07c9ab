#!/usr/bin/python3
"""PyTorch CPU eager reference for bench/steering: the same side-by-side steered generation and splice
analysis as the steering page, on the same weights, with the same intervention.

The model (models/train/model.py) has no KV cache: like ours, every token re-runs the whole sequence.
Greedy decoding, so both sides must produce the very same tokens (the driver checks).
Prints one JSON object with the milliseconds of each timed run at 1 and at 2 torch threads.
    /usr/bin/python3 bench/torch_steering.py <bundle-dir> <job.json> [--repeats N]
"""
import json
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models" / "train"))
import bundle_io  # noqa: E402
from torch_bench import page_round_args  # noqa: E402


def log_softmax_at(logits: torch.Tensor, token: int) -> float:
    return float(torch.log_softmax(logits, -1)[token])


@torch.no_grad()
def side_by_side(model, prompt, direction, point, n_tokens, n_ctx, eos):
    """Steered and unsteered greedy continuations, token by token in turn, then each scored by the other model."""
    def logits(ids, steered):
        deltas = None
        if steered:
            d = direction.expand(1, len(ids), -1).clone()
            d[:, 0] = 0  # BOS is never steered
            deltas = {point: d}
        return model(torch.tensor([ids]), deltas=deltas)[0][0]

    branches = {True: list(prompt), False: list(prompt)}
    logprobs = {True: [], False: []}
    done = {True: False, False: False}
    for _ in range(n_tokens):
        for steered in (True, False):
            ids = branches[steered]
            if done[steered] or len(ids) >= n_ctx:
                continue
            last = logits(ids, steered)[-1]
            token = int(torch.argmax(last))
            logprobs[steered].append(log_softmax_at(last, token))
            ids.append(token)
            done[steered] = token == eos
    p = len(prompt)
    for steered in (True, False):
        ids = branches[steered]
        other = torch.log_softmax(logits(ids, not steered), -1)
        _cross = [float(other[p + i - 1, ids[p + i]]) for i in range(len(ids) - p)]
    return branches[True][p:], branches[False][p:]


@torch.no_grad()
def splice(model, sae, ids, hook, point):
    """Per-token reconstruction error and CE change with the SAE spliced in, and CE zero-ablated."""
    x = torch.tensor([ids])
    clean, hooks = model(x)
    acts = hooks[hook].reshape(1, len(ids), -1)
    recon = sae.decode(sae.encode(acts[0]))[None]
    delta = recon - acts
    delta[:, 0] = 0
    zero = -acts.clone()
    zero[:, 0] = 0
    spliced = model(x, deltas={point: delta})[0]
    zeroed = model(x, deltas={point: zero})[0]
    errors = ((recon - acts) ** 2).sum(-1) / (acts ** 2).sum(-1)
    target = x[0, 1:]
    nll = [torch.nn.functional.cross_entropy(l[0, :-1], target, reduction="none") for l in (clean, spliced, zeroed)]
    return float(nll[1].mean()), errors, nll[1] - nll[0]


def main() -> None:
    bundle, job, repeats = page_round_args(__doc__, 3)
    manifest = json.loads((bundle / "manifest.json").read_text())
    m = manifest["model"]
    model = bundle_io.load_model(bundle)
    sae, _ = bundle_io.load_sae(bundle / job["saePath"])
    direction = job["value"] * sae.W_dec[job["feature"]].detach()

    gen = lambda: side_by_side(model, job["promptIds"], direction, job["point"], job["tokens"], m["n_ctx"], m["bos_token_id"])  # noqa: E731
    spl = lambda: splice(model, sae, job["spliceIds"], job["hook"], job["point"])  # noqa: E731
    result = {"reference": "PyTorch %s CPU eager, no KV cache" % torch.__version__, "by_threads": {}}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        steered, unsteered = gen()  # warm-up, and the tokens to compare
        ce_spliced = spl()[0]
        runs = {"generate_ms": [], "splice_ms": []}
        for _ in range(repeats):
            t = time.perf_counter()
            gen()
            runs["generate_ms"].append((time.perf_counter() - t) * 1e3)
            t = time.perf_counter()
            spl()
            runs["splice_ms"].append((time.perf_counter() - t) * 1e3)
        result["by_threads"][str(threads)] = runs
    result.update(steered=steered, unsteered=unsteered, ce_spliced=ce_spliced)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
