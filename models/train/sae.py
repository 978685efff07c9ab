"""Sparse autoencoders of every architecture the bundle ships, in their training form.

All share the SAELens parameterisation (W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec) and
`encode` here is the reference the browser's encoders are tested against (via the fixtures).
Inputs are scaled to unit mean squared norm while training; `fold_scale` folds that factor into the
weights at export, so the exported SAE reads raw activations (normalize_activations "none").
"""
import math

import torch
from torch import nn
from torch.nn import functional as F


class JumpReLU(torch.autograd.Function):
    """pre·H(pre − θ) with the straight-through rectangle-kernel gradient for θ (Rajamanoharan et al.).

    Elementwise: `threshold` has pre's shape (gathered per entry), and its gradient is per entry."""

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
        return grad * (pre > threshold), g_thr, None


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
        return None, -(1.0 / bw) * in_window * grad, None


def topk_mask(values: torch.Tensor, k: int) -> torch.Tensor:
    idx = values.topk(k, dim=-1).indices
    return torch.zeros_like(values).scatter_(-1, idx, 1.0)


def bag_decode(w_dec: torch.Tensor, idx: torch.Tensor, vals: torch.Tensor, offsets: torch.Tensor | None = None):
    """Σ_j vals_j·W_dec[idx_j] per row, touching only the active rows of W_dec (forward and backward).

    `idx`, `vals`: [B, k] (k per row), or flat with `offsets` (a variable number per row)."""
    return F.embedding_bag(idx, w_dec, offsets, mode="sum", per_sample_weights=vals)


def row_offsets(rows: torch.Tensor, n_rows: int) -> torch.Tensor:
    """embedding_bag offsets for flat entries sorted by row (as nonzero() returns them)."""
    counts = torch.bincount(rows, minlength=n_rows)
    return torch.cat([counts.new_zeros(1), counts.cumsum(0)[:-1]])


class Code:
    """A batch's sparse code in training: the latent of every non-zero entry, over `n_rows` rows."""

    def __init__(self, cols: torch.Tensor, n_rows: int):
        self.cols, self.n_rows = cols, n_rows

    def fired(self, d_sae: int) -> torch.Tensor:
        return torch.bincount(self.cols, minlength=d_sae) > 0

    def l0(self) -> float:
        return len(self.cols) / self.n_rows


MP_ROWS = 128


