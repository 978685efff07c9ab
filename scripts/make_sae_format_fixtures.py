#!/usr/bin/python3
"""Writes tiny SAEs in every on-disk format the engine reads, with expected activations.

Each case is a folder under tools/testing/sae-format-cases/ holding the SAE as its library saves it
(SAELens cfg.json + sae_weights.safetensors, sparsify cfg.json + sae.safetensors, Gemma Scope
params.npz) and expected.safetensors (fp32): `acts` [T, d_in], `feature_acts` [T, d_sae] and
`reconstruction` [T, d_in]. The expected values are computed here in PyTorch, following each
library's own encode, from the weights exactly as stored (rounded to fp16/bf16 where the file is).
cases.json lists the cases for the tests. Files are written by hand (no safetensors package), so the
tests also check the TypeScript readers against an independent writer.

Run with Debian's python (it has torch): /usr/bin/python3 scripts/make_sae_format_fixtures.py
"""
import json
import shutil
import struct
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parent.parent / "tools" / "testing" / "sae-format-cases"
N_TOKENS = 6
TORCH_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def write_safetensors(path: Path, tensors: dict, dtype: str) -> dict:
    """Stores every tensor in `dtype`; returns them as fp32 after that rounding."""
    header, blobs, rounded, offset = {}, [], {}, 0
    for name, t in tensors.items():
        stored = t.to(TORCH_DTYPES[dtype]).contiguous()
        raw = stored.view(torch.int16).numpy().tobytes() if dtype == "BF16" else stored.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
        rounded[name] = stored.to(torch.float32)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    path.write_bytes(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    return rounded


def topk_keep(values: torch.Tensor, k: int) -> torch.Tensor:
    mask = torch.zeros_like(values)
    return mask.scatter_(-1, values.topk(k, dim=-1).indices, 1.0)


def saelens_encode(arch: str, w: dict, x: torch.Tensor, k: int | None, apply_b_dec: bool) -> torch.Tensor:
    """SAELens's encode per architecture (plus abstopk and matching pursuit from the papers)."""
    if arch == "matching_pursuit":
        # Greedy pursuit on the residual, not on incremental scores: an independent route to the
        # same numbers the engine computes with the Gram matrix.
        r = x - w["b_dec"]
        z = torch.zeros(x.shape[0], w["W_dec"].shape[0])
        rows = torch.arange(x.shape[0])
        for _ in range(k):
            scores = r @ w["W_dec"].T
            j = scores.argmax(dim=-1)
            s = scores[rows, j]
            z[rows, j] += s
            r = r - s[:, None] * w["W_dec"][j]
        return z
    sae_in = x - w["b_dec"] if apply_b_dec else x
    if arch == "gated":
        gate = (sae_in @ w["W_enc"] + w["b_gate"]) > 0
        mag = torch.relu(sae_in @ (w["W_enc"] * w["r_mag"].exp()) + w["b_mag"])
        return gate * mag
    pre = sae_in @ w["W_enc"] + w["b_enc"]
    if arch == "standard":
        return torch.relu(pre)
    if arch == "topk":
        return torch.relu(pre) * topk_keep(pre, k)
    if arch == "abstopk":
        return pre * topk_keep(pre.abs(), k)
    if arch in ("jumprelu", "batchtopk"):
        return torch.relu(pre) * (pre > w["threshold"])
    raise ValueError(arch)


def random_saelens_weights(arch: str, d_in: int, d_sae: int, gen: torch.Generator) -> dict:
    w = {
        "W_enc": torch.randn(d_in, d_sae, generator=gen) / d_in**0.5,
        "W_dec": torch.randn(d_sae, d_in, generator=gen) / d_in**0.5,
        "b_enc": torch.randn(d_sae, generator=gen) * 0.3,
        "b_dec": torch.randn(d_in, generator=gen) * 0.3,
    }
    if arch == "jumprelu":
        w["threshold"] = torch.rand(d_sae, generator=gen) * 0.8
    if arch == "batchtopk":
        w["threshold"] = torch.tensor([0.4])
    if arch == "gated":
        del w["b_enc"]
        w["b_gate"] = torch.randn(d_sae, generator=gen) * 0.3
        w["b_mag"] = torch.randn(d_sae, generator=gen) * 0.3
        w["r_mag"] = torch.randn(d_sae, generator=gen) * 0.2
    if arch == "matching_pursuit":
        w["W_dec"] = w["W_dec"] / w["W_dec"].norm(dim=1, keepdim=True)
        w["W_enc"] = w["W_dec"].T.clone()
        w["b_enc"] = torch.zeros(d_sae)
    return w


def write_expected(folder: Path, x: torch.Tensor, feature_acts: torch.Tensor, reconstruction: torch.Tensor) -> None:
    write_safetensors(
        folder / "expected.safetensors",
        {"acts": x, "feature_acts": feature_acts, "reconstruction": reconstruction},
        "F32",
    )


def saelens_case(name, arch, dtype, cfg_style, gen, d_in=12, d_sae=48, k=None, apply_b_dec=True):
    folder = OUT / name
    folder.mkdir(parents=True)
    hook = "blocks.2.hook_resid_pre"
    rounded = write_safetensors(folder / "sae_weights.safetensors", random_saelens_weights(arch, d_in, d_sae, gen), dtype)
    base = {"d_in": d_in, "d_sae": d_sae, "dtype": {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[dtype], "device": "cpu",
            "apply_b_dec_to_input": apply_b_dec, "normalize_activations": "none"}
    if cfg_style == "bundle":  # what our pipeline writes (docs/ARCHITECTURE.md)
        cfg = {"architecture": arch, **base, "model_name": "tiny", "hook_name": hook, "hook_layer": 2,
               "hook_head_index": None, "context_size": 128, "prepend_bos": True}
        if k is not None:
            cfg.update(k=k, activation_fn_kwargs={"k": k})
    elif cfg_style == "v6":  # SAELens 6: hook and model move into "metadata"
        cfg = {**base, "reshape_activations": "none", "architecture": arch,
               "metadata": {"sae_lens_version": "6.5.1", "model_name": "tiny", "hook_name": hook, "hook_head_index": None,
                            "prepend_bos": True, "context_size": 128}}
        if k is not None:
            cfg.update(k=k, rescale_acts_by_decoder_norm=False)
    elif cfg_style == "old":  # SAELens ≤ 3: no architecture key, activation_fn_str / hook_point
        cfg = {**base, "model_name": "tiny", "hook_point": hook, "hook_point_layer": 2, "hook_point_head_index": None,
               "activation_fn_str": "topk" if arch == "topk" else "relu", "finetuning_scaling_factor": False}
        if k is not None:
            cfg["activation_fn_kwargs"] = {"k": k}
    else:
        raise ValueError(cfg_style)
    (folder / "cfg.json").write_text(json.dumps(cfg, indent=2))
    x = torch.randn(N_TOKENS, d_in, generator=gen)
    z = saelens_encode(arch, rounded, x, k, apply_b_dec)
    write_expected(folder, x, z, z @ rounded["W_dec"] + rounded["b_dec"])
    return {"dir": name, "format": "saelens", "architecture": arch, "dtype": dtype, "hookName": hook, "dIn": d_in, "dSae": d_sae,
            "k": k, "applyBDecToInput": apply_b_dec or arch == "matching_pursuit", "cfgStyle": cfg_style}


def sparsify_case(name, dtype, skip, gen, d_in=12, expansion=4, k=5):
    """EleutherAI sparsify: encoder = nn.Linear(d_in, d_sae); topk of relu(encoder(x − b_dec))."""
    folder = OUT / name
    folder.mkdir(parents=True)
    d_sae = d_in * expansion
    w = {
        "encoder.weight": torch.randn(d_sae, d_in, generator=gen) / d_in**0.5,
        "encoder.bias": torch.randn(d_sae, generator=gen) * 0.3,
        "W_dec": torch.randn(d_sae, d_in, generator=gen) / d_in**0.5,
        "b_dec": torch.randn(d_in, generator=gen) * 0.3,
    }
    if skip:
        w["W_skip"] = torch.randn(d_in, d_in, generator=gen) * 0.1
    r = write_safetensors(folder / "sae.safetensors", w, dtype)
    cfg = {"expansion_factor": expansion, "normalize_decoder": True, "num_latents": 0, "k": k, "multi_topk": False,
           "skip_connection": skip, "transcode": False, "d_in": d_in}
    (folder / "cfg.json").write_text(json.dumps(cfg, indent=2))
    x = torch.randn(N_TOKENS, d_in, generator=gen)
    pre = torch.relu((x - r["b_dec"]) @ r["encoder.weight"].T + r["encoder.bias"])
    top = pre.topk(k, dim=-1)
    z = torch.zeros_like(pre).scatter_(-1, top.indices, top.values)
    recon = z @ r["W_dec"] + r["b_dec"] + (x @ r["W_skip"].T if skip else 0)
    write_expected(folder, x, z, recon)
    return {"dir": name, "format": "sparsify", "architecture": "topk", "dtype": dtype, "hookName": "blocks.3.hook_resid_post",
            "dIn": d_in, "dSae": d_sae, "k": k, "applyBDecToInput": True, "skip": skip}


def gemmascope_case(name, compressed, gen, d_in=16, d_sae=64):
    """Gemma Scope params.npz: JumpReLU on x W_enc + b_enc, no b_dec subtraction."""
    folder = OUT / name
    folder.mkdir(parents=True)
    rng = np.random.default_rng(int(torch.randint(0, 2**31, (1,), generator=gen)))
    w = {
        "W_enc": (rng.standard_normal((d_in, d_sae)) / d_in**0.5).astype(np.float32),
        "W_dec": (rng.standard_normal((d_sae, d_in)) / d_in**0.5).astype(np.float32),
        "b_enc": (rng.standard_normal(d_sae) * 0.3).astype(np.float32),
        "b_dec": (rng.standard_normal(d_in) * 0.3).astype(np.float32),
        "threshold": (rng.random(d_sae) * 0.8).astype(np.float32),
    }
    (np.savez_compressed if compressed else np.savez)(folder / "params.npz", **w)
    x = rng.standard_normal((N_TOKENS, d_in)).astype(np.float32)
    pre = x @ w["W_enc"] + w["b_enc"]
    z = ((pre > w["threshold"]) * np.maximum(pre, 0)).astype(np.float32)
    write_expected(folder, torch.from_numpy(x), torch.from_numpy(z), torch.from_numpy(z @ w["W_dec"] + w["b_dec"]))
    return {"dir": name, "format": "gemmascope", "architecture": "jumprelu", "dtype": "F32", "hookName": "blocks.5.hook_resid_post",
            "dIn": d_in, "dSae": d_sae, "k": None, "applyBDecToInput": False}


def main() -> None:
    gen = torch.Generator().manual_seed(20261126)
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    cases = [
        saelens_case("saelens-standard-f32", "standard", "F32", "bundle", gen),
        saelens_case("saelens-topk-f16", "topk", "F16", "bundle", gen, k=6),
        saelens_case("saelens-topk-old-f32", "topk", "F32", "old", gen, k=5),
        saelens_case("saelens-relu-old-bf16", "standard", "BF16", "old", gen, apply_b_dec=False),
        saelens_case("saelens-jumprelu-v6-bf16", "jumprelu", "BF16", "v6", gen, apply_b_dec=False),
        saelens_case("saelens-topk-v6-f32", "topk", "F32", "v6", gen, d_in=8, d_sae=32, k=3),
        saelens_case("saelens-gated-f32", "gated", "F32", "bundle", gen),
        saelens_case("saelens-batchtopk-f16", "batchtopk", "F16", "bundle", gen, k=4),
        saelens_case("saelens-abstopk-f32", "abstopk", "F32", "bundle", gen, k=6),
        saelens_case("saelens-matching_pursuit-f32", "matching_pursuit", "F32", "bundle", gen, d_in=16, d_sae=64, k=5),
        saelens_case("saelens-matching_pursuit-f16", "matching_pursuit", "F16", "bundle", gen, k=4),
        sparsify_case("sparsify-skip-f32", "F32", True, gen),
        sparsify_case("sparsify-bf16", "BF16", False, gen, d_in=8),
        gemmascope_case("gemmascope-stored", False, gen),
        gemmascope_case("gemmascope-deflate", True, gen, d_in=8, d_sae=32),
    ]
    (OUT / "cases.json").write_text(json.dumps(cases, indent=2) + "\n")
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"wrote {len(cases)} cases to {OUT} ({total / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
