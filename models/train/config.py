"""Every setting of a bundle build, in one place: the bundled model (full) and a CI smoke test (tiny).

Each cached stage of the pipeline is keyed by `stage_key`, a hash of the settings that produced
it, so a changed setting never silently reuses a stale artefact.
"""
import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class SaeSpec:
    id: str
    hook: str
    architecture: str
    expansion: int
    k: int  # L0: exact for the top-k styles and matching pursuit, the controller's target for L1 / JumpReLU
    kind: str  # "resid", "attn" or "mlp"
    title: str


@dataclass(frozen=True)
class LmTraining:
    """AdamW with a linear warm-up then cosine decay to `lr_floor`·lr (GPT-2 / nanoGPT defaults)."""
    weight_decay: float = 0.1
    betas: tuple[float, float] = (0.9, 0.95)
    grad_clip: float = 1.0
    lr_floor: float = 0.1
    evals: int = 8  # held-out evaluations during training
    eval_seqs: int = 64


@dataclass(frozen=True)
class SaeTraining:
    """The published recipes (docs: models/README.md, "SAE training")."""
    # Adam, no weight decay (Gao et al. 2024; Anthropic's April 2024 update)
    betas: tuple[float, float] = (0.9, 0.999)
    grad_clip: float = 1.0
    warmup_fraction: float = 0.05  # linear learning-rate warm-up
    decay_fraction: float = 0.2  # linear decay to zero over the last part
    init_scale_tokens: int = 65536  # activations used for the input scale and b_dec's initial value
    # TopK-style: AuxK (Gao et al.): the k_aux most active dead latents model the residual error
    aux_k_weight: float = 1 / 32
    aux_k_fraction_of_d_in: float = 0.5  # k_aux = d_in / 2
    dead_after_tokens: int = 200_000  # a latent silent this long is dead for AuxK
    # ReLU + L1 (Anthropic, April 2024): decoder-norm-weighted L1, λ warmed up over the first part
    l1_warmup_fraction: float = 0.05
    l1_init_decoder_norm: float = 0.1
    l1_coef_start: float = 0.01
    # JumpReLU (Rajamanoharan et al. 2024): straight-through estimator with a rectangle kernel
    jumprelu_bandwidth: float = 0.001
    jumprelu_l0_coef_start: float = 0.0001
    jumprelu_init_l0_factor: float = 4.0  # thresholds start where L0 ≈ factor·target
    threshold_lr_factor: float = 20.0  # log-thresholds travel far in few steps
    # the L1 / L0 coefficient follows a controller that steers L0 to the target: c ← c·exp(gain·tanh(L0/target − 1))
    controller_gain: float = 0.03
    # BatchTopK's inference threshold: a running average of the smallest kept activation
    batchtopk_threshold_momentum: float = 0.95
    checkpoint_seconds: float = 120.0
    log_every_fraction: float = 0.05


@dataclass(frozen=True)
class DecoderFinetune:
    """After training, a ReLU + L1 SAE refits its decoder to its frozen encoder's codes with the
    reconstruction loss alone: the L1 penalty shrinks the codes, and a decoder fitted without it
    undoes much of that shrinkage at the very same L0 (Wright & Sharkey 2024, "Addressing feature
    suppression in SAEs"). A stage of its own, so that the SAEs trained before it are reused."""
    tokens: int = 1_000_000  # the last activations of the hook's stream
    lr_decay_fraction: float = 1.0


@dataclass(frozen=True)
class Evaluation:
    """What the pipeline's own quick check and the report's model section use (the SAEs' figures
    come from the engine's evaluator, scripts/evaluate-bundle.ts, on all held-out text)."""
    heldout_loss_seqs: int = 256
    train_loss_seqs: int = 256
    samples_length: int = 30
    samples_temperature: float = 0.8
    samples_top_k: int = 40
    max_eval_windows: int = 10_000


