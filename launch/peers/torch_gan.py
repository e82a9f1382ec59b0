"""PyTorch peer of GumbelGAN's networks, for side-by-side speed (launch/bench).

The same model in PyTorch on the CPU, as a user would write it: a generator whose initial
state (h0, c0) of every layer is uniform noise, an optional nn.Embedding table applied to its
fed-back Gumbel-softmax samples (a product, so the gradient reaches them), an nn.LSTM of
--layers layers stepped one position at a time, and nn.Linear to the logits; a discriminator
of the same shape over the whole sequence (learned initial state omitted, as PyTorch users
do), with nn.Linear on the last state. Real examples are smoothed one-hot vectors through
Gumbel-softmax at the same temperature (the paper); the losses are Algorithm 1's. Adam lr
1e-3, betas (0.5, 0.999).

With --relgan it is oracle-gan's recipe instead, as TextGAN-PyTorch writes RelGAN: the
generator feeds back its exact draws (one-hot, no gradient through the feedback) and hands
the discriminator its Gumbel-softmax samples, real examples are one-hot, the discriminator is
RelGAN_D (the embedded sequence through nn.Conv2d(1, F, (w, E/R), stride=(1, E/R)) for each
width w, ReLU, the maximum over positions, a highway layer, dropout, nn.Linear to one logit per
representation), and the loss is rsgan. --penalty and --fake-penalty add R1's and R2's
gradient penalties (γ/2 · mean ‖∇ₓ a‖² at the real or the generated inputs) by double
backprop, as PyTorch users write them.

Prints one line: 'iters=N sec_per_iter=S' after timing --iters iterations (after --warmup).
With the defaults it is the paper-size model of ../shared/peers/torch_gsgan.py.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

p = argparse.ArgumentParser()
p.add_argument("--hidden", type=int, default=10)
p.add_argument("--vocab", type=int, default=6)
p.add_argument("--length", type=int, default=12)
p.add_argument("--batch", type=int, default=200)
p.add_argument("--embedding", type=int, default=0)
p.add_argument("--layers", type=int, default=1)
p.add_argument("--iters", type=int, default=200)
p.add_argument("--warmup", type=int, default=20)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--relgan", action="store_true")
p.add_argument("--filters", type=int, default=300)
p.add_argument("--representations", type=int, default=8)
p.add_argument("--penalty", type=float, default=0.0)
p.add_argument("--fake-penalty", type=float, default=0.0)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(0)
H, V, T, B, E, L = a.hidden, a.vocab, a.length, a.batch, a.embedding, a.layers
I = E if E > 0 else V


def gumbel(*shape):
    return -torch.log(-torch.log(torch.rand(*shape).clamp_min(1e-20)).clamp_min(1e-20))


class Embed(nn.Module):
    """x @ W for soft or one-hot rows (nn.Embedding's table), or x itself."""

    def __init__(s):
        super().__init__()
        s.table = nn.Embedding(V, E) if E > 0 else None

    def forward(s, x):
        return x @ s.table.weight if s.table is not None else x


class G(nn.Module):
    def __init__(s):
        super().__init__()
        s.embed, s.lstm, s.out = Embed(), nn.LSTM(I, H, num_layers=L), nn.Linear(H, V)

    def forward(s, tau):
        h, c = torch.rand(L, B, H), torch.rand(L, B, H)
        ys, logits = [], s.out(h[-1])
        for t in range(T):
            scores = logits + gumbel(B, V)
            y = F.softmax(scores / tau, dim=-1)
            ys.append(y)
            if t + 1 < T:
                fed = F.one_hot(scores.argmax(-1), V).float() if a.relgan else y
                o, (h, c) = s.lstm(s.embed(fed).unsqueeze(0), (h, c))
                logits = s.out(o[0])
        return torch.stack(ys, 1)


class D(nn.Module):
    def __init__(s):
        super().__init__()
        s.embed, s.lstm, s.out = Embed(), nn.LSTM(I, H, num_layers=L, batch_first=True), nn.Linear(H, 1)

    def forward(s, x):
        o, _ = s.lstm(s.embed(x))
        return s.out(o[:, -1]).squeeze(-1)


class RelGAN_D(nn.Module):
    """TextGAN-PyTorch's RelGAN_D: one logit per representation, [B·R]."""

    def __init__(s):
        super().__init__()
        R, widths = a.representations, [2, 3, 4, 5]
        s.embed = Embed()
        s.convs = nn.ModuleList(nn.Conv2d(1, a.filters, (w, E // R), stride=(1, E // R)) for w in widths)
        s.features = a.filters * len(widths)
        s.highway, s.dropout, s.out = nn.Linear(s.features, s.features), nn.Dropout(0.25), nn.Linear(s.features, 1)

    def forward(s, x):
        emb = s.embed(x).unsqueeze(1)  # [B, 1, T, E]
        pools = [F.relu(conv(emb)).amax(dim=2) for conv in s.convs]  # [B, F, R] each
        m = torch.cat(pools, 1).permute(0, 2, 1).reshape(-1, s.features)  # [B·R, ΣF]
        u = s.highway(m)
        y = torch.sigmoid(u) * F.relu(u) + (1 - torch.sigmoid(u)) * m
        return s.out(s.dropout(y)).squeeze(-1)


def penalty(x, weight):
    """γ/2 · mean over examples of ‖∇ₓ a‖² (a: an example's logits summed), by double backprop."""
    x = x.detach().requires_grad_()
    (grad,) = torch.autograd.grad(d(x).sum(), x, create_graph=True)
    return weight / 2 * grad.pow(2).sum(dim=(1, 2)).mean()


g, d = G(), RelGAN_D() if a.relgan else D()
og = torch.optim.Adam(g.parameters(), 1e-3, betas=(0.5, 0.999))
od = torch.optim.Adam(d.parameters(), 1e-3, betas=(0.5, 0.999))
real_idx = torch.randint(0, V, (5000, T))


def step(it):
    tau = 2.0
    onehot = F.one_hot(real_idx[torch.randint(0, 5000, (B,))], V).float()
    if a.relgan:
        tau, xr = 1.0, onehot
    else:
        xr = F.softmax((torch.log(onehot * 0.9 + (1 - onehot) * 0.1 / (V - 1)) + gumbel(B, T, V)) / tau, -1)
    xf = g(tau)
    if a.relgan:
        ld = F.softplus(-(d(xr) - d(xf.detach()))).mean()
    else:
        ld = F.softplus(-d(xr)).mean() + F.softplus(d(xf.detach())).mean()
    if a.penalty > 0:
        ld = ld + penalty(xr, a.penalty)
    if a.fake_penalty > 0:
        ld = ld + penalty(xf, a.fake_penalty)
    od.zero_grad()
    ld.backward()
    od.step()
    lg = F.softplus(-(d(xf) - d(xr))).mean() if a.relgan else -d(xf).mean()
    og.zero_grad()
    lg.backward()
    og.step()


for i in range(a.warmup):
    step(i)
t0 = time.perf_counter()
for i in range(a.iters):
    step(a.warmup + i)
print(f"iters={a.iters} sec_per_iter={(time.perf_counter() - t0) / a.iters:.6f}")
