"""PyTorch peer of `npm run bench`: builds the TF.js weights as a PyTorch network
(torch_models.py), checks its features against Tailor's, then times it on request.

  python3 torch_bench.py --mode eager|optimised [--threads 2]

One process serves every backbone of a run (torch is imported once). It reads
JSON requests, one per line, from stdin and answers each with one JSON line:

  {"op": "load", "key": K, "modelDir": D, "featureLayer": L, "pool": 1, "size": 224,
   "input": X.bin, "expect": F.bin, "dim": 512, "featuresOut": G.bin, "tolerance": 1e-3}
      builds the network, checks parity -> the report (with "error" when the
      max abs difference exceeds the tolerance: then it is not kept for timing)
  {"op": "time", "key": K, "batch": 8, "calls": 4}  -> {"seconds": s}
  {"op": "drop", "key": K}                          -> {}
  {"op": "export", "modelDir": D, "featureLayer": L, "pool": 1, "size": 224, "out": M.onnx}
      torch.onnx.export of the port (the ONNX Runtime peer's model) -> {"out": M.onnx}

X.bin: float32 NHWC images in the backbone's input range; F.bin: Tailor's
features of them.

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


def load(mode, req):
    size = int(req.get('size', 224))
    images = np.fromfile(req['input'], dtype='<f4').reshape(-1, size, size, 3)
    expected = np.fromfile(req['expect'], dtype='<f4').reshape(-1, int(req['dim']))
    nchw = torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))
    net = build_features(req['modelDir'], req['featureLayer'], bool(req.get('pool', 1)), size)

    if mode == 'eager':
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
    if req.get('featuresOut'):
        got.astype('<f4').tofile(req['featuresOut'])
    report = {
        'torch': torch.__version__,
        'mode': mode,
        'threads': torch.get_num_threads(),
        'channelsLast': mode == 'optimised',
        'torchscript': mode == 'optimised',
        'parity': diff,
        'shape': list(got.shape),
    }
    tolerance = float(req.get('tolerance', 1e-3))
    if not diff <= tolerance:
        report['error'] = f'features differ from Tailor by {diff} (tolerance {tolerance}); not timed'
        return report, None
    return report, {'run': run, 'prepare': prepare, 'nchw': nchw, 'batches': {}}


def export(req):
    size = int(req.get('size', 224))
    net = build_features(req['modelDir'], req['featureLayer'], bool(req.get('pool', 1)), size)
    example = torch.zeros(1, 3, size, size)
    with torch.no_grad():
        torch.onnx.export(net, example, req['out'], input_names=['input'], output_names=['features'],
                          dynamic_axes={'input': {0: 'n'}, 'features': {0: 'n'}}, opset_version=int(req.get('opset', 13)),
                          do_constant_folding=True)
    return {'out': req['out']}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--mode', choices=['eager', 'optimised'], required=True)
    p.add_argument('--threads', type=int)
    a = p.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    print(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads()}), flush=True)
    nets = {}
    for line in sys.stdin:
        req = json.loads(line)
        op = req.get('op')
        try:
            if op == 'load':
                report, net = load(a.mode, req)
                if net:
                    nets[req['key']] = net
                answer = report
            elif op == 'time':
                net = nets[req['key']]
                batch = int(req['batch'])
                if batch not in net['batches']:
                    n = len(net['nchw'])
                    net['batches'] = {batch: net['prepare'](net['nchw'][[i % n for i in range(batch)]].contiguous())}
                x = net['batches'][batch]
                t0 = time.perf_counter()
                for _ in range(int(req['calls'])):
                    net['run'](x)
                answer = {'seconds': time.perf_counter() - t0}
            elif op == 'drop':
                nets.pop(req['key'], None)
                answer = {}
            elif op == 'export':
                answer = export(req)
            else:
                answer = {'error': f'unknown op {op!r}'}
        except Exception as error:  # answered, so the caller reports it and the process serves on
            answer = {'error': f'{type(error).__name__}: {error}'}
        print(json.dumps(answer), flush=True)


if __name__ == '__main__':
    main()
