"""A GPT-2-style transformer (pre-LN, learned positions, GELU) with TransformerLens hook names.

`forward` takes optional additive deltas at the steering points (`steer_hooks`: the residual hooks,
each attention layer's `hook_z` and each MLP's `hook_mlp_out`; the same inputs the ONNX export
exposes for splicing and steering) and an optional `patch` map hook name → function, used to
splice SAE reconstructions in when measuring CE-loss recovered. A delta is added before the hook
is read, so the hook's output includes it.
"""
import math
from typing import Callable

import torch
from torch import nn
from torch.nn import functional as F

Patch = dict[str, Callable[[torch.Tensor], torch.Tensor]]


class Attention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, n_ctx: int):
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.out = nn.Linear(d_model, d_model)  # W_O as [n_heads·d_head, d_model] (transposed in nn.Linear)
        mask = torch.triu(torch.ones(n_ctx, n_ctx, dtype=torch.bool), diagonal=1)
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, x: torch.Tensor, layer: int, hooks: dict, deltas: dict | None, patch: Patch | None):
        b, s, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        q = q.view(b, s, self.n_heads, self.d_head)
        k = k.view(b, s, self.n_heads, self.d_head)
        v = v.view(b, s, self.n_heads, self.d_head)
        # Batched matmuls over [b, h, s, d_head], not einsum: onnxruntime-web runs the exported
        # MatMuls several times faster than its Einsum kernel.
        qh, kh, vh = (t.transpose(1, 2) for t in (q, k, v))
        scores = (qh @ kh.transpose(-1, -2)) / math.sqrt(self.d_head)
        scores = scores.masked_fill(self.mask[:s, :s], float("-inf"))
        pattern = scores.softmax(dim=-1)
        z = (pattern @ vh).transpose(1, 2)
        name = f"blocks.{layer}.attn"
        hooks[f"{name}.hook_v"] = v
        hooks[f"{name}.hook_pattern"] = pattern
        if deltas is not None and f"{name}.hook_z" in deltas:
            # the delta comes flat [b, s, n_heads·d_head], like every other delta input
            z = z + deltas[f"{name}.hook_z"].view(b, s, self.n_heads, self.d_head)
        if patch and f"{name}.hook_z" in patch:
            z = patch[f"{name}.hook_z"](z)
        hooks[f"{name}.hook_z"] = z
        return self.out(z.reshape(b, s, d))


class Block(nn.Module):
    def __init__(self, d_model: int, n_heads: int, n_ctx: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = Attention(d_model, n_heads, n_ctx)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp_in = nn.Linear(d_model, 4 * d_model)
        self.mlp_out = nn.Linear(4 * d_model, d_model)

    def forward(self, x, layer, hooks, deltas, patch):
        x = x + self.attn(self.ln1(x), layer, hooks, deltas, patch)
        out = self.mlp_out(F.gelu(self.mlp_in(self.ln2(x))))
        name = f"blocks.{layer}.hook_mlp_out"
        if deltas is not None and name in deltas:
            out = out + deltas[name]
        if patch and name in patch:
            out = patch[name](out)
        hooks[name] = out
        return x + out


class GPT(nn.Module):
    def __init__(self, vocab_size: int, n_layers: int, d_model: int, n_heads: int, n_ctx: int):
        super().__init__()
        self.n_layers, self.d_model, self.n_heads, self.n_ctx = n_layers, d_model, n_heads, n_ctx
        self.embed = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Parameter(torch.zeros(n_ctx, d_model))
        self.blocks = nn.ModuleList(Block(d_model, n_heads, n_ctx) for _ in range(n_layers))
        self.ln_f = nn.LayerNorm(d_model)
        self.apply(self._init)
        nn.init.normal_(self.pos, std=0.01)
        for blk in self.blocks:  # GPT-2's scaled init of the residual writers
            nn.init.normal_(blk.attn.out.weight, std=0.02 / math.sqrt(2 * n_layers))
            nn.init.normal_(blk.mlp_out.weight, std=0.02 / math.sqrt(2 * n_layers))

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    @property
    def steer_hooks(self) -> list[str]:
        """The hooks that take an additive delta, in forward order."""
        names = []
        for l in range(self.n_layers):
            names += [f"blocks.{l}.hook_resid_pre", f"blocks.{l}.attn.hook_z", f"blocks.{l}.hook_mlp_out"]
        return names + [f"blocks.{self.n_layers - 1}.hook_resid_post"]

    def _resid(self, x, name, deltas, hooks, patch):
        if deltas is not None and name in deltas:
            x = x + deltas[name]
        if patch and name in patch:
            x = patch[name](x)
        hooks[name] = x
        return x

    def forward(self, ids: torch.Tensor, deltas: dict | None = None, patch: Patch | None = None):
        """Returns (logits, hooks) with hooks keyed by TransformerLens names."""
        s = ids.shape[1]
        hooks: dict[str, torch.Tensor] = {}
        x = self.embed(ids) + self.pos[:s]
        for l, blk in enumerate(self.blocks):
            x = self._resid(x, f"blocks.{l}.hook_resid_pre", deltas, hooks, patch)
            x = blk(x, l, hooks, deltas, patch)
            x = self._resid(x, f"blocks.{l}.hook_resid_post", deltas, hooks, patch)
        logits = self.ln_f(x) @ self.embed.weight.T
        return logits, hooks

    def hook_names(self) -> list[str]:
        names = []
        for l in range(self.n_layers):
            names += [f"blocks.{l}.hook_resid_pre", f"blocks.{l}.hook_resid_post",
                      f"blocks.{l}.attn.hook_z", f"blocks.{l}.attn.hook_v", f"blocks.{l}.attn.hook_pattern",
                      f"blocks.{l}.hook_mlp_out"]
        return names
