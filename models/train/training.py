"""Training loops: the language model on token windows, SAEs on collected activations."""
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

import export
from config import stage_key
from model import GPT
from sae import SAE, bag_decode, row_offsets


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def windows(stream: torch.Tensor, n: int, seq_len: int, bos: int, gen: torch.Generator) -> torch.Tensor:
    """n random windows of the token stream, each starting with BOS as in the browser."""
    starts = torch.randint(0, len(stream) - seq_len, (n,), generator=gen)
    body = torch.stack([stream[s:s + seq_len - 1] for s in starts.tolist()])
    return torch.cat([torch.full((n, 1), bos, dtype=body.dtype), body], dim=1)


def fixed_windows(stream: torch.Tensor, seq_len: int, limit: int, bos: int) -> torch.Tensor:
    """Consecutive non-overlapping windows (for evaluation and the dashboards' corpus)."""
    step = seq_len - 1
    n = max(min(limit, (len(stream) - 1) // step), 0)
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
    t = cfg.lm_training
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": t.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=cfg.lm_lr, betas=t.betas)
    curve, t0, recent = [], time.time(), []
    eval_every = max(cfg.lm_steps // t.evals, 1)
    for step in range(1, cfg.lm_steps + 1):
        cosine = 0.5 * (1 + math.cos(math.pi * step / cfg.lm_steps))
        lr = cfg.lm_lr * min(step / cfg.lm_warmup, cosine * (1 - t.lr_floor) + t.lr_floor)
        for g in opt.param_groups:
            g["lr"] = lr
        batch = windows(train_stream, cfg.lm_batch, cfg.n_ctx + 1, bos, gen)
        loss = lm_loss(model, batch)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), t.grad_clip)
        opt.step()
        recent.append(loss.item())
        if step % eval_every == 0 or step == cfg.lm_steps:
            held = eval_loss(model, heldout_seqs[:t.eval_seqs])
            train_avg = sum(recent) / len(recent)
            recent = []
            curve.append({"step": step, "train_loss": train_avg, "heldout_loss": held, "seconds": time.time() - t0})
            log(f"lm step {step}/{cfg.lm_steps} train {train_avg:.3f} heldout {held:.3f} ({time.time() - t0:.0f}s)")
    return model, {"curve": curve, "seconds": time.time() - t0, "tokens": cfg.lm_steps * cfg.lm_batch * cfg.n_ctx}


@torch.no_grad()
def collect(model: GPT, seqs: torch.Tensor, hooks: list[str], folder: Path, n_tokens: int, log,
            batch: int = 32) -> None:
    """Activations at each hook for every position but BOS, as fp16 [n_tokens, d_model] files in `folder`
    (`<hook>.npy`; hook_z flattened over heads), written as they are computed so that RAM holds one
    batch; `done` marks completion."""
    model.eval()
    d = model.d_model
    folder.mkdir(parents=True, exist_ok=True)
    files = {h: np.lib.format.open_memmap(folder / f"{h}.npy", mode="w+", dtype=np.float16,
                                          shape=(n_tokens, d)) for h in hooks}
    at, t0 = 0, time.time()
    for i in range(0, len(seqs), batch):
        if at >= n_tokens:
            break
        _, acts = model(seqs[i:i + batch])
        for h in hooks:
            a = acts[h][:, 1:]
            rows = a.reshape(-1, d)[: n_tokens - at]
            files[h][at:at + len(rows)] = rows.half().numpy()
        at += len(rows)
        if (i // batch) % 100 == 0:
            log(f"  collected {at:,}/{n_tokens:,} ({time.time() - t0:.0f}s)")
    for f in files.values():
        f.flush()
    (folder / "done").write_text(json.dumps({"tokens": n_tokens, "seconds": time.time() - t0}) + "\n")


def load_acts(folder: Path, hook: str) -> torch.Tensor:
    return torch.from_numpy(np.load(folder / f"{hook}.npy"))


class SaeRun:
    """One SAE in training: its weights, optimiser, sparsity coefficient and firing record."""

    def __init__(self, spec, d_in: int, cfg, sample: torch.Tensor):
        t = cfg.sae_training
        self.spec, self.t = spec, t
        d_sae = d_in * spec.expansion
        self.sae = SAE(d_in, d_sae, spec.architecture, spec.k, bandwidth=t.jumprelu_bandwidth,
                       l1_init_decoder_norm=t.l1_init_decoder_norm, threshold_momentum=t.batchtopk_threshold_momentum)
        with torch.no_grad():
            self.sae.b_dec.copy_(sample.mean(0))
            if spec.architecture == "jumprelu":
                # every threshold starts at the pre-activation quantile where L0 ≈ factor·target
                pre = self.sae.pre(sample[:8192])
                q = 1.0 - min(t.jumprelu_init_l0_factor * spec.k / d_sae, 0.5)
                self.sae.log_threshold.copy_(pre.quantile(q, dim=0).clamp_min(1e-4).log())
        thresholds = [p for n, p in self.sae.named_parameters() if n == "log_threshold"]
        others = [p for n, p in self.sae.named_parameters() if n != "log_threshold"]
        lr = cfg.sae_lr
        self.opt = torch.optim.Adam([{"params": others, "lr": lr, "base": lr},
                                     {"params": thresholds, "lr": t.threshold_lr_factor * lr,
                                      "base": t.threshold_lr_factor * lr}], betas=t.betas)
        self.coef = {"standard": t.l1_coef_start, "jumprelu": t.jumprelu_l0_coef_start}.get(spec.architecture, 0.0)
        self.since_fired = torch.zeros(d_sae)
        self.k_aux = int(d_in * t.aux_k_fraction_of_d_in)
        self.seconds = 0.0
        self.last: dict = {}

    def state(self) -> dict:
        return {"sae": self.sae.state_dict(), "opt": self.opt.state_dict(), "coef": self.coef,
                "since_fired": self.since_fired, "seconds": self.seconds}

    def restore(self, st: dict) -> None:
        self.sae.load_state_dict(st["sae"])
        self.opt.load_state_dict(st["opt"])
        self.coef, self.since_fired, self.seconds = st["coef"], st["since_fired"], st["seconds"]

    def step(self, x: torch.Tensor, step: int, steps: int) -> None:
        t0 = time.time()
        t, sae, arch = self.t, self.sae, self.spec.architecture
        warm = min(1.0, (step + 1) / max(t.warmup_fraction * steps, 1))
        decay = min(1.0, (steps - step) / max(t.decay_fraction * steps, 1))
        coef_ramp = min(1.0, (step + 1) / max(t.l1_warmup_fraction * steps, 1))
        recon, code, sparsity, pre = sae.train_forward(x, self.coef * coef_ramp)
        mse = ((recon - x) ** 2).sum(-1).mean()
        loss = mse + sparsity
        dead = self.since_fired > t.dead_after_tokens
        if arch in ("topk", "abstopk", "batchtopk"):
            loss = loss + t.aux_k_weight * sae.aux_loss(x, recon, pre, dead, self.k_aux)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        sae.project_decoder_grad()
        torch.nn.utils.clip_grad_norm_(sae.parameters(), t.grad_clip)
        for g in self.opt.param_groups:
            g["lr"] = g["base"] * warm * decay
        self.opt.step()
        sae.normalize_decoder()
        with torch.no_grad():
            self.since_fired += len(x)
            self.since_fired[code.fired(sae.d_sae)] = 0
            l0 = code.l0()
            if arch in ("standard", "jumprelu") and coef_ramp >= 1.0:
                # steer L0 to the target instead of hand-tuning the coefficient
                self.coef *= math.exp(t.controller_gain * math.tanh(l0 / self.spec.k - 1))
            self.last = {"mse": float(mse), "l0": l0, "dead": float(dead.float().mean()),
                         "fvu": float(((recon - x) ** 2).sum() / ((x - x.mean(0)) ** 2).sum())}
        self.seconds += time.time() - t0


def train_hook_group(specs, acts: torch.Tensor, cfg, checkpoint: Path) -> dict:
    """Trains every SAE that reads one hook on the same shuffled stream of its activations, one batch
    at a time each; saves a checkpoint every few minutes and resumes from it. Returns id → (SAE, stats)."""
    torch.manual_seed(cfg.seed)
    t = cfg.sae_training
    sample = acts[: t.init_scale_tokens].float()
    scale = float(1.0 / sample.pow(2).sum(-1).mean().sqrt())  # unit mean squared norm while training
    runs = [SaeRun(spec, acts.shape[1], cfg, sample * scale) for spec in specs]
    batch = cfg.sae_batch
    steps = len(acts) // batch
    perm = torch.randperm(len(acts), generator=torch.Generator().manual_seed(cfg.seed))
    start = 0
    if checkpoint.exists():
        ck = torch.load(checkpoint)
        for run in runs:
            run.restore(ck["runs"][run.spec.id])
        start = ck["step"]
        torch.set_rng_state(ck["rng"])
        log(f"  resuming at step {start}/{steps} from {checkpoint.name}")
    saved_at = time.time()
    log_every = max(int(steps * t.log_every_fraction), 1)
    for step in range(start, steps):
        x = acts[perm[step * batch:(step + 1) * batch]].float() * scale
        for run in runs:
            run.step(x, step, steps)
        if step % log_every == 0 or step == steps - 1:
            for run in runs:
                m = run.last
                log(f"  {run.spec.id} step {step}/{steps} fvu {m['fvu']:.3f} L0 {m['l0']:.1f} "
                    f"dead {100 * m['dead']:.2f}% ({run.seconds:.0f}s)")
        if time.time() - saved_at > t.checkpoint_seconds and step < steps - 1:
            torch.save({"step": step + 1, "rng": torch.get_rng_state(),
                        "runs": {run.spec.id: run.state() for run in runs}}, checkpoint.with_suffix(".tmp"))
            checkpoint.with_suffix(".tmp").replace(checkpoint)
            saved_at = time.time()
    out = {}
    for run in runs:
        run.sae.fold_scale(scale)
        out[run.spec.id] = (run.sae, {"train_tokens": steps * batch, "train_seconds": run.seconds,
                                      "input_scale": scale, "final_sparsity_coef": run.coef,
                                      "train_dead_pct": 100 * run.last["dead"], "train_fvu": run.last["fvu"]})
    return out


def finetune_decoder(sae: SAE, acts: torch.Tensor, cfg) -> dict:
    """Refits W_dec of an exported (raw-input) SAE to its frozen encoder's codes on the last
    activations of `acts`, with the reconstruction loss alone (see config.DecoderFinetune). b_dec stays:
    the encoder subtracts it, so moving it would change the codes (and the L0) too."""
    ft = cfg.decoder_finetune
    batch = cfg.sae_batch
    data = acts[-ft.tokens:]
    steps = max(len(data) // batch, 1)
    scale = float(1.0 / data[:batch].float().pow(2).sum(-1).mean().sqrt())
    # the exported weights read raw activations: step sizes in their units
    opt = torch.optim.Adam([sae.W_dec], lr=cfg.sae_lr / scale, betas=cfg.sae_training.betas)
    base = opt.param_groups[0]["lr"]

    def fvu(x, recon):
        return float(((recon - x) ** 2).sum() / ((x - x.mean(0)) ** 2).sum())

    first = last = None
    for step in range(steps):
        x = data[step * batch:(step + 1) * batch].float()
        with torch.no_grad():
            z = sae.encode(x)
            rows, cols = (z > 0).nonzero(as_tuple=True)
            vals = z[rows, cols]
        recon = bag_decode(sae.W_dec, cols, vals, row_offsets(rows, len(x))) + sae.b_dec
        loss = ((recon - x) ** 2).sum(-1).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.param_groups[0]["lr"] = base * min(1.0, (steps - step) / max(ft.lr_decay_fraction * steps, 1))
        opt.step()
        last = fvu(x, recon.detach())
        first = last if first is None else first
    log(f"  decoder refit over {steps * batch:,} tokens: batch FVU {first:.3f} → {last:.3f}")
    return {"decoder_finetune_tokens": steps * batch, "decoder_finetune_fvu_before": first, "decoder_finetune_fvu_after": last}


# relative cost of one training step, for sharing SAEs out between processes
STEP_COST = {"matching_pursuit": 5.5, "batchtopk": 1.6, "jumprelu": 1.5, "standard": 1.5}


def share_out(specs, n: int) -> list[list]:
    """Longest job first onto the least-loaded process."""
    shares, loads = [[] for _ in range(n)], [0.0] * n
    for spec in sorted(specs, key=lambda s: -STEP_COST.get(s.architecture, 1.0)):
        i = loads.index(min(loads))
        shares[i].append(spec)
        loads[i] += STEP_COST.get(spec.architecture, 1.0)
    return shares


def train_share(specs, cfg, acts_dir: Path, paths: dict[str, Path]) -> None:
    """Trains `specs` (one pass over each hook's activations for all of its SAEs here) and saves each
    SAE, with fp16-rounded weights, to its path in `paths`."""
    torch.set_num_threads(1)
    for hook in sorted({s.hook for s in specs}):
        group = [s for s in specs if s.hook == hook]
        log(f"training {', '.join(s.id for s in group)} on {hook}")
        checkpoint = acts_dir.parent / "saes" / f"{hook}-{stage_key([paths[s.id].name for s in group])}.ckpt"
        trained = train_hook_group(group, load_acts(acts_dir, hook), cfg, checkpoint)
        for sae_id, (sae, stats) in trained.items():
            export.round_to_fp16(sae)
            torch.save((sae, stats), paths[sae_id])
        checkpoint.unlink(missing_ok=True)
