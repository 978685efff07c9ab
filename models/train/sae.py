"""Sparse autoencoders of every architecture the bundle ships, in their training form.

All share the SAELens parameterisation (W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec) and
`encode` here is the reference the browser's encoders are tested against (via the fixtures).
Inputs are scaled to unit mean squared norm while training; `fold_scale` folds that factor into the
weights at export, so the exported SAE reads raw activations (normalize_activations "none").
"""
import math

import torch
from torch import nn


class JumpReLU(torch.autograd.Function):
    """pre·H(pre − θ) with the straight-through rectangle-kernel gradient for θ (Rajamanoharan et al.)."""

    @staticmethod
    def forward(ctx, pre, threshold, bandwidth):
        ctx.save_for_backward(pre, threshold)
        ctx.bandwidth = bandwidth
        return pre * (pre > threshold)

    @staticmethod
    def backward(ctx, grad):
        pre, threshold = ctx.saved_tensors
        bw = ctx.bandwidth
        in_window = ((pre - threshold).abs() < bw / 2).to(pre.dtype)
        g_thr = -(threshold / bw) * in_window * grad
        return grad * (pre > threshold), g_thr.sum(0), None


class Step(torch.autograd.Function):
    """H(pre − θ), differentiable in θ through the same kernel: the L0 penalty of JumpReLU SAEs."""

    @staticmethod
    def forward(ctx, pre, threshold, bandwidth):
        ctx.save_for_backward(pre, threshold)
        ctx.bandwidth = bandwidth
        return (pre > threshold).to(pre.dtype)

    @staticmethod
    def backward(ctx, grad):
        pre, threshold = ctx.saved_tensors
        bw = ctx.bandwidth
        in_window = ((pre - threshold).abs() < bw / 2).to(pre.dtype)
        return None, (-(1.0 / bw) * in_window * grad).sum(0), None


def topk_mask(values: torch.Tensor, k: int) -> torch.Tensor:
    idx = values.topk(k, dim=-1).indices
    return torch.zeros_like(values).scatter_(-1, idx, 1.0)


