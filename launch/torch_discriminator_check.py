"""Loads a GumbelGAN discriminator into PyTorch's own modules and checks its logits.

    python3 launch/torch_discriminator_check.py FILE

FILE is a safetensors file holding a discriminator's tensors under `discriminator.*` (as in a
run's model.safetensors), `inputs` [T, n, V] (one-hot or soft sequences) and `logits` (what
GumbelGAN computed for them: n for the LSTM discriminator, n·R for the CNN with R
representations, row by row); the test suite writes such files (TorchLayoutTests). The
tensors go into PyTorch modules with load_state_dict, names and layouts unchanged:

- the CNN (SeqGAN's and RelGAN's; TextGAN-PyTorch's RelGAN_D): nn.Embedding (soft inputs
  multiply its weight), nn.Conv2d(1, H, (w, C/R), stride=(1, C/R)) per width (`convs.i`),
  ReLU and the maximum over positions, the highway `σ(u)·relu(u) + (1 − σ(u))·m` of one
  nn.Linear (`highway`), nn.Linear(F, 1) (`out`); the R slices of the channels come out of
  the convolutions' stride, as in RelGAN_D;
- the LSTM: nn.Embedding when present, nn.LSTM(num_layers=N) (`lstm.*_l0`, …; the one-layer
  one-hot model's nn.LSTMCell names `lstm.weight_ih`, … are layer 0's), from the learned
  `h0*`/`c0*` (not part of nn.LSTM's state dict), nn.Linear(H, 1) (`out`) on the last state.

Prints the largest difference and exits 1 when it passes 1e-4 (relative to the logits'
scale). When the file also holds `penalty.weight` (γ), `penalty.packs` (N), `penalty.squares`
(GumbelGAN's Σᵢ ‖∇ₓ aᵢ‖²) and `penalty.gradient.NAME` for every discriminator tensor (the
gradient GumbelGAN's R1 penalty adds, from first-order passes), it also takes R1's gradient by
PyTorch's double backprop (autograd.grad with create_graph) and exits 1 when a tensor differs
by more than 2e-3 of its largest value, or the sum of squares by more than 1e-4. Needs torch (the .venv-moses that launch/moses-eval makes has it); reads safetensors
itself, so the safetensors package is not needed.
"""
import json
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
        data = f.read()
    header.pop("__metadata__", None)
    out = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            sys.exit(f"{path}: {name} is {entry['dtype']}, expected F32")
        begin, end = entry["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[begin:end]), dtype=torch.float32).reshape(entry["shape"])
    return out


def part(tensors, prefix):
    return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}


def leaves(prefix, module):
    """The module's parameters under their GumbelGAN names (`prefix` + PyTorch's name)."""
    return {prefix + name: value for name, value in module.named_parameters()}


def cnn(d):
    """The CNN: a function of x [T, n, V] giving [n·R] logits, its parameters by name, a description."""
    widths = sorted(int(k.split(".")[1]) for k in d if k.startswith("convs.") and k.endswith(".weight"))
    embedding = None
    params = {}
    if "embedding.weight" in d:
        embedding = nn.Embedding(*d["embedding.weight"].shape)
        embedding.load_state_dict(part(d, "embedding."))
        params.update(leaves("embedding.", embedding))
    single = d["convs.0.weight"].shape[3]
    convs = nn.ModuleList()
    for i in widths:
        h, _, w, c = d[f"convs.{i}.weight"].shape
        conv = nn.Conv2d(1, h, (w, c), stride=(1, c))
        conv.load_state_dict(part(d, f"convs.{i}."))
        convs.append(conv)
        params.update(leaves(f"convs.{i}.", conv))
    features = sum(conv.out_channels for conv in convs)
    highway, out = nn.Linear(features, features), nn.Linear(features, 1)
    highway.load_state_dict(part(d, "highway."))
    out.load_state_dict(part(d, "out."))
    params.update(leaves("highway.", highway))
    params.update(leaves("out.", out))

    def forward(x):
        batch_first = x.transpose(0, 1)  # [n, T, V]
        emb = batch_first @ embedding.weight if embedding is not None else batch_first
        emb = emb.unsqueeze(1)  # [n, 1, T, C]
        pools = [F.relu(conv(emb)).amax(dim=2) for conv in convs]  # each [n, H, R]
        m = torch.cat(pools, 1).permute(0, 2, 1).reshape(-1, features)  # [n·R, F]
        u = highway(m)
        y = torch.sigmoid(u) * F.relu(u) + (1 - torch.sigmoid(u)) * m
        return out(y).squeeze(1)

    return forward, params, [c.kernel_size[0] for c in convs], single


