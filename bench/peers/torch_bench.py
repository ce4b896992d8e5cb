"""PyTorch peer of `npm run bench`: builds the TF.js weights as a PyTorch network
(torch_models.py), checks its features against Tailor's, then times it.

  python3 torch_bench.py --model-dir DIR --feature-layer NAME --pool 1 \
      --mode eager|optimised --input X.bin --expect F.bin --dim 512 \
      --batches 1,8,32 --runs 5 --images-per-run 32 [--threads 2]

With --serve it times on request instead (see --help), so the caller can
interleave it with other runners.

X.bin: float32 NHWC images in the backbone's input range; F.bin: Tailor's
features of them. Prints one JSON object. Exits 3 without timing when the
max abs difference exceeds --tolerance.

Modes: `eager` is how PyTorch tutorials run a model (eval(), no_grad, NCHW,
default threads and malloc); `optimised` traces and freezes TorchScript,
uses channels-last and inference_mode; the caller also sets
MALLOC_MMAP_MAX_=0 for it (glibc otherwise maps and unmaps every large
activation, and batch 32 spends its time in page faults).
"""
import argparse
import json
import sys
import time

import numpy as np
import torch

from torch_models import build_features


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model-dir', required=True)
    p.add_argument('--feature-layer', required=True)
    p.add_argument('--pool', type=int, default=1)
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--mode', choices=['eager', 'optimised'], required=True)
    p.add_argument('--input', required=True)
    p.add_argument('--expect', required=True)
    p.add_argument('--dim', type=int, required=True)
    p.add_argument('--tolerance', type=float, default=1e-3)
    p.add_argument('--features-out')
    p.add_argument('--batches', default='1,8,32')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--images-per-run', type=int, default=32)
    p.add_argument('--threads', type=int)
    p.add_argument('--serve', action='store_true',
                   help='after the parity check, time on request: read {"batch", "calls"} JSON lines from stdin, '
                        'answer {"seconds"} (lets the caller interleave runners)')
    a = p.parse_args()

    if a.threads:
        torch.set_num_threads(a.threads)
    images = np.fromfile(a.input, dtype='<f4').reshape(-1, a.size, a.size, 3)
    expected = np.fromfile(a.expect, dtype='<f4').reshape(-1, a.dim)
    nchw = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))
    net = build_features(a.model_dir, a.feature_layer, bool(a.pool), a.size)

    if a.mode == 'eager':
        def run(x):
            with torch.no_grad():
                return net(x)
        prepare = lambda x: x
    else:
        net = net.to(memory_format=torch.channels_last)
        prepare = lambda x: x.contiguous(memory_format=torch.channels_last)
        with torch.inference_mode():
            frozen = torch.jit.freeze(torch.jit.trace(net, prepare(nchw[:1])))
        def run(x):
            with torch.inference_mode():
                return frozen(x)

    got = run(prepare(nchw)).numpy()
    diff = float(np.abs(got - expected).max()) if got.shape == expected.shape else float('inf')
    if a.features_out:
        got.astype('<f4').tofile(a.features_out)
    report = {
        'torch': torch.__version__,
        'mode': a.mode,
        'threads': torch.get_num_threads(),
        'channelsLast': a.mode == 'optimised',
        'torchscript': a.mode == 'optimised',
        'parity': diff,
        'shape': list(got.shape),
        'figures': [],
    }
    if not diff <= a.tolerance:
        report['error'] = f'features differ from Tailor by {diff} (tolerance {a.tolerance}); not timed'
        print(json.dumps(report))
        sys.exit(3)

    if a.serve:
        print(json.dumps(report), flush=True)
        batches = {}
        for line in sys.stdin:
            req = json.loads(line)
            batch = int(req['batch'])
            if batch not in batches:
                batches[batch] = prepare(nchw[[i % len(images) for i in range(batch)]].contiguous())
            x = batches[batch]
            t0 = time.perf_counter()
            for _ in range(int(req['calls'])):
                run(x)
            print(json.dumps({'seconds': time.perf_counter() - t0}), flush=True)
        return

    for batch in [int(b) for b in a.batches.split(',')]:
        idx = [i % len(images) for i in range(batch)]
        x = prepare(nchw[idx].contiguous())
        calls = max(1, a.images_per_run // batch)
        for _ in range(a.warmup):
            run(x)
        rates = []
        for _ in range(a.runs):
            t0 = time.perf_counter()
            for _ in range(calls):
                run(x)
            rates.append(calls * batch / (time.perf_counter() - t0))
        report['figures'].append({'batch': batch, 'imgPerSec': rates})
    print(json.dumps(report))


if __name__ == '__main__':
    main()