@dataclass(frozen=True)
class Targets:
    """The issue's targets, checked on the evaluator's figures."""
    topk_dead_pct: float = 1.0
    topk_fvu: float = 0.08
    topk_ce_recovered_pct: float = 97.0
    attn_dead_pct: float = 5.0
    attn_fvu: float = 0.15
    attn_ce_recovered_pct: float = 95.0
    l1_fvu: float = 0.20
    l1_max_l0: float = 64.0
    jumprelu_dead_pct: float = 5.0
    jumprelu_fvu: float = 0.10


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
    sae_tokens: int  # activations collected per hook; every SAE on that hook trains on all of them
    sae_batch: int
    sae_lr: float
    sae_workers: int  # processes training SAEs side by side (one core each)
    saes: tuple[SaeSpec, ...] = field(default_factory=tuple)
    lm_training: LmTraining = LmTraining()
    sae_training: SaeTraining = SaeTraining()
    decoder_finetune: DecoderFinetune = DecoderFinetune()
    evaluation: Evaluation = Evaluation()
    targets: Targets = Targets()
    # bundle data
    heldout_seq_len: int = 128
    heldout_seqs: int = 4096  # at most, per source
    tokenizer_fixture_lines: int = 1200


def stage_key(*parts) -> str:
    """A short hash of the settings a cached stage depends on (dataclasses, numbers, strings)."""
    plain = [asdict(p) if hasattr(p, "__dataclass_fields__") else p for p in parts]
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:12]


def sae_specs(n_layers: int, variants_layer: int, expansion: int, k: int) -> tuple[SaeSpec, ...]:
    """Neuronpedia's res / att / mlp trio at every layer (TopK), plus every architecture at one layer."""
    specs = []
    for l in range(n_layers):
        specs += [
            SaeSpec(f"L{l}-resid-topk", f"blocks.{l}.hook_resid_post", "topk", expansion, k, "resid",
                    f"Residual stream after block {l} · TopK (k={k})"),
            SaeSpec(f"L{l}-attn-topk", f"blocks.{l}.attn.hook_z", "topk", expansion, k, "attn",
                    f"Attention output (hook_z) of block {l} · TopK (k={k})"),
            SaeSpec(f"L{l}-mlp-topk", f"blocks.{l}.hook_mlp_out", "topk", expansion, k, "mlp",
                    f"MLP output of block {l} · TopK (k={k})"),
        ]
    hook = f"blocks.{variants_layer}.hook_resid_post"
    variants = {  # architecture → (title, L0 target)
        "standard": ("ReLU + L1", 2 * k - k // 4),  # L1 needs more latents for the same error; stay under 2k
        "jumprelu": ("JumpReLU", k),
        "batchtopk": ("BatchTopK", k),
        "abstopk": ("AbsTopK (signed)", k),
        "matching_pursuit": ("Matching pursuit (MP-SAE)", k),
    }
    specs += [
        SaeSpec(f"L{variants_layer}-resid-{arch}", hook, arch, expansion, l0, "resid",
                f"Residual stream after block {variants_layer} · {title}")
        for arch, (title, l0) in variants.items()
    ]
    return tuple(specs)


FULL = Config(
    name="explorer-4l", seed=1234, max_chars_per_source=None, heldout_fraction=0.03,
    vocab_size=4096, n_layers=4, d_model=256, n_heads=8, n_ctx=256,
    lm_batch=16, lm_steps=1000, lm_lr=2e-3, lm_warmup=50,
    sae_tokens=4_000_000, sae_batch=4096, sae_lr=5e-4, sae_workers=2,
    saes=sae_specs(4, 2, 8, 32),
)

TINY = Config(
    name="tiny", seed=1234, max_chars_per_source=300_000, heldout_fraction=0.05,
    vocab_size=512, n_layers=2, d_model=64, n_heads=4, n_ctx=64,
    lm_batch=8, lm_steps=60, lm_lr=3e-3, lm_warmup=10,
    sae_tokens=40_000, sae_batch=1024, sae_lr=1e-3, sae_workers=2,
    saes=sae_specs(2, 1, 4, 8),
    sae_training=SaeTraining(dead_after_tokens=10_000),
    decoder_finetune=DecoderFinetune(tokens=10_240),
    evaluation=Evaluation(heldout_loss_seqs=32, train_loss_seqs=32, max_eval_windows=1000),
    heldout_seq_len=32, heldout_seqs=256, tokenizer_fixture_lines=1000,
)

CONFIGS = {"full": FULL, "tiny": TINY}
