"""The bundled transformer in Hugging Face's GPT-2 layout: config.json, model.safetensors, tokenizer.json.

models/train/model.py is GPT-2's architecture with one difference: its MLP uses the exact (erf) GELU,
where GPT-2 small uses the tanh approximation. Hugging Face's GPT-2 names the exact one "gelu", so
the config says `"activation_function": "gelu"` and the layout is otherwise GPT-2's own:

  ours (model.py, nn.Linear: y = x Wᵀ + b)     Hugging Face GPT-2 (Conv1D: y = x W + b)
  embed.weight [vocab, d]                    transformer.wte.weight [vocab, d]   (tied: no lm_head.weight)
  pos [n_ctx, d]                             transformer.wpe.weight [n_positions, d]
  blocks.L.ln1 / ln2 (LayerNorm, eps 1e-5)   transformer.h.L.ln_1 / ln_2
  blocks.L.attn.qkv [3d, d] (rows Q, K, V)   transformer.h.L.attn.c_attn.weight [d, 3d] (columns Q, K, V)
  blocks.L.attn.out [d, d]                   transformer.h.L.attn.c_proj.weight [d, d]
  blocks.L.mlp_in [4d, d] / mlp_out [d, 4d]  transformer.h.L.mlp.c_fc.weight [d, 4d] / mlp.c_proj.weight [4d, d]
  ln_f                                       transformer.ln_f

Both scale attention scores by 1/√d_head, mask causally, and unembed with the token embedding.

  /usr/bin/python3 models/train/hf_layout.py models/explorer-4l     # writes models/explorer-4l/hf/
"""
import json
import shutil
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
import bundle_io  # noqa: E402
import export  # noqa: E402
from model import GPT  # noqa: E402

HF_FOLDER = "hf"


def hf_state(model: GPT) -> dict[str, torch.Tensor]:
    """The weights under Hugging Face GPT-2 names, Conv1D weights as [in, out], fp16."""
    t: dict[str, torch.Tensor] = {
        "transformer.wte.weight": model.embed.weight,
        "transformer.wpe.weight": model.pos,
    }
    for l, blk in enumerate(model.blocks):
        h = f"transformer.h.{l}"
        t |= {
            f"{h}.ln_1.weight": blk.ln1.weight, f"{h}.ln_1.bias": blk.ln1.bias,
            f"{h}.attn.c_attn.weight": blk.attn.qkv.weight.T, f"{h}.attn.c_attn.bias": blk.attn.qkv.bias,
            f"{h}.attn.c_proj.weight": blk.attn.out.weight.T, f"{h}.attn.c_proj.bias": blk.attn.out.bias,
            f"{h}.ln_2.weight": blk.ln2.weight, f"{h}.ln_2.bias": blk.ln2.bias,
            f"{h}.mlp.c_fc.weight": blk.mlp_in.weight.T, f"{h}.mlp.c_fc.bias": blk.mlp_in.bias,
            f"{h}.mlp.c_proj.weight": blk.mlp_out.weight.T, f"{h}.mlp.c_proj.bias": blk.mlp_out.bias,
        }
    t |= {"transformer.ln_f.weight": model.ln_f.weight, "transformer.ln_f.bias": model.ln_f.bias}
    # The bundle's weights are fp16-exact (export.round_to_fp16), so fp16 loses nothing.
    return {k: v.detach().contiguous().half() for k, v in t.items()}


def hf_config(model: GPT, vocab_size: int, bos: int) -> dict:
    """config.json as transformers' GPT2Config writes it, for this model."""
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": vocab_size,
        "n_positions": model.n_ctx,
        "n_ctx": model.n_ctx,
        "n_embd": model.d_model,
        "n_layer": model.n_layers,
        "n_head": model.n_heads,
        "n_inner": None,
        "activation_function": "gelu",
        "layer_norm_epsilon": 1e-5,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "initializer_range": 0.02,
        "scale_attn_weights": True,
        "scale_attn_by_inverse_layer_idx": False,
        "reorder_and_upcast_attn": False,
        "tie_word_embeddings": True,
        "bos_token_id": bos,
        "eos_token_id": bos,
        "torch_dtype": "float16",
        "use_cache": True,
    }


def write_hf_layout(model: GPT, folder: Path, tokenizer_json: Path, vocab_size: int, bos: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(hf_config(model, vocab_size, bos), indent=2) + "\n")
    export.save_safetensors(folder / "model.safetensors", hf_state(model), {"format": "pt"})
    # The bundle's tokenizer already is a Hugging Face tokenizer.json (byte-level BPE, as GPT-2's).
    shutil.copy(tokenizer_json, folder / "tokenizer.json")


def main(bundle: Path) -> None:
    manifest = json.loads((bundle / "manifest.json").read_text())
    m = manifest["model"]
    model = bundle_io.load_model(bundle)
    write_hf_layout(model, bundle / HF_FOLDER, bundle / manifest["tokenizer"], m["d_vocab"], m["bos_token_id"])
    print(f"wrote {bundle / HF_FOLDER}: config.json, model.safetensors, tokenizer.json")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 models/train/hf_layout.py <bundle-dir>")
    main(Path(sys.argv[1]))
