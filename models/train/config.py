"""The two pipeline configurations: the bundled model (full) and a CI smoke test (tiny)."""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SaeSpec:
    id: str
    hook: str
    architecture: str
    expansion: int
    k: int  # target L0 (exact for top-k styles, a controller target for L1/JumpReLU)
    kind: str  # "resid" or "attn"
    title: str


@dataclass(frozen=True)
class Config:
    name: str
    seed: int
    # corpus
    max_chars_per_source: int | None
    heldout_fraction: float
    # tokenizer
    vocab_size: int
    # transformer
    n_layers: int
    d_model: int
    n_heads: int
    n_ctx: int
    lm_batch: int
    lm_steps: int
    lm_lr: float
    lm_warmup: int
    # SAEs
    sae_tokens: int  # activations collected per hook
    sae_batch: int
    sae_lr: float
    saes: tuple[SaeSpec, ...] = field(default_factory=tuple)
    # evaluation / bundle data
    eval_tokens: int = 131072
    heldout_seq_len: int = 128
    heldout_seqs: int = 4096
    tokenizer_fixture_lines: int = 1200


def sae_specs(n_layers: int, variants_layer: int, expansion: int, k: int, k_attn: int) -> tuple[SaeSpec, ...]:
    specs = [
        SaeSpec(f"L{l}-resid-topk", f"blocks.{l}.hook_resid_post", "topk", expansion, k, "resid",
                f"Residual stream after block {l} · TopK (k={k})")
        for l in range(n_layers)
    ]
    specs += [
        SaeSpec(f"L{l}-attn-topk", f"blocks.{l}.attn.hook_z", "topk", expansion, k_attn, "attn",
                f"Attention output (hook_z) of block {l} · TopK (k={k_attn})")
        for l in range(n_layers)
    ]
    hook = f"blocks.{variants_layer}.hook_resid_post"
    titles = {
        "standard": "ReLU + L1",
        "jumprelu": "JumpReLU",
        "batchtopk": "BatchTopK",
        "abstopk": "AbsTopK (signed)",
        "matching_pursuit": "Matching pursuit (MP-SAE)",
    }
    specs += [
        SaeSpec(f"L{variants_layer}-resid-{arch}", hook, arch, expansion, k, "resid",
                f"Residual stream after block {variants_layer} · {title}")
        for arch, title in titles.items()
    ]
    return tuple(specs)


FULL = Config(
    name="explorer-4l", seed=1234, max_chars_per_source=None, heldout_fraction=0.03,
    vocab_size=4096, n_layers=4, d_model=256, n_heads=8, n_ctx=256,
    lm_batch=16, lm_steps=1000, lm_lr=2e-3, lm_warmup=50,
    sae_tokens=600_000, sae_batch=1024, sae_lr=5e-4,
    saes=sae_specs(4, 2, 8, 32, 16),
)

TINY = Config(
    name="tiny", seed=1234, max_chars_per_source=300_000, heldout_fraction=0.05,
    vocab_size=512, n_layers=2, d_model=64, n_heads=4, n_ctx=64,
    lm_batch=8, lm_steps=60, lm_lr=3e-3, lm_warmup=10,
    sae_tokens=40_000, sae_batch=1024, sae_lr=1e-3,
    saes=sae_specs(2, 1, 4, 8, 4),
    eval_tokens=8192, heldout_seq_len=32, heldout_seqs=256, tokenizer_fixture_lines=1000,
)

CONFIGS = {"full": FULL, "tiny": TINY}
