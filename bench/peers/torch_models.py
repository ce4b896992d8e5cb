"""Builds a TF.js layers model (Keras-converted MobileNet v1 / Darknet tiny) as a
PyTorch network with the same weights, read straight from model.json and its
weight shards: Conv2d (grouped for depthwise), BatchNorm2d, ReLU6 / LeakyReLU,
MaxPool2d and global average pooling, in NCHW.

TF's 'same' padding puts the odd padding pixel at the bottom/right (e.g. a 3x3
stride-2 conv on 224 pads 0 top, 1 bottom); PyTorch's `padding=` is symmetric,
so asymmetric cases get an explicit F.pad. Symmetric ones use `padding=` as a
hand-written PyTorch port would.
"""
import json
import math
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_tfjs(model_dir):
    """Returns (layer list of {class_name, config}, {weight name: np.ndarray})."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        model = json.load(f)
    topology = model['modelTopology']
    config = topology.get('model_config', topology)['config']
    layers = config['layers'] if isinstance(config, dict) else config
    weights = {}
    for group in model['weightsManifest']:
        data = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        offset = 0
        for spec in group['weights']:
            if spec.get('dtype', 'float32') != 'float32' or 'quantization' in spec:
                raise ValueError(f"weight {spec['name']} is not plain float32")
            count = int(np.prod(spec['shape'])) if spec['shape'] else 1
            weights[spec['name']] = np.frombuffer(data, dtype='<f4', count=count, offset=offset).reshape(spec['shape']).copy()
            offset += 4 * count
    return layers, weights


def same_pads(size, k, s):
    out = math.ceil(size / s)
    total = max((out - 1) * s + k - size, 0)
    return out, total // 2, total - total // 2


class Pad(nn.Module):
    """Explicit (left, right, top, bottom) padding with a fill value."""

    def __init__(self, pads, value=0.0):
        super().__init__()
        self.pads = pads
        self.value = value

    def forward(self, x):
        return F.pad(x, self.pads, value=self.value)


def _pads(cfg, size, k, s):
    if cfg.get('padding', 'valid') == 'valid':
        return (size - k) // s + 1, (0, 0, 0, 0)
    out, before, after = same_pads(size, k, s)
    return out, (before, after, before, after)


def _weight(weights, layer, suffix):
    for key in (f'{layer}/{suffix}', f'{layer}/{suffix}:0'):
        if key in weights:
            return torch.from_numpy(weights[key])
    return None


def _conv(cfg, weights, size, channels, depthwise):
    name = cfg['name']
    k = cfg['kernel_size'][0]
    s = cfg['strides'][0]
    out, (top, bottom, left, right) = _pads(cfg, size, k, s)
    kernel = _weight(weights, name, 'depthwise_kernel' if depthwise else 'kernel').numpy()
    if depthwise:
        kh, kw, c, m = kernel.shape
        torch_w = kernel.reshape(kh, kw, c * m).transpose(2, 0, 1)[:, None, :, :]
        out_c, groups = c * m, c
    else:
        torch_w = kernel.transpose(3, 2, 0, 1)
        out_c, groups = kernel.shape[3], 1
    symmetric = top == bottom and left == right
    conv = nn.Conv2d(channels, out_c, k, stride=s, padding=(top, left) if symmetric else 0, groups=groups,
                     bias=cfg.get('use_bias', False))
    conv.weight.data = torch.from_numpy(np.ascontiguousarray(torch_w))
    if conv.bias is not None:
        conv.bias.data = _weight(weights, name, 'bias')
    modules = [conv] if symmetric else [Pad((left, right, top, bottom)), conv]
    act = cfg.get('activation', 'linear')
    if act == 'relu':
        modules.append(nn.ReLU())
    elif act == 'relu6':
        modules.append(nn.ReLU6())
    elif act != 'linear':
        raise ValueError(f'{name}: activation {act} not supported')
    return modules, out, out_c


def _batchnorm(cfg, weights, channels):
    name = cfg['name']
    bn = nn.BatchNorm2d(channels, eps=cfg.get('epsilon', 1e-3))
    bn.running_mean.data = _weight(weights, name, 'moving_mean')
    bn.running_var.data = _weight(weights, name, 'moving_variance')
    gamma, beta = _weight(weights, name, 'gamma'), _weight(weights, name, 'beta')
    bn.weight.data = gamma if gamma is not None else torch.ones(channels)
    bn.bias.data = beta if beta is not None else torch.zeros(channels)
    return bn


def build_features(model_dir, feature_layer, pool, size=224):
    """nn.Sequential from the input to `feature_layer`, global-average-pooled when
    `pool` (or when the path passes a GlobalAveragePooling2D), flattened to [n, dim]."""
    layers, weights = read_tfjs(model_dir)
    modules = []
    channels = 3
    pooled = False
    for layer in layers:
        kind, cfg = layer['class_name'], layer['config']
        if kind == 'InputLayer':
            pass
        elif kind in ('Conv2D', 'DepthwiseConv2D'):
            mods, size, channels = _conv(cfg, weights, size, channels, kind == 'DepthwiseConv2D')
            modules += mods
        elif kind == 'BatchNormalization':
            modules.append(_batchnorm(cfg, weights, channels))
        elif kind == 'Activation' and cfg['activation'] == 'relu6':
            modules.append(nn.ReLU6())
        elif kind == 'Activation' and cfg['activation'] == 'relu':
            modules.append(nn.ReLU())
        elif kind == 'LeakyReLU':
            modules.append(nn.LeakyReLU(cfg.get('alpha', 0.3)))
        elif kind == 'MaxPooling2D':
            k, s = cfg['pool_size'][0], cfg['strides'][0]
            out, (top, bottom, left, right) = _pads(cfg, size, k, s)
            if top or bottom or left or right:
                modules.append(Pad((left, right, top, bottom), value=-math.inf))
            modules.append(nn.MaxPool2d(k, s))
            size = out
        elif kind == 'GlobalAveragePooling2D':
            pooled = True
        else:
            raise ValueError(f"layer {cfg['name']} ({kind}) not supported")
        if cfg['name'] == feature_layer:
            break
    else:
        raise ValueError(f'feature layer {feature_layer} not found')
    if pooled or pool:
        modules += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    else:
        modules.append(NhwcFlatten())
    return nn.Sequential(*modules).eval()


class NhwcFlatten(nn.Module):
    """Flattens an unpooled map in NHWC order, as Tailor does."""

    def forward(self, x):
        return x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
