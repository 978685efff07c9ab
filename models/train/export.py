"""Writing the bundle: safetensors, the hooked ONNX graph with fp16 weights, SAELens folders."""
import json
import struct
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from model import GPT

_DTYPES = {torch.float16: ("F16", np.float16), torch.float32: ("F32", np.float32), torch.int32: ("I32", np.int32)}


def save_safetensors(path: Path, tensors: dict[str, torch.Tensor], metadata: dict[str, str] | None = None) -> None:
    header: dict = {"__metadata__": metadata} if metadata else {}
    blobs, offset = [], 0
    for name, t in tensors.items():
        code, np_dtype = _DTYPES[t.dtype]
        data = t.detach().cpu().contiguous().numpy().astype(np_dtype).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


@torch.no_grad()
def round_to_fp16(module: torch.nn.Module) -> None:
    """What is exported is fp16; rounding in place makes PyTorch compute with exactly those weights."""
    for p in module.parameters():
        p.copy_(p.half().float())


class _Exportable(torch.nn.Module):
    def __init__(self, model: GPT):
        super().__init__()
        self.model = model

    def forward(self, input_ids, *deltas):
        names = self.model.steer_hooks
        logits, hooks = self.model(input_ids, deltas=dict(zip(names, deltas)))
        return (logits, *(hooks[n] for n in self.model.hook_names()))


def export_onnx(model: GPT, path: Path) -> dict:
    model.eval()
    wrapper = _Exportable(model)
    s = 8
    ids = torch.zeros(1, s, dtype=torch.long)
    deltas = [torch.zeros(1, s, model.d_model) for _ in model.steer_hooks]
    delta_names = [f"delta.{n}" for n in model.steer_hooks]
    out_names = ["logits", *model.hook_names()]
    dyn = {"input_ids": {0: "batch", 1: "seq"}, **{n: {0: "batch", 1: "seq"} for n in delta_names},
           **{n: {0: "batch", 1: "seq"} for n in out_names if not n.endswith("hook_pattern")},
           **{n: {0: "batch", 2: "seq", 3: "seq_src"} for n in out_names if n.endswith("hook_pattern")}}
    tmp = path.with_suffix(".fp32.onnx")
    torch.onnx.export(wrapper, (ids, *deltas), str(tmp), opset_version=17, input_names=["input_ids", *delta_names],
                      output_names=out_names, dynamic_axes=dyn, do_constant_folding=False)
    m = onnx.load(str(tmp))
    tmp.unlink()
    _store_weights_fp16(m)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return {"inputs": ["input_ids", *delta_names], "outputs": out_names}


def _store_weights_fp16(m: onnx.ModelProto) -> None:
    """fp16 initialisers with a Cast back to fp32: half the file, the same numbers (weights are fp16-exact)."""
    g = m.graph
    casts, keep = [], []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and np.prod(init.dims) >= 256:
            arr = numpy_helper.to_array(init)
            half = numpy_helper.from_array(arr.astype(np.float16), init.name + ".fp16")
            keep.append(half)
            casts.append(helper.make_node("Cast", [half.name], [init.name], to=TensorProto.FLOAT))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)


def model_weights(model: GPT) -> dict[str, torch.Tensor]:
    """What the analyses need outside the graph: the unembedding and each head's W_O."""
    t = {"ln_final.w": model.ln_f.weight, "ln_final.b": model.ln_f.bias, "W_U": model.embed.weight.T}
    for l, blk in enumerate(model.blocks):
        w_o = blk.attn.out.weight.T.reshape(model.n_heads, model.d_model // model.n_heads, model.d_model)
        t[f"blocks.{l}.attn.W_O"] = w_o
        t[f"blocks.{l}.attn.b_O"] = blk.attn.out.bias
    return {k: v.detach().half() for k, v in t.items()}


def save_sae(folder: Path, spec, sae, cfg, layer: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.half() for k, v in sae.export_tensors().items()}
    save_safetensors(folder / "sae_weights.safetensors", tensors)
    k = sae.k if sae.architecture in ("topk", "batchtopk", "abstopk", "matching_pursuit") else None
    sae_cfg = {
        "architecture": sae.architecture,
        "d_in": sae.d_in,
        "d_sae": sae.d_sae,
        "dtype": "float16",
        "device": "cpu",
        "model_name": cfg.name,
        "hook_name": spec.hook,
        "hook_layer": layer,
        "hook_head_index": None,
        "apply_b_dec_to_input": sae.apply_b_dec_to_input,
        "normalize_activations": "none",
        "context_size": cfg.n_ctx,
        "prepend_bos": True,
        "dataset_path": "sae-explorer corpus (models/README.md)",
        "neuronpedia_id": None,
        # trained on the model as it is, without TransformerLens's weight processing (docs/GPT2.md)
        "model_from_pretrained_kwargs": {"fold_ln": False, "center_writing_weights": False,
                                         "center_unembed": False, "fold_value_biases": False},
    }
    if k is not None:
        sae_cfg["k"] = k
        sae_cfg["activation_fn_kwargs"] = {"k": k}
    (folder / "cfg.json").write_text(json.dumps(sae_cfg, indent=2) + "\n")
