"""Reading a written bundle back into PyTorch: the model from model.onnx, SAEs from their folders.

Used by the benchmarks, so PyTorch runs on exactly the weights the browser runs on.
"""
import json
import struct
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from model import GPT
from sae import SAE

_NP = {"F16": np.float16, "F32": np.float32, "BF16": None, "I32": np.int32}


def read_safetensors(path: Path) -> dict[str, torch.Tensor]:
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=_NP[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.astype(np.float32) if arr.dtype == np.float16 else arr.copy())
    return out


def load_model(bundle: Path) -> GPT:
    manifest = json.loads((bundle / "manifest.json").read_text())
    m = manifest["model"]
    model = GPT(m["d_vocab"], m["n_layers"], m["d_model"], m["n_heads"], m["n_ctx"])
    graph = onnx.load(str(bundle / m["onnx"])).graph
    state = {}
    for init in graph.initializer:
        name = init.name.removesuffix(".fp16").removeprefix("model.")
        state[name] = torch.from_numpy(numpy_helper.to_array(init).astype(np.float32))
    model.load_state_dict({k: v for k, v in state.items() if k in model.state_dict()}, strict=True)
    return model.eval()


def load_sae(folder: Path) -> tuple[SAE, dict]:
    cfg = json.loads((folder / "cfg.json").read_text())
    t = read_safetensors(folder / "sae_weights.safetensors")
    sae = SAE(cfg["d_in"], cfg["d_sae"], cfg["architecture"], cfg.get("k") or 0)
    with torch.no_grad():
        for name in ("W_enc", "W_dec", "b_enc", "b_dec"):
            getattr(sae, name).copy_(t[name])
        if cfg["architecture"] == "jumprelu":
            sae.register_buffer("threshold", t["threshold"])
        if cfg["architecture"] == "batchtopk":
            sae.threshold.copy_(t["threshold"])
    sae.apply_b_dec_to_input = cfg["apply_b_dec_to_input"]
    return sae.eval(), cfg
