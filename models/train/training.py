"""Training loops: the language model on token windows, SAEs on collected activations."""
import math
import time

import torch
from torch.nn import functional as F

from model import GPT
from sae import SAE


def windows(stream: torch.Tensor, n: int, seq_len: int, bos: int, gen: torch.Generator) -> torch.Tensor:
    """n random windows of the token stream, each starting with BOS as in the browser."""
    starts = torch.randint(0, len(stream) - seq_len, (n,), generator=gen)
    body = torch.stack([stream[s:s + seq_len - 1] for s in starts.tolist()])
    return torch.cat([torch.full((n, 1), bos, dtype=body.dtype), body], dim=1)


def fixed_windows(stream: torch.Tensor, seq_len: int, limit: int, bos: int) -> torch.Tensor:
    """Consecutive non-overlapping windows (for evaluation and the dashboards' corpus)."""
    step = seq_len - 1
    n = min(limit, (len(stream) - 1) // step)
    body = stream[: n * step].view(n, step)
    return torch.cat([torch.full((n, 1), bos, dtype=body.dtype), body], dim=1)


def lm_loss(model: GPT, batch: torch.Tensor, patch=None) -> torch.Tensor:
    logits, _ = model(batch[:, :-1], patch=patch)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))


@torch.no_grad()
def eval_loss(model: GPT, seqs: torch.Tensor, batch: int = 16, patch=None) -> float:
    model.eval()
    total = 0.0
    for i in range(0, len(seqs), batch):
        chunk = seqs[i:i + batch]
        total += lm_loss(model, chunk, patch).item() * len(chunk)
    model.train()
    return total / len(seqs)


def train_lm(cfg, train_stream, heldout_seqs, bos: int, log) -> tuple[GPT, dict]:
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    model = GPT(cfg.vocab_size, cfg.n_layers, cfg.d_model, cfg.n_heads, cfg.n_ctx)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lm_lr, betas=(0.9, 0.95))
    curve, t0, recent = [], time.time(), []
    eval_every = max(cfg.lm_steps // 8, 1)
    for step in range(1, cfg.lm_steps + 1):
        lr = cfg.lm_lr * min(step / cfg.lm_warmup, 0.5 * (1 + math.cos(math.pi * step / cfg.lm_steps)) * 0.9 + 0.1)
        for g in opt.param_groups:
            g["lr"] = lr
        batch = windows(train_stream, cfg.lm_batch, cfg.n_ctx + 1, bos, gen)
        loss = lm_loss(model, batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        recent.append(loss.item())
        if step % eval_every == 0 or step == cfg.lm_steps:
            held = eval_loss(model, heldout_seqs[:64])
            train_avg = sum(recent) / len(recent)
            recent = []
            curve.append({"step": step, "train_loss": train_avg, "heldout_loss": held, "seconds": time.time() - t0})
            log(f"lm step {step}/{cfg.lm_steps} train {train_avg:.3f} heldout {held:.3f} ({time.time() - t0:.0f}s)")
    return model, {"curve": curve, "seconds": time.time() - t0, "tokens": cfg.lm_steps * cfg.lm_batch * cfg.n_ctx}


@torch.no_grad()
def collect(model: GPT, seqs: torch.Tensor, hooks: list[str], batch: int = 32) -> dict[str, torch.Tensor]:
    """Activations at each hook for every position but BOS, flattened to [tokens, d] (fp16 to save RAM)."""
    model.eval()
    out: dict[str, list[torch.Tensor]] = {h: [] for h in hooks}
    for i in range(0, len(seqs), batch):
        _, acts = model(seqs[i:i + batch])
        for h in hooks:
            a = acts[h][:, 1:]
            out[h].append(a.reshape(-1, a.shape[-1] if a.dim() == 3 else a.shape[-2] * a.shape[-1]).half())
    return {h: torch.cat(v) for h, v in out.items()}


def train_sae(spec, acts: torch.Tensor, cfg, log) -> tuple[SAE, dict]:
    torch.manual_seed(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    d_in = acts.shape[1]
    d_sae = d_in * spec.expansion
    scale = float(1.0 / acts[:65536].float().pow(2).sum(-1).mean().sqrt())
    sae = SAE(d_in, d_sae, spec.architecture, spec.k)
    with torch.no_grad():
        sample = acts[:65536].float() * scale
        sae.b_dec.copy_(sample.mean(0))
        if spec.architecture == "jumprelu":
            # start every threshold at the pre-activation quantile that gives L0 ≈ 4k; the L0 penalty takes it from there
            pre = sae.pre(sample[:8192])
            q = 1.0 - min(4.0 * spec.k / d_sae, 0.5)
            sae.log_threshold.copy_(pre.quantile(q, dim=0).clamp_min(1e-4).log())
    batch = cfg.sae_batch if spec.architecture != "matching_pursuit" else min(cfg.sae_batch, 1024)
    lr = cfg.sae_lr
    thresholds = [p for n, p in sae.named_parameters() if n == "log_threshold"]
    others = [p for n, p in sae.named_parameters() if n != "log_threshold"]
    # thresholds live in log space and must travel far in few steps: a larger step size for them
    opt = torch.optim.Adam([{"params": others, "lr": lr, "base": lr}, {"params": thresholds, "lr": 20 * lr, "base": 20 * lr}])
    steps = len(acts) // batch
    l1_coef = {"standard": 0.01, "jumprelu": 0.0001}.get(spec.architecture, 0.0)
    since_fired = torch.zeros(d_sae)
    dead_after = max(steps // 20, 50) * batch  # tokens without firing before a latent counts as dead for AuxK
    t0 = time.time()
    perm = torch.randperm(len(acts), generator=gen)
    for step in range(steps):
        x = acts[perm[step * batch:(step + 1) * batch]].float() * scale
        recon, z, sparsity, pre = sae.train_forward(x, l1_coef)
        mse = ((recon - x) ** 2).sum(-1).mean()
        loss = mse + sparsity
        if spec.architecture in ("topk", "abstopk", "batchtopk"):
            loss = loss + (1 / 32) * sae.aux_loss(x, recon, pre, since_fired > dead_after)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        for g in opt.param_groups:  # linear decay over the last 20%
            g["lr"] = g["base"] * min(1.0, (steps - step) / (0.2 * steps))
        opt.step()
        sae.normalize_decoder()
        with torch.no_grad():
            fired = (z != 0).any(0)
            since_fired += batch
            since_fired[fired] = 0
            l0 = (z != 0).float().sum(-1).mean().item()
            if spec.architecture in ("standard", "jumprelu"):
                # a controller on the sparsity coefficient steers L0 to the target instead of hand tuning
                l1_coef *= math.exp(0.03 * math.tanh(l0 / spec.k - 1))
        if step % max(steps // 5, 1) == 0 or step == steps - 1:
            fvu = (((recon - x) ** 2).sum() / ((x - x.mean(0)) ** 2).sum()).item()
            log(f"  {spec.id} step {step}/{steps} mse {mse.item():.4f} fvu {fvu:.3f} L0 {l0:.1f} "
                f"dead {(since_fired > dead_after).float().mean().item():.3f} ({time.time() - t0:.0f}s)")
    sae.fold_scale(scale)
    return sae, {"train_tokens": steps * batch, "train_seconds": time.time() - t0, "input_scale": scale,
                 "final_sparsity_coef": l1_coef}
