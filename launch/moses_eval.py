"""MOSES's metrics of generated SMILES, computed with MOSES's own functions (molsets 0.3.1).

    python3 launch/moses_eval.py SAMPLES [--data FOLDER] [--jobs N] [--json OUT]

SAMPLES holds one generated string per line, as `trainer sample` writes them (an empty line
is an empty, invalid sample). FOLDER (default data/moses, written by launch/moses-data) holds
train.txt and the test sets' statistics. Prints the metrics MOSES reports, in its order and
names: valid, unique@1k, unique@10k, FCD/Test, SNN/Test, Frag/Test, Scaf/Test, IntDiv,
Filters, Novelty. FCD needs the fcd_torch package; without it FCD is reported as missing and
the rest computed.
"""
import argparse
import json
import os
import sys


def read_samples(path):
    """The samples of a file written by `trainer sample`: one per line, empty lines kept. A file
    that cannot be read, or is not UTF-8, ends the program with one line saying which."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        sys.exit(f"moses-eval: {path}: {e.strerror}; give a run folder or a file of SMILES, one per line")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        sys.exit(f"moses-eval: {path} line {line}: not UTF-8 text; give one SMILES string per line")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("samples")
    p.add_argument("--data", default="data/moses")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--json")
    a = p.parse_args()
    gen = read_samples(a.samples)
    if not gen:
        sys.exit(f"moses-eval: {a.samples}: no samples")
    train_path = os.path.join(a.data, "train.txt")
    if not os.path.exists(train_path):
        sys.exit(f"moses-eval: {train_path}: missing; run launch/moses-data first")

    import types

    import numpy as np
    from multiprocessing import Pool

    # molsets 0.3.1's SA score imports rdkit.six, which RDKit removed in 2021; it needs only
    # iteritems.
    if "rdkit.six" not in sys.modules:
        six = types.ModuleType("rdkit.six")
        six.iteritems = lambda d: iter(d.items())
        sys.modules["rdkit.six"] = six
    import moses.metrics.metrics as moses_metrics
    from scipy.spatial.distance import cosine

    # Frag/Scaf compare fragment counts by cosine. Recent SciPy (1.17 here) computes it in the vectors'
    # integer type, where the squared norms of 30,000 molecules' counts overflow int64 (math
    # domain error); older SciPy, which MOSES was written for, averaged in float64. Same formula.
    moses_metrics.cos_distance = lambda u, v: cosine(np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64))
    from moses.metrics.metrics import (FragMetric, ScafMetric, SNNMetric, fraction_passes_filters, fraction_unique,
                                       fraction_valid, internal_diversity, novelty, remove_invalid)
    from moses.utils import disable_rdkit_log, get_mol, mapper

    try:
        from fcd_torch import FCD
    except ImportError:
        FCD = None
        print("moses-eval: fcd_torch is not installed; FCD is left out", file=sys.stderr)

    train = read_samples(train_path)
    ptest = np.load(os.path.join(a.data, "test_stats.npz"), allow_pickle=True)["stats"].item()
    disable_rdkit_log()
    pool = Pool(a.jobs) if a.jobs > 1 else 1
    # The sequence of moses.metrics.get_all_metrics, for the test set's rows of MOSES's table.
    metrics = {"count": len(gen), "valid": fraction_valid(gen, n_jobs=pool)}
    valid = remove_invalid(gen, canonize=True)
    for k in (1000, 10000):
        metrics[f"unique@{k // 1000}k"] = fraction_unique(valid, k, pool) if valid else 0.0
    if valid:
        mols = mapper(pool)(get_mol, valid)
        kwargs = {"n_jobs": pool, "device": "cpu", "batch_size": 512}
        metrics["FCD/Test"] = FCD(n_jobs=a.jobs, device="cpu", batch_size=512)(gen=valid, pref=ptest["FCD"]) if FCD else None
        metrics["SNN/Test"] = SNNMetric(**kwargs)(gen=mols, pref=ptest["SNN"])
        metrics["Frag/Test"] = FragMetric(**kwargs)(gen=mols, pref=ptest["Frag"])
        metrics["Scaf/Test"] = ScafMetric(**kwargs)(gen=mols, pref=ptest["Scaf"])
        metrics["IntDiv"] = internal_diversity(mols, pool, device="cpu")
        metrics["Filters"] = fraction_passes_filters(mols, pool)
        metrics["Novelty"] = novelty(mols, train, pool)
    if pool != 1:
        pool.close()
        pool.join()
    metrics = {k: (float(v) if v is not None else None) for k, v in metrics.items()}
    print(" ".join(f"{k}={'missing' if v is None else format(v, '.4f')}" for k, v in metrics.items()))
    if a.json:
        # JSON has no NaN (MOSES's Scaf is NaN when no sample has a ring): null instead.
        finite = {k: (v if v is not None and v == v else None) for k, v in metrics.items()}
        with open(a.json + ".tmp", "w") as f:
            json.dump(finite, f, indent=1, sort_keys=True, allow_nan=False)
        os.replace(a.json + ".tmp", a.json)


if __name__ == "__main__":
    main()