class SAE(nn.Module):
    def __init__(self, d_in: int, d_sae: int, architecture: str, k: int, *, bandwidth: float = 0.001,
                 l1_init_decoder_norm: float = 0.1, threshold_momentum: float = 0.95):
        super().__init__()
        self.d_in, self.d_sae, self.architecture, self.k = d_in, d_sae, architecture, k
        # the encoder starts as the decoder's transpose (Gao et al.; Anthropic's April 2024 update)
        w = torch.randn(d_sae, d_in)
        w = w / w.norm(dim=1, keepdim=True) * (l1_init_decoder_norm if architecture == "standard" else 1.0)
        self.W_dec = nn.Parameter(w)
        self.W_enc = nn.Parameter(w.T.clone())
        self.b_enc = nn.Parameter(torch.zeros(d_sae))
        self.b_dec = nn.Parameter(torch.zeros(d_in))
        if architecture == "jumprelu":
            self.log_threshold = nn.Parameter(torch.full((d_sae,), math.log(0.001)))
        if architecture == "batchtopk":
            self.register_buffer("threshold", torch.tensor([0.0]))
        self.bandwidth = bandwidth
        self.threshold_momentum = threshold_momentum
        self.apply_b_dec_to_input = architecture != "jumprelu"

    def pre(self, x):
        if self.apply_b_dec_to_input:
            x = x - self.b_dec
        return x @ self.W_enc + self.b_enc

    def train_pre(self, x):
        """`pre` with b_dec's gradient as a vector product: (x − b_dec)·W_enc would cost a second dense matmul."""
        bias = self.b_enc - self.b_dec @ self.W_enc if self.apply_b_dec_to_input else self.b_enc
        return x @ self.W_enc + bias

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
        """Dense latents from `mp_pursuit` (repeated picks of an atom add up)."""
        idx, vals = self.mp_pursuit(x, gram)
        return torch.zeros(x.shape[0], self.d_sae).scatter_add_(1, idx, vals)

    @torch.no_grad()
    def mp_pursuit(self, x: torch.Tensor, gram: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Matching pursuit with incremental scores: s ← s − z_j·G[j], G = W_dec W_decᵀ; k (atom, coefficient) picks per row.

        `gram`: G computed once by a caller whose weights are frozen (inference benchmarks)."""
        if gram is None:
            gram = self.W_dec @ self.W_dec.T
        idx = torch.empty(x.shape[0], self.k, dtype=torch.long)
        vals = torch.empty(x.shape[0], self.k)
        for start in range(0, x.shape[0], MP_ROWS):  # a few rows at a time, so the scores stay in cache
            rows = slice(start, start + MP_ROWS)
            scores = (x[rows] - self.b_dec) @ self.W_dec.T
            for t in range(self.k):
                j = scores.argmax(dim=-1)
                s = scores.gather(1, j[:, None])
                idx[rows, t], vals[rows, t] = j, s[:, 0]
                scores -= s * gram[j]
        return idx, vals

    def decode(self, z):
        return z @ self.W_dec + self.b_dec

    # ---- training forward: (reconstruction, code, sparsity loss, pre-activations for AuxK) ----
    def train_forward(self, x: torch.Tensor, coef: float):
        """The batch's loss terms; the decoder reads only the active latents (embedding_bag)."""
        a, n = self.architecture, x.shape[0]
        if a == "matching_pursuit":
            # the pursuit picks atoms and coefficients; the dictionary learns from the reconstruction
            # (online dictionary learning, Mairal et al. 2009) instead of backpropagating through 32 steps
            idx, vals = self.mp_pursuit(x)
            recon = bag_decode(self.W_dec, idx, vals) + self.b_dec
            return recon, Code(idx.flatten(), n), x.new_zeros(()), None
        pre = self.train_pre(x)
        sparsity = x.new_zeros(())
        if a in ("topk", "abstopk"):
            idx = (pre if a == "topk" else pre.abs()).detach().topk(self.k, dim=-1).indices
            vals = pre.gather(1, idx)
            if a == "topk":
                vals = vals.relu()
            recon = bag_decode(self.W_dec, idx, vals)
            code = Code(idx[vals.detach() != 0], n)
        elif a == "batchtopk":
            flat = pre.relu().flatten()
            kth = flat.detach().kthvalue(len(flat) - self.k * n + 1).values  # the batch's (k·B)-th largest
            keep = ((flat.detach() >= kth) & (flat.detach() > 0)).nonzero().squeeze(1)
            rows, cols = keep // self.d_sae, keep % self.d_sae
            vals = flat[keep]
            recon = bag_decode(self.W_dec, cols, vals, row_offsets(rows, n))
            code = Code(cols, n)
            with torch.no_grad():
                if len(vals):
                    m = self.threshold_momentum
                    first = bool(self.threshold == 0)
                    self.threshold.mul_(0.0 if first else m).add_((1.0 if first else 1 - m) * vals.min())
        elif a == "standard":
            rows, cols = (pre.detach() > 0).nonzero(as_tuple=True)
            vals = pre[rows, cols]
            recon = bag_decode(self.W_dec, cols, vals, row_offsets(rows, n))
            sparsity = coef * (vals * self.W_dec.norm(dim=1)[cols]).sum() / n
            code = Code(cols, n)
        elif a == "jumprelu":
            # Only active entries and those within the kernel's window of θ have a value or a
            # gradient; the window's inactive entries join the decode with value 0, so that
            # embedding_bag yields their reconstruction gradient for θ's pseudo-derivative.
            thr = self.log_threshold.exp()
            p = pre.detach()
            rows, cols = ((p > thr) | ((p - thr).abs() < self.bandwidth / 2)).nonzero(as_tuple=True)
            vals, t = pre[rows, cols], thr[cols]
            z = JumpReLU.apply(vals, t, self.bandwidth)
            recon = bag_decode(self.W_dec, cols, z, row_offsets(rows, n))
            sparsity = coef * Step.apply(vals, t, self.bandwidth).sum() / n
            code = Code(cols[z.detach() != 0], n)
        else:
            raise ValueError(a)
        return recon + self.b_dec, code, sparsity, pre

    def aux_loss(self, x, recon, pre, dead: torch.Tensor, k_aux: int) -> torch.Tensor:
        """AuxK (Gao et al.): the k_aux most active dead latents model the residual error, normalised by it."""
        if pre is None or not bool(dead.any()):
            return x.new_zeros(())
        dead_idx = dead.nonzero().squeeze(1)
        cand = pre[:, dead_idx]
        key = cand.abs() if self.architecture == "abstopk" else cand
        j = key.detach().topk(min(k_aux, len(dead_idx)), dim=-1).indices
        vals = cand.gather(1, j)
        if self.architecture != "abstopk":
            vals = vals.relu()
        err = (x - recon).detach()
        aux = bag_decode(self.W_dec, dead_idx[j], vals)
        return ((aux - err) ** 2).sum(-1).mean() / (err ** 2).sum(-1).mean().clamp_min(1e-8)

    @property
    def unit_decoder(self) -> bool:
        """Decoder rows held at unit norm (all but ReLU + L1, whose penalty is weighted by the norms)."""
        return self.architecture != "standard"

    @torch.no_grad()
    def project_decoder_grad(self):
        """Drop the gradient along each unit decoder row, which the renormalisation would undo (Gao et al.)."""
        if self.unit_decoder and self.W_dec.grad is not None:
            w, g = self.W_dec, self.W_dec.grad
            g.sub_((g * w).sum(1, keepdim=True) * w)

    @torch.no_grad()
    def normalize_decoder(self):
        if self.unit_decoder:
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
