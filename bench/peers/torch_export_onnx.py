"""Exports the PyTorch port of a TF.js backbone (torch_models.py) to ONNX with
torch.onnx.export — the standard conversion a PyTorch user would make — for
the ONNX Runtime peer. Input `input` [n, 3, size, size] NCHW, output
`features` [n, dim].

  python3 torch_export_onnx.py --model-dir DIR --feature-layer NAME --pool 1 --out model.onnx
"""
import argparse

import torch

from torch_models import build_features


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model-dir', required=True)
    p.add_argument('--feature-layer', required=True)
    p.add_argument('--pool', type=int, default=1)
    p.add_argument('--size', type=int, default=224)
    p.add_argument('--opset', type=int, default=13)
    p.add_argument('--out', required=True)
    a = p.parse_args()
    net = build_features(a.model_dir, a.feature_layer, bool(a.pool), a.size)
    example = torch.zeros(1, 3, a.size, a.size)
    with torch.no_grad():
        torch.onnx.export(net, example, a.out, input_names=['input'], output_names=['features'],
                          dynamic_axes={'input': {0: 'n'}, 'features': {0: 'n'}}, opset_version=a.opset,
                          do_constant_folding=True)
    print(a.out)


if __name__ == '__main__':
    main()
