"""Loads a GumbelGAN model file into PyTorch and scores the run's training strings.

    python3 launch/torch_check.py RUN_DIR

The generator goes into nn.LSTMCell + nn.Linear with safetensors.torch.load_file and
load_state_dict (names and layouts are PyTorch's). With teacher forcing from h0 = c0 = 0
(the mle preset) it prints the mean negative log-likelihood per symbol of train.txt,
padding counted: `trainer evaluate --run RUN_DIR` prints the same figure as train_nll.
Needs `pip install torch safetensors`.
"""
import json, sys
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
H = tensors["generator.lstm.weight_hh"].shape[1]
cell, out = nn.LSTMCell(V, H), nn.Linear(H, V)
cell.load_state_dict({k[len("generator.lstm."):]: v for k, v in tensors.items() if k.startswith("generator.lstm.")})
out.load_state_dict({k[len("generator.out."):]: v for k, v in tensors.items() if k.startswith("generator.out.")})
index = {s: i for i, s in enumerate(symbols)}
lines = [l.rstrip("\n") for l in open(f"{run}/train.txt", encoding="utf-8")]
x = torch.tensor([[index[c] for c in l] + [pad] * (length - len(l)) for l in lines])
with torch.no_grad():
    h = torch.zeros(len(lines), H); c = torch.zeros(len(lines), H)
    total = 0.0
    for t in range(length):
        if t > 0:
            h, c = cell(F.one_hot(x[:, t - 1], V).float(), (h, c))
        total += F.cross_entropy(out(h), x[:, t], reduction="sum").item()
print(f"torch train_nll {total / (len(lines) * length):.6f}")
