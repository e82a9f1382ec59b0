"""Scores sentences with a run's oracle in PyTorch, as TextGAN-PyTorch computes NLL-oracle.

    python3 launch/oracle_check.py RUN_DIR [FILE ...]

Loads RUN_DIR/oracle.safetensors into nn.Embedding + nn.LSTM + nn.Linear with
load_state_dict, feeds the start symbol then each sentence's symbols from a zero state, and
prints the mean negative log-likelihood per symbol (nats) of each file: by default
heldout.txt (the floor that `trainer evaluate` prints) and samples.txt (lines that are not
exactly the oracle's length in its symbols are left out, as the trainer leaves them out).
Needs `pip install torch safetensors`.
"""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import load_file

run = sys.argv[1]
files = sys.argv[2:] or [f"{run}/heldout.txt", f"{run}/samples.txt"]
path = f"{run}/oracle.safetensors"
with safe_open(path, framework="pt") as f:
    meta = f.metadata()
start, length = int(meta["start_symbol"]), int(meta["length"])
t = load_file(path)
V, E = t["embedding.weight"].shape
H = t["lstm.weight_hh_l0"].shape[1]
embedding, lstm, out = nn.Embedding(V, E), nn.LSTM(E, H, batch_first=True), nn.Linear(H, V)
for module, prefix in [(embedding, "embedding."), (lstm, "lstm."), (out, "out.")]:
    module.load_state_dict({k[len(prefix):]: v for k, v in t.items() if k.startswith(prefix)})

for name in files:
    sentences = []
    for line in open(name, encoding="utf-8"):
        words = line.split()
        if len(words) == length and all(w.isdigit() and int(w) < V for w in words):
            sentences.append([int(w) for w in words])
    if not sentences:
        print(f"{name}: no sentence of {length} oracle symbols")
        continue
    target = torch.tensor(sentences)
    inputs = torch.cat([torch.full((len(sentences), 1), start), target[:, :-1]], 1)
    with torch.no_grad():
        o, _ = lstm(embedding(inputs))
        nll = F.cross_entropy(out(o).reshape(-1, V), target.reshape(-1)).item()
    print(f"torch nll_oracle {nll:.4f} of {len(sentences)} sentences in {name}")
