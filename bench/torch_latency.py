#!/usr/bin/python3
"""PyTorch eager latency of one zoo model, in its own process.

  /usr/bin/python3 bench/torch_latency.py NAME --threads N [--runs 30] [--warmup 5]

Prints `median: X ms`. bench/run.py runs this as a child process: PyTorch's
intra-op threads keep running after a measurement and, inside the bench's own
process, slowed the next model's Tessera and onnxruntime children by up to
2x (ResNet-50 at 1 thread: 197-213 ms with PyTorch timed in-process before
it, 112 ms without).
"""

import argparse
import os
import statistics
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(BENCH), "test", "e2e"))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    import torch
    import zoo
    if args.name not in zoo.MODELS:
        parser.error(f"unknown model '{args.name}' (known: {', '.join(sorted(zoo.MODELS))})")
    torch.set_num_threads(args.threads)
    model, x, _ = zoo.MODELS[args.name][0]()
    tx = torch.from_numpy(x)
    with torch.no_grad():
        for _ in range(args.warmup):
            model(tx)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            model(tx)
            times.append((time.perf_counter() - start) * 1e3)
    print(f"median: {statistics.median(times):.3f} ms")


if __name__ == "__main__":
    main()