def lstm(d):
    """The LSTM discriminator, as ``cnn`` gives the CNN."""
    layers = sum(1 for k in d if k.startswith("lstm.weight_ih_l"))
    embedding = None
    params = {}
    if "embedding.weight" in d:
        embedding = nn.Embedding(*d["embedding.weight"].shape)
        embedding.load_state_dict(part(d, "embedding."))
        params.update(leaves("embedding.", embedding))
    hidden = d["lstm.weight_hh_l0"].shape[1]
    module = nn.LSTM(d["lstm.weight_ih_l0"].shape[1], hidden, num_layers=layers)
    module.load_state_dict(part(d, "lstm."))
    out = nn.Linear(hidden, 1)
    out.load_state_dict(part(d, "out."))
    params.update(leaves("lstm.", module))
    params.update(leaves("out.", out))
    initial = {f"{s}_l{k}": d[f"{s}_l{k}"].clone().requires_grad_() for s in ("h0", "c0") for k in range(layers)}
    params.update(initial)

    def forward(x):
        n = x.shape[1]
        feed = x @ embedding.weight if embedding is not None else x
        h0 = torch.stack([initial[f"h0_l{k}"] for k in range(layers)]).unsqueeze(1).expand(layers, n, hidden)
        c0 = torch.stack([initial[f"c0_l{k}"] for k in range(layers)]).unsqueeze(1).expand(layers, n, hidden)
        o, _ = module(feed, (h0.contiguous(), c0.contiguous()))
        return out(o[-1]).squeeze(1)

    return forward, params, f"nn.LSTM(num_layers={layers})"


def penalty_check(forward, params, tensors, renamed):
    """R1's gradient by PyTorch's double backprop against GumbelGAN's (`penalty.*` in the file):
    P = γ/2 · Σᵢ ‖∇ₓ aᵢ‖² / N, aᵢ the sum of pack i's R logits, N = `penalty.packs`.
    Returns the worst difference, relative to each tensor's largest value."""
    gamma, packs = tensors["penalty.weight"].item(), tensors["penalty.packs"].item()
    x = tensors["inputs"].clone().requires_grad_()
    a = forward(x)
    n = x.shape[1]
    (g,) = torch.autograd.grad(a.reshape(n, -1).sum(), x, create_graph=True)
    squares = g.pow(2).sum(dim=(0, 2))
    p = gamma / 2 * squares.sum() / packs
    names = list(params)
    grads = torch.autograd.grad(p, [params[k] for k in names], allow_unused=True)
    worst, where = 0.0, ""
    for name, grad in zip(names, grads):
        ours = tensors["penalty.gradient." + renamed.get(name, name)]
        theirs = torch.zeros_like(ours) if grad is None else grad.detach().reshape(ours.shape)
        scale = max(theirs.abs().max().item(), 1e-6)
        error = (ours - theirs).abs().max().item() / scale
        if error > worst:
            worst, where = error, name
    squares_error = abs(squares.sum().item() - tensors["penalty.squares"].item()) / max(squares.sum().item(), 1e-12)
    return worst, where, squares_error


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 launch/torch_discriminator_check.py FILE")
    tensors = read_safetensors(sys.argv[1])
    d = part(tensors, "discriminator.")
    renamed = {}
    if "lstm.weight_ih" in d:  # one layer, one-hot inputs: nn.LSTMCell's names, the same tensors as layer 0's
        renamed = {k + "_l0": k for k in d if k.startswith("lstm.") or k in ("h0", "c0")}
        d = {(k + "_l0" if k.startswith("lstm.") or k in ("h0", "c0") else k): v for k, v in d.items()}
    if "convs.0.weight" in d:
        forward, params, widths, single = cnn(d)
        channels = d["embedding.weight"].shape[1] if "embedding.weight" in d else tensors["inputs"].shape[2]
        what = f"CNN of widths {widths}, {channels // single} representations"
    elif "lstm.weight_ih_l0" in d:
        forward, params, what = lstm(d)
    else:
        sys.exit(f"{sys.argv[1]}: no discriminator.convs.0.weight or discriminator.lstm.weight_ih*: not a GumbelGAN discriminator")
    with torch.no_grad():
        got = forward(tensors["inputs"])
    expected = tensors["logits"].reshape(-1)
    if got.shape != expected.shape:
        sys.exit(f"torch gave {tuple(got.shape)} logits, GumbelGAN {tuple(expected.shape)}")
    error = (got - expected).abs().max().item() / max(expected.abs().max().item(), 1.0)
    print(f"torch loaded {what}: {len(expected)} logits, largest difference {error:.2e}")
    passed = error <= 1e-4
    if "penalty.weight" in tensors:
        worst, where, squares_error = penalty_check(forward, params, tensors, renamed)
        print(f"R1 gradient against double backprop: worst difference {worst:.2e} ({where}), Σ‖∇ₓa‖² {squares_error:.2e}")
        passed = passed and worst <= 2e-3 and squares_error <= 1e-4
    sys.exit(0 if passed else 1)


main()
