"""A PyTorch forward of a GPT-2 written from Hugging Face's layout, with TransformerLens's weight
processing, as the reference the browser's graph (src/engine/model/gpt2Graph.ts) is checked against.

The processing is TransformerLens's `HookedTransformer.from_pretrained` defaults, each a switch:
  fold_ln                 LayerNorm weights and biases folded into the weights that read them
                          (W_Q/W_K/W_V, W_in, W_U), whose input dimension is then centred
  center_writing_weights  W_E, W_pos, W_O, b_O, W_out, b_out centred over d_model
  center_unembed          W_U (and b_U) centred over the vocabulary
  fold_value_biases       b_V folded into b_O (Σ_h b_V[h] W_O[h]), b_V set to zero
It is written out here from TransformerLens's documented maths, not imported (TransformerLens is not
installed on our machines).

  /usr/bin/python3 models/train/hf_forward.py models/explorer-4l
checks the unprocessed forward against the bundle's own fixtures (the Hugging Face layout is the
same model), then writes fixtures/hf_processed.{json,safetensors}: every hook of the fixture prompts
with the default processing.
"""
import json
import math
import sys
from pathlib import Path

import torch
from torch.nn import functional as F

sys.path.insert(0, str(Path(__file__).parent))
import bundle_io  # noqa: E402
import export  # noqa: E402
from hf_layout import HF_FOLDER  # noqa: E402

TL_DEFAULTS = {"fold_ln": True, "center_writing_weights": True, "center_unembed": True, "fold_value_biases": True}
NO_PROCESSING = {k: False for k in TL_DEFAULTS}

ACTIVATIONS = {
    "gelu": lambda x: F.gelu(x),
    "gelu_new": lambda x: 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))),
}


