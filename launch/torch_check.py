"""Loads a GumbelGAN model file into PyTorch and scores the run's training strings.

    python3 launch/torch_check.py RUN_DIR

The generator goes into PyTorch's own modules with safetensors.torch.load_file and
load_state_dict (names and layouts are PyTorch's): nn.LSTMCell + nn.Linear for the paper's
one-layer model (lstm.weight_ih, ...), nn.Embedding + nn.LSTM(num_layers=N) + nn.Linear for a
model with an embedding or several layers (embedding.weight, lstm.weight_ih_l0, ...). With
teacher forcing from h0 = c0 = 0 (the mle preset), or from the learned h0_l*/c0_l* vectors
(--initial-state learned, moses-mle; not part of nn.LSTM's state dict), it prints the mean negative log-likelihood
per symbol of train.txt, padding counted: `trainer evaluate --run RUN_DIR` prints the same
figure as train_nll. Needs `pip install torch safetensors`.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file

run = sys.argv[1]
path = f"{run}/model.safetensors"
with safe_open(path, framework="pt") as f:
    meta = f.metadata()
vocab = json.loads(meta["vocabulary"])
symbols, pad, length = vocab["symbols"], vocab["padding_index"], int(meta["length"])
tensors = load_file(path)
V = len(symbols)


def part(prefix):
    return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}


stacked = "generator.lstm.weight_ih_l0" in tensors
if stacked:
    layers = sum(1 for k in tensors if k.startswith("generator.lstm.weight_ih_l"))
    H = tensors["generator.lstm.weight_hh_l0"].shape[1]
    embedding = nn.Embedding(V, tensors["generator.embedding.weight"].shape[1]) if "generator.embedding.weight" in tensors else None
    inputs = embedding.embedding_dim if embedding is not None else V
    lstm = nn.LSTM(inputs, H, num_layers=layers)
    lstm.load_state_dict(part("generator.lstm."))
    learned = "generator.h0_l0" in tensors
    if embedding is not None:
        embedding.load_state_dict(part("generator.embedding."))
else:
    H = tensors["generator.lstm.weight_hh"].shape[1]
    cell = nn.LSTMCell(V, H)
    cell.load_state_dict(part("generator.lstm."))
out = nn.Linear(H, V)
out.load_state_dict(part("generator.out."))
print(f"torch loaded {'nn.LSTM(num_layers=%d)%s' % (layers, ' + nn.Embedding' if embedding is not None else '') if stacked else 'nn.LSTMCell'} + nn.Linear")

index = {s: i for i, s in enumerate(symbols)}
lines = [l.rstrip("\n") for l in open(f"{run}/train.txt", encoding="utf-8")]
x = torch.tensor([[index[c] for c in l] + [pad] * (length - len(l)) for l in lines])
with torch.no_grad():
    n = len(lines)
    if stacked:
        # Position 0 is scored from the initial state; positions 1 … read symbols 0 … T−2.
        feed = embedding(x[:, :-1]) if embedding is not None else F.one_hot(x[:, :-1], V).float()
        if learned:
            h0, c0 = (torch.stack([tensors[f"generator.{s}0_l{k}"] for k in range(layers)]).unsqueeze(1).expand(layers, n, H).contiguous() for s in "hc")
        else:
            h0, c0 = torch.zeros(layers, n, H), torch.zeros(layers, n, H)
        o, _ = lstm(feed.transpose(0, 1), (h0, c0))
        hs = torch.cat([h0[-1:], o], 0)
        total = sum(F.cross_entropy(out(hs[t]), x[:, t], reduction="sum").item() for t in range(length))
    else:
        learned = "generator.h0" in tensors
        h = tensors["generator.h0"].expand(n, H) if learned else torch.zeros(n, H)
        c = tensors["generator.c0"].expand(n, H) if learned else torch.zeros(n, H)
        total = 0.0
        for t in range(length):
            if t > 0:
                h, c = cell(F.one_hot(x[:, t - 1], V).float(), (h, c))
            total += F.cross_entropy(out(h), x[:, t], reduction="sum").item()
print(f"torch train_nll {total / (len(lines) * length):.6f}")
