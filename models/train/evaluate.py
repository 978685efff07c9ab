"""The report's numbers: language-model quality and, per SAE, L0 / FVU / dead / dense / CE recovered."""

import torch
from torch.nn import functional as F

from model import GPT
from training import eval_loss


def unigram_loss(train_stream: torch.Tensor, heldout_seqs: torch.Tensor, vocab_size: int) -> float:
    counts = torch.bincount(train_stream, minlength=vocab_size).double() + 1.0
    logp = (counts / counts.sum()).log()
    targets = heldout_seqs[:, 1:].reshape(-1)
    return float(-logp[targets].mean())


@torch.no_grad()
def sample(model: GPT, tok, prompt: str, n_new: int, bos: int, seed: int) -> str:
    gen = torch.Generator().manual_seed(seed)
    ids = [bos] + tok.encode(prompt)
    model.eval()
    for _ in range(n_new):
        logits, _ = model(torch.tensor([ids[-model.n_ctx:]]))
        probs = F.softmax(logits[0, -1] / 0.8, dim=-1)
        top = probs.topk(40)
        nxt = top.indices[torch.multinomial(top.values / top.values.sum(), 1, generator=gen)].item()
        if nxt == bos:
            break
        ids.append(nxt)
    return tok.decode(ids[1:])


def _flat(h: torch.Tensor) -> torch.Tensor:
    return h.reshape(*h.shape[:2], -1)


def splice(sae, hook: str):
    """Replace every position but BOS with the SAE's reconstruction."""
    def patch(h):
        flat = _flat(h)
        recon = sae.decode(sae.encode(flat[:, 1:].reshape(-1, flat.shape[-1]))).view_as(flat[:, 1:])
        return torch.cat([flat[:, :1], recon], dim=1).view_as(h)
    return {hook: patch}


def zero_ablate(hook: str):
    def patch(h):
        out = h.clone()
        out[:, 1:] = 0
        return out
    return {hook: patch}


@torch.no_grad()
def evaluate_sae(model: GPT, sae, spec, acts: torch.Tensor, seqs: torch.Tensor, clean_ce: float) -> dict:
    z_all, sq_err, total_var, n = [], 0.0, 0.0, 0
    mean = acts.float().mean(0)
    fired = torch.zeros(sae.d_sae)
    l0_sum = 0.0
    for i in range(0, len(acts), 4096):
        x = acts[i:i + 4096].float()
        z = sae.encode(x)
        recon = sae.decode(z)
        sq_err += float(((recon - x) ** 2).sum())
        total_var += float(((x - mean) ** 2).sum())
        nz = z != 0
        fired += nz.float().sum(0)
        l0_sum += float(nz.float().sum())
        n += len(x)
    density = fired / n
    ce_sae = eval_loss(model, seqs, patch=splice(sae, spec.hook))
    ce_zero = eval_loss(model, seqs, patch=zero_ablate(spec.hook))
    recovered = (ce_zero - ce_sae) / (ce_zero - clean_ce) if ce_zero != clean_ce else float("nan")
    return {
        "l0": l0_sum / n,
        "fvu": sq_err / total_var,
        "dead_pct": 100.0 * float((density == 0).float().mean()),
        "dense_pct": 100.0 * float((density > 0.1).float().mean()),
        "ce_clean": clean_ce,
        "ce_with_sae": ce_sae,
        "ce_zero_ablation": ce_zero,
        "ce_loss_recovered_pct": 100.0 * recovered,
        "eval_tokens": n,
        "log10_density_mean": float(density.clamp_min(1e-10).log10().mean()),
    }


def report_markdown(report: dict) -> str:
    lm = report["model"]
    lines = [
        f"# {report['name']} — training report",
        "",
        f"Transformer: {lm['n_layers']} layers, d_model {lm['d_model']}, {lm['n_heads']} heads, context {lm['n_ctx']}, "
        f"vocab {lm['vocab_size']}, {lm['params'] / 1e6:.2f}M parameters; {lm['train_tokens'] / 1e6:.1f}M training tokens "
        f"in {lm['train_seconds'] / 60:.1f} min.",
        "",
        "| loss (nats/token) | value |",
        "|---|---|",
        f"| train (last interval) | {lm['train_loss']:.3f} |",
        f"| held-out | {lm['heldout_loss']:.3f} |",
        f"| held-out − train | {lm['heldout_loss'] - lm['train_loss']:+.3f} |",
        f"| unigram baseline (held-out) | {lm['unigram_loss']:.3f} |",
        "",
        "## Samples (temperature 0.8, top-40)",
        "",
    ]
    lines += [f"- **{s['prompt']}** → {s['text'][len(s['prompt']):]!r}" for s in lm["samples"]]
    lines += ["", "## SAEs", "",
              "| SAE | hook | arch | d_sae | L0 | FVU | dead % | dense % | CE recovered % | train tokens | train s |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in report["saes"]:
        lines.append(f"| {s['id']} | `{s['hook_name']}` | {s['architecture']} | {s['d_sae']} | {s['l0']:.1f} | "
                     f"{s['fvu']:.3f} | {s['dead_pct']:.2f} | {s['dense_pct']:.2f} | {s['ce_loss_recovered_pct']:.1f} | "
                     f"{s['train_tokens']} | {s['train_seconds']:.0f} |")
    lines += ["", "Targets for the TopK residual SAEs: FVU ≤ 0.10 at L0 ≈ 32, dead ≤ 1 %, CE recovered ≥ 90 %.", ""]
    missed = [f"- {s['id']}: " + ", ".join(m for m in s["missed"]) for s in report["saes"] if s.get("missed")]
    lines += (["Missed targets:", *missed] if missed else ["Every TopK residual SAE meets the targets."]) + [""]
    return "\n".join(lines)


def missed_targets(entry: dict) -> list[str]:
    if entry["kind"] != "resid" or entry["architecture"] != "topk":
        return []
    out = []
    if entry["fvu"] > 0.10:
        out.append(f"FVU {entry['fvu']:.3f} > 0.10")
    if entry["dead_pct"] > 1.0:
        out.append(f"dead {entry['dead_pct']:.2f} % > 1 %")
    if entry["ce_loss_recovered_pct"] < 90.0:
        out.append(f"CE recovered {entry['ce_loss_recovered_pct']:.1f} % < 90 %")
    return out


