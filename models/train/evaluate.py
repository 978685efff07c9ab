"""The model's own figures in the report: the unigram baseline and samples. Every SAE figure (L0,
FVU, dead latents, CE recovered) and the held-out loss come from the engine's evaluator
(scripts/evaluate-bundle.ts), which reads the shipped files exactly as the browser does."""

import torch
from torch.nn import functional as F

from model import GPT


def unigram_loss(train_stream: torch.Tensor, heldout_seqs: torch.Tensor, vocab_size: int) -> float:
    counts = torch.bincount(train_stream, minlength=vocab_size).double() + 1.0
    logp = (counts / counts.sum()).log()
    targets = heldout_seqs[:, 1:].reshape(-1)
    return float(-logp[targets].mean())


@torch.no_grad()
def sample(model: GPT, tok, prompt: str, ev, bos: int, seed: int) -> str:
    """Top-k sampling at a temperature (`ev`: the configuration's Evaluation settings)."""
    gen = torch.Generator().manual_seed(seed)
    ids = [bos] + tok.encode(prompt)
    model.eval()
    for _ in range(ev.samples_length):
        logits, _ = model(torch.tensor([ids[-model.n_ctx:]]))
        probs = F.softmax(logits[0, -1] / ev.samples_temperature, dim=-1)
        top = probs.topk(ev.samples_top_k)
        nxt = top.indices[torch.multinomial(top.values / top.values.sum(), 1, generator=gen)].item()
        if nxt == bos:
            break
        ids.append(nxt)
    return tok.decode(ids[1:])
