"""PyTorch peer of GumbelGAN's networks, for side-by-side speed (launch/bench).

The same model in PyTorch on the CPU, as a user would write it: a generator whose initial
state (h0, c0) of every layer is uniform noise, an optional nn.Embedding table applied to its
fed-back Gumbel-softmax samples (a product, so the gradient reaches them), an nn.LSTM of
--layers layers stepped one position at a time, and nn.Linear to the logits; a discriminator
of the same shape over the whole sequence (learned initial state omitted, as PyTorch users
do), with nn.Linear on the last state. Real examples are smoothed one-hot vectors through
Gumbel-softmax at the same temperature (the paper); the losses are Algorithm 1's. Adam lr
1e-3, betas (0.5, 0.999).

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
            y = F.softmax((logits + gumbel(B, V)) / tau, dim=-1)
            ys.append(y)
            if t + 1 < T:
                o, (h, c) = s.lstm(s.embed(y).unsqueeze(0), (h, c))
                logits = s.out(o[0])
        return torch.stack(ys, 1)


class D(nn.Module):
    def __init__(s):
        super().__init__()
        s.embed, s.lstm, s.out = Embed(), nn.LSTM(I, H, num_layers=L, batch_first=True), nn.Linear(H, 1)

    def forward(s, x):
        o, _ = s.lstm(s.embed(x))
        return s.out(o[:, -1]).squeeze(-1)


g, d = G(), D()
og = torch.optim.Adam(g.parameters(), 1e-3, betas=(0.5, 0.999))
od = torch.optim.Adam(d.parameters(), 1e-3, betas=(0.5, 0.999))
real_idx = torch.randint(0, V, (5000, T))


def step(it):
    tau = 2.0
    onehot = F.one_hot(real_idx[torch.randint(0, 5000, (B,))], V).float()
    xr = F.softmax((torch.log(onehot * 0.9 + (1 - onehot) * 0.1 / (V - 1)) + gumbel(B, T, V)) / tau, -1)
    xf = g(tau)
    ld = F.softplus(-d(xr)).mean() + F.softplus(d(xf.detach())).mean()
    od.zero_grad()
    ld.backward()
    od.step()
    lg = -d(xf).mean()
    og.zero_grad()
    lg.backward()
    og.step()


for i in range(a.warmup):
    step(i)
t0 = time.perf_counter()
for i in range(a.iters):
    step(a.warmup + i)
print(f"iters={a.iters} sec_per_iter={(time.perf_counter() - t0) / a.iters:.6f}")