class SAE(nn.Module):
    def __init__(self, d_in: int, d_sae: int, architecture: str, k: int):
        super().__init__()
        self.d_in, self.d_sae, self.architecture, self.k = d_in, d_sae, architecture, k
        w = torch.randn(d_sae, d_in)
        w = w / w.norm(dim=1, keepdim=True) * (0.1 if architecture != "matching_pursuit" else 1.0)
        self.W_dec = nn.Parameter(w)
        self.W_enc = nn.Parameter(w.T.clone())
        self.b_enc = nn.Parameter(torch.zeros(d_sae))
        self.b_dec = nn.Parameter(torch.zeros(d_in))
        if architecture == "jumprelu":
            self.log_threshold = nn.Parameter(torch.full((d_sae,), math.log(0.001)))
        if architecture == "batchtopk":
            self.register_buffer("threshold", torch.tensor([0.0]))
        self.bandwidth = 0.001
        self.apply_b_dec_to_input = architecture != "jumprelu"

    def pre(self, x):
        if self.apply_b_dec_to_input:
            x = x - self.b_dec
        return x @ self.W_enc + self.b_enc

    # ---- inference encoders: the reference for the browser ----
    def encode(self, x: torch.Tensor) -> torch.Tensor:
        a = self.architecture
        if a == "matching_pursuit":
            return self.mp_encode(x)
        pre = self.pre(x)
        if a == "standard":
            return pre.relu()
        if a == "topk":
            return pre.relu() * topk_mask(pre, self.k)
        if a == "abstopk":
            return pre * topk_mask(pre.abs(), self.k)
        if a == "jumprelu":
            return pre * (pre > self.frozen_threshold())
        if a == "batchtopk":
            return pre * (pre > self.threshold)
        raise ValueError(a)

    def frozen_threshold(self) -> torch.Tensor:
        """JumpReLU's threshold as exported (set by `freeze_threshold`), else as trained."""
        return self.threshold if hasattr(self, "threshold") else self.log_threshold.exp()

    @torch.no_grad()
    def freeze_threshold(self) -> None:
        """Pin the fp16 threshold the file will hold, so the reference computes with exactly it."""
        if self.architecture == "jumprelu":
            self.register_buffer("threshold", self.log_threshold.exp().half().float())
        elif self.architecture == "batchtopk":
            self.threshold.copy_(self.threshold.half().float())

    def mp_encode(self, x: torch.Tensor, gram: torch.Tensor | None = None) -> torch.Tensor:
        """Matching pursuit with incremental scores: s ← s − z_j·G[j], G = W_dec W_decᵀ.

        `gram`: G computed once by a caller whose weights are frozen (inference benchmarks)."""
        if gram is None:
            gram = self.W_dec @ self.W_dec.T
        scores = (x - self.b_dec) @ self.W_dec.T
        z = torch.zeros_like(scores)
        rows = torch.arange(x.shape[0])
        for _ in range(self.k):
            j = scores.argmax(dim=-1)
            s = scores[rows, j]
            z = z.index_put((rows, j), s, accumulate=True)
            scores = scores - s[:, None] * gram[j]
        return z

    def decode(self, z):
        return z @ self.W_dec + self.b_dec

    # ---- training forward: returns (reconstruction, acts, sparsity loss, pre) ----
    def train_forward(self, x: torch.Tensor, l1_coef: float):
        a = self.architecture
        if a == "matching_pursuit":
            z = self.mp_encode(x)
            return self.decode(z), z, x.new_zeros(()), None
        pre = self.pre(x)
        if a == "standard":
            z = pre.relu()
            sparsity = l1_coef * (z * self.W_dec.norm(dim=1)).sum(-1).mean()
        elif a == "topk":
            z = pre.relu() * topk_mask(pre, self.k)
            sparsity = x.new_zeros(())
        elif a == "abstopk":
            z = pre * topk_mask(pre.abs(), self.k)
            sparsity = x.new_zeros(())
        elif a == "batchtopk":
            flat = pre.relu().flatten()
            keep = flat.topk(self.k * x.shape[0]).indices
            z = torch.zeros_like(flat).scatter_(0, keep, flat[keep]).view_as(pre)
            with torch.no_grad():
                kept = z[z > 0]
                if kept.numel():
                    first = bool(self.threshold == 0)
                    self.threshold.mul_(0.0 if first else 0.95).add_((1.0 if first else 0.05) * kept.min())
            sparsity = x.new_zeros(())
        elif a == "jumprelu":
            thr = self.log_threshold.exp()
            z = JumpReLU.apply(pre, thr, self.bandwidth)
            sparsity = l1_coef * Step.apply(pre, thr, self.bandwidth).sum(-1).mean()
        else:
            raise ValueError(a)
        return self.decode(z), z, sparsity, pre

    def aux_loss(self, x, recon, pre, dead: torch.Tensor) -> torch.Tensor:
        """AuxK (Gao et al.): let the k_aux most active dead latents model the residual error."""
        n_dead = int(dead.sum())
        if pre is None or n_dead == 0:
            return x.new_zeros(())
        k_aux = min(self.d_in // 2, n_dead)
        masked = torch.where(dead, pre, torch.full_like(pre, -1e9))
        vals, idx = masked.topk(k_aux, dim=-1)
        z = torch.zeros_like(pre).scatter_(-1, idx, vals.relu())
        err = (x - recon).detach()
        aux = z @ self.W_dec
        return ((aux - err) ** 2).sum(-1).mean() / (err ** 2).sum(-1).mean().clamp_min(1e-8)

    @torch.no_grad()
    def normalize_decoder(self):
        if self.architecture in ("topk", "abstopk", "batchtopk", "matching_pursuit"):
            self.W_dec.div_(self.W_dec.norm(dim=1, keepdim=True).clamp_min(1e-8))

    @torch.no_grad()
    def fold_scale(self, scale: float):
        """Trained on x·scale; afterwards reads raw x: same latents (MP: latents ÷ scale)."""
        self.b_dec.div_(scale)
        if self.architecture == "matching_pursuit":
            self.W_enc.copy_(self.W_dec.T)
            return
        self.W_enc.mul_(scale)
        self.W_dec.div_(scale)

    def export_tensors(self) -> dict[str, torch.Tensor]:
        t = {"W_enc": self.W_enc, "W_dec": self.W_dec, "b_enc": self.b_enc, "b_dec": self.b_dec}
        if self.architecture in ("jumprelu", "batchtopk"):
            t["threshold"] = self.frozen_threshold()
        return {k: v.detach().clone() for k, v in t.items()}
