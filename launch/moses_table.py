"""The molecule benchmark's table from the run folders of launch/moses-table.

    python3 launch/moses_table.py FOLDER

Reads FOLDER/{mle,gan,adv}-seed*/moses-metrics.json (launch/moses-eval; a run that stores a
sampling temperature T, train --sample-temperature, is scored at it), the same runs sampled at
another temperature T where scored (moses-metrics-T<T>.json); both kinds of row read "at T <T>" and
share one mean, since a run's stored T and `sample --temperature T` draw alike. And each run's wall
time (the last `seconds` of its metrics.jsonl, summed over the pieces of a resumed run; an
adversarial phase adds the time of the maximum-likelihood run it started from), and prints a
Markdown table: one row per run, the mean of each kind over its seeds, and MOSES's published
rows (README of molecularsets/moses, test set) beside them. Standard library only.
"""
import functools
import glob
import json
import os
import re
import sys

COLUMNS = ["valid", "unique@1k", "unique@10k", "FCD/Test", "SNN/Test", "Frag/Test", "Scaf/Test", "IntDiv", "Filters",
           "Novelty"]
KINDS = {"mle": "moses-mle (maximum likelihood)", "gan": "moses-gan from moses-mle", "adv": "moses-gan, purely adversarial"}
PUBLISHED = [
    ("MOSES CharRNN (published)", [0.975, 1.000, 0.999, 0.073, 0.601, 1.000, 0.924, 0.856, 0.994, 0.842]),
    ("MOSES VAE (published)", [0.977, 1.000, 0.998, 0.099, 0.626, 0.999, 0.939, 0.856, 0.997, 0.695]),
    ("MOSES LatentGAN (published)", [0.897, 1.000, 0.997, 0.297, 0.537, 0.999, 0.887, 0.857, 0.974, 0.950]),
]


def is_number(value):
    """Whether a JSON value is a number (JSON's true and false are not)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@functools.lru_cache(maxsize=None)
def wall_seconds(folder):
    """The run's training and evaluation time from its metrics.jsonl: the last `seconds`, or for
    a run resumed by an older trainer (whose `seconds` started again from 0) the sum of each
    piece's last. Read once per folder: each temperature's rows ask again."""
    done, last = 0.0, None
    path = os.path.join(folder, "metrics.jsonl")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        for number, line in enumerate(f, 1):
            try:
                seconds = json.loads(line).get("seconds") if line.strip() else None
                if seconds is not None and not is_number(seconds):
                    raise ValueError
            except (ValueError, AttributeError):
                print(f"moses_table: {path} line {number} is not a JSON record; its wall time is left out", file=sys.stderr)
                return None
            if seconds is None:
                continue
            if last is not None and seconds < last:
                done += last
            last = seconds
    return None if last is None else done + last


def temperatures(runs):
    """The sampling temperatures other than 1 at which any of the run folders was scored
    (moses-metrics-T<T>.json), coolest first."""
    found = set()
    for run in runs:
        for path in glob.glob(os.path.join(run, "moses-metrics-T*.json")):
            if m := re.fullmatch(r"moses-metrics-T([0-9]+(?:\.[0-9]+)?)\.json", os.path.basename(path)):
                found.add(m.group(1))
    return sorted(found, key=float)


def stored_temperature(folder):
    """The run's own sampling temperature (config.json's sampleTemperature) as written, or None
    for 1 or a run without one."""
    try:
        with open(os.path.join(folder, "config.json"), encoding="utf-8", errors="replace") as f:
            value = json.load(f).get("sampleTemperature")
    except (OSError, ValueError, AttributeError):
        return None
    return None if not is_number(value) or value == 1 else f"{value:g}"


def cell(value, digits=3):
    return "–" if value is None else f"{value:.{digits}f}"


def minutes(seconds):
    return "–" if seconds is None else f"{seconds / 60:.0f} min"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 launch/moses_table.py FOLDER")
    folder = sys.argv[1]
    rows, means = [], []
    for kind, title in KINDS.items():
        seeds = sorted(int(m.group(1)) for p in glob.glob(os.path.join(folder, f"{kind}-seed*"))
                       if (m := re.fullmatch(kind + r"-seed(\d+)", os.path.basename(p))))
        runs = [os.path.join(folder, f"{kind}-seed{seed}") for seed in seeds]
        found = {}
        for temperature in [None] + temperatures(runs):
            name = "moses-metrics.json" if temperature is None else f"moses-metrics-T{temperature}.json"
            again = "" if temperature is None else f" 30000 {temperature}"
            for seed, path in zip(seeds, runs):
                metrics_path = os.path.join(path, name)
                if not os.path.exists(metrics_path):
                    continue
                try:
                    with open(metrics_path, encoding="utf-8", errors="replace") as f:
                        metrics = json.load(f)
                    if not isinstance(metrics, dict) or not all(metrics.get(c) is None or is_number(metrics[c]) for c in COLUMNS):
                        raise ValueError
                except ValueError:
                    sys.exit(f"moses_table: {metrics_path} is not a JSON object of numbers; score the run again with launch/moses-eval {path}{again}")
                seconds = wall_seconds(path)
                start = os.path.join(folder, f"mle-seed{seed}")
                if kind == "gan" and seconds is not None and os.path.isdir(start):
                    before = wall_seconds(start)
                    seconds = None if before is None else seconds + before
                values = [metrics.get(c) for c in COLUMNS]
                sampled_at = temperature if temperature is not None else stored_temperature(path)
                label = title if sampled_at is None else f"{title} at T {sampled_at}"
                found.setdefault(label, []).append(values)
                rows.append(f"| {label} | {seed} | " + " | ".join(cell(v) for v in values) + f" | {minutes(seconds)} |")
        for label, group in found.items():
            mean = [None if any(v[i] is None for v in group) else sum(v[i] for v in group) / len(group) for i in range(len(COLUMNS))]
            means.append(f"| {label}, mean of {len(group)} | – | " + " | ".join(cell(v) for v in mean) + " | – |")
    if not rows:
        sys.exit(f"moses_table: no {{mle,gan,adv}}-seed*/moses-metrics.json under {folder}; run launch/moses-table")
    print("| model | seed | " + " | ".join(COLUMNS) + " | wall time |")
    print("| --- " * (len(COLUMNS) + 3) + "|")
    for line in rows + means:
        print(line)
    for title, values in PUBLISHED:
        print(f"| {title} | – | " + " | ".join(cell(v) for v in values) + " | – |")


if __name__ == "__main__":
    main()