def load_hf(folder: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    cfg = json.loads((folder / "config.json").read_text())
    state = {k.removeprefix("transformer."): v.float() for k, v in bundle_io.read_safetensors(folder / "model.safetensors").items()}
    return cfg, state


def tl_weights(cfg: dict, s: dict[str, torch.Tensor]) -> dict:
    """TransformerLens's layout: W_Q/W_K/W_V [n_heads, d_model, d_head], W_O [n_heads, d_head, d_model], …"""
    d, h = cfg["n_embd"], cfg["n_head"]
    dh = d // h
    w = {"W_E": s["wte.weight"], "W_pos": s["wpe.weight"], "layers": []}
    for l in range(cfg["n_layer"]):
        p = f"h.{l}."
        qkv_w, qkv_b = s[p + "attn.c_attn.weight"], s[p + "attn.c_attn.bias"]
        heads_in = lambda m: m.reshape(d, h, dh).permute(1, 0, 2).contiguous()  # noqa: E731
        w["layers"].append({
            "ln1_w": s[p + "ln_1.weight"], "ln1_b": s[p + "ln_1.bias"],
            "W_Q": heads_in(qkv_w[:, :d]), "W_K": heads_in(qkv_w[:, d:2 * d]), "W_V": heads_in(qkv_w[:, 2 * d:]),
            "b_Q": qkv_b[:d].reshape(h, dh), "b_K": qkv_b[d:2 * d].reshape(h, dh), "b_V": qkv_b[2 * d:].reshape(h, dh),
            "W_O": s[p + "attn.c_proj.weight"].reshape(h, dh, d), "b_O": s[p + "attn.c_proj.bias"],
            "ln2_w": s[p + "ln_2.weight"], "ln2_b": s[p + "ln_2.bias"],
            "W_in": s[p + "mlp.c_fc.weight"], "b_in": s[p + "mlp.c_fc.bias"],
            "W_out": s[p + "mlp.c_proj.weight"], "b_out": s[p + "mlp.c_proj.bias"],
        })
    w_u = s["lm_head.weight"].T if "lm_head.weight" in s else s["wte.weight"].T
    w |= {"lnf_w": s["ln_f.weight"], "lnf_b": s["ln_f.bias"], "W_U": w_u.contiguous(), "b_U": torch.zeros(w_u.shape[1])}
    return w


def process(w: dict, fold_ln: bool, center_writing_weights: bool, center_unembed: bool, fold_value_biases: bool) -> dict:
    """TransformerLens's process_weights, in its order; LayerNorm weights become None once folded."""
    w = {k: ([dict(x) for x in v] if k == "layers" else v.clone()) for k, v in w.items()}
    if fold_ln:
        for L in w["layers"]:
            for n in "QKV":
                L[f"b_{n}"] = L[f"b_{n}"] + (L[f"W_{n}"] * L["ln1_b"][None, :, None]).sum(-2)
                W = L[f"W_{n}"] * L["ln1_w"][None, :, None]
                L[f"W_{n}"] = W - W.mean(-2, keepdim=True)
            L["b_in"] = L["b_in"] + (L["W_in"] * L["ln2_b"][:, None]).sum(-2)
            W = L["W_in"] * L["ln2_w"][:, None]
            L["W_in"] = W - W.mean(-2, keepdim=True)
            L["ln1_w"] = L["ln1_b"] = L["ln2_w"] = L["ln2_b"] = None
        w["b_U"] = w["b_U"] + (w["W_U"] * w["lnf_b"][:, None]).sum(-2)
        W = w["W_U"] * w["lnf_w"][:, None]
        w["W_U"] = W - W.mean(-2, keepdim=True)
        w["lnf_w"] = w["lnf_b"] = None
    if center_writing_weights:
        w["W_E"] = w["W_E"] - w["W_E"].mean(-1, keepdim=True)
        w["W_pos"] = w["W_pos"] - w["W_pos"].mean(-1, keepdim=True)
        for L in w["layers"]:
            L["W_O"] = L["W_O"] - L["W_O"].mean(-1, keepdim=True)
            L["b_O"] = L["b_O"] - L["b_O"].mean()
            L["W_out"] = L["W_out"] - L["W_out"].mean(-1, keepdim=True)
            L["b_out"] = L["b_out"] - L["b_out"].mean()
    if center_unembed:
        w["W_U"] = w["W_U"] - w["W_U"].mean(-1, keepdim=True)
        w["b_U"] = w["b_U"] - w["b_U"].mean()
    if fold_value_biases:
        for L in w["layers"]:
            L["b_O"] = L["b_O"] + (L["b_V"][:, :, None] * L["W_O"]).sum([0, 1])
            L["b_V"] = torch.zeros_like(L["b_V"])
    return w


def _ln(x, weight, bias, eps):
    x = (x - x.mean(-1, keepdim=True)) / torch.sqrt(x.var(-1, keepdim=True, unbiased=False) + eps)
    return x if weight is None else x * weight + bias


@torch.no_grad()
def forward(cfg: dict, w: dict, ids: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Logits [s, vocab] and the hooks (TransformerLens names, batch dropped) of one sequence."""
    eps, act = cfg["layer_norm_epsilon"], ACTIVATIONS[cfg["activation_function"]]
    s = ids.shape[0]
    hooks = {}
    x = w["W_E"][ids] + w["W_pos"][:s]
    mask = torch.triu(torch.ones(s, s, dtype=torch.bool), diagonal=1)
    for l, L in enumerate(w["layers"]):
        hooks[f"blocks.{l}.hook_resid_pre"] = x
        h = _ln(x, L["ln1_w"], L["ln1_b"], eps)
        q, k, v = (torch.einsum("sd,hde->she", h, L[f"W_{n}"]) + L[f"b_{n}"] for n in "QKV")
        scores = torch.einsum("she,the->hst", q, k) / math.sqrt(q.shape[-1])
        pattern = scores.masked_fill(mask, float("-inf")).softmax(-1)
        z = torch.einsum("hst,the->she", pattern, v)
        x = x + torch.einsum("she,hed->sd", z, L["W_O"]) + L["b_O"]
        mlp_out = act(_ln(x, L["ln2_w"], L["ln2_b"], eps) @ L["W_in"] + L["b_in"]) @ L["W_out"] + L["b_out"]
        x = x + mlp_out
        hooks |= {f"blocks.{l}.attn.hook_v": v, f"blocks.{l}.attn.hook_pattern": pattern, f"blocks.{l}.attn.hook_z": z,
                  f"blocks.{l}.hook_mlp_out": mlp_out, f"blocks.{l}.hook_resid_post": x}
    logits = _ln(x, w["lnf_w"], w["lnf_b"], eps) @ w["W_U"] + w["b_U"]
    return logits, hooks


def main(bundle: Path) -> None:
    cfg, state = load_hf(bundle / HF_FOLDER)
    raw = tl_weights(cfg, state)
    fixtures = json.loads((bundle / "fixtures" / "fixtures.json").read_text())
    want = bundle_io.read_safetensors(bundle / "fixtures" / fixtures["tensors"])
    worst = 0.0
    for i, p in enumerate(fixtures["prompts"]):
        logits, hooks = forward(cfg, raw, torch.tensor(p["tokens"]))
        hooks["logits"] = logits
        for name in fixtures["hooks"]:
            worst = max(worst, (hooks[name].reshape(want[f"p{i}.{name}"].shape) - want[f"p{i}.{name}"]).abs().max().item())
    print(f"Hugging Face layout, unprocessed, against the bundle's fixtures: max |diff| {worst:.2e} over every hook")
    if worst > 1e-4:
        sys.exit("the Hugging Face layout does not reproduce the bundled model")

    processed = process(raw, **TL_DEFAULTS)
    tensors = {}
    for i, p in enumerate(fixtures["prompts"]):
        logits, hooks = forward(cfg, processed, torch.tensor(p["tokens"]))
        tensors[f"p{i}.logits"] = logits
        tensors |= {f"p{i}.{name}": t for name, t in hooks.items()}
    out = bundle / "fixtures"
    export.save_safetensors(out / "hf_processed.safetensors", {k: v.float().contiguous() for k, v in tensors.items()})
    (out / "hf_processed.json").write_text(json.dumps({
        "model": f"{HF_FOLDER}/", "processing": TL_DEFAULTS, "tensors": "hf_processed.safetensors",
        "prompts": [p["tokens"] for p in fixtures["prompts"]], "hooks": fixtures["hooks"],
        "note": "PyTorch fp32 (models/train/hf_forward.py) on the Hugging Face layout with TransformerLens's default "
                "processing; BOS included; hooks as TransformerLens shapes them (z, v: [s, n_heads, d_head]; pattern: [n_heads, s, s])",
    }, indent=1) + "\n")
    print(f"wrote {out}/hf_processed.json and hf_processed.safetensors ({len(tensors)} tensors)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 models/train/hf_forward.py <bundle-dir>")
    main(Path(sys.argv[1]))
