"""Compares the tensors of two model or checkpoint files (safetensors, F32), standard library only.

    python3 launch/compare_models.py A.safetensors B.safetensors [TOLERANCE]

Prints, for the two files, whether every tensor is bit for bit the same and the largest
absolute difference over all tensors; exits 1 when the names or shapes differ or a difference
exceeds TOLERANCE (default 1e-4, the multi-rank tolerance), 0 otherwise.
"""
import array
import json
import struct
import sys


def tensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n :]
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            sys.exit(f"{path}: tensor {name} is {info['dtype']}, expected F32")
        b, e = info["data_offsets"]
        values = array.array("f")
        values.frombytes(body[b:e])
        if sys.byteorder != "little":
            values.byteswap()
        out[name] = (tuple(info["shape"]), values)
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    a, b = tensors(sys.argv[1]), tensors(sys.argv[2])
    tolerance = float(sys.argv[3]) if len(sys.argv) == 4 else 1e-4
    if a.keys() != b.keys():
        print(f"compare: different tensors: {sorted(a.keys() ^ b.keys())}")
        return 1
    worst, worst_name, identical = 0.0, "", True
    for name, (shape, x) in sorted(a.items()):
        shape_b, y = b[name]
        if shape != shape_b:
            print(f"compare: {name} has shape {list(shape)} and {list(shape_b)}")
            return 1
        if x.tobytes() != y.tobytes():
            identical = False
            d = max(abs(p - q) if p == p and q == q else float("inf") for p, q in zip(x, y))
            if d > worst:
                worst, worst_name = d, name
    where = f" ({worst_name})" if worst_name else ""
    print(f"compare: {len(a)} tensors, {'bit for bit identical' if identical else 'not identical'}, "
          f"largest difference {worst:.3g}{where}, tolerance {tolerance:g}")
    return 0 if worst <= tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
