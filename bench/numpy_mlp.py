"""
The same MNIST network in NumPy, written the way Deep Learning from Scratch writes it
(layers with forward/backward), for the benchmark's Python peer.

    python3 numpy_mlp.py DIR

DIR holds what the TypeScript side wrote: mnist_dir.txt (the IDX files' folder),
weights_<k>.f32 (W1, b1, W2, b2, W3, b3 as float32, row-major), shapes.json, and
order_<e>.i32 (the training order of epoch e). Prints one JSON line:
{"epoch_seconds": [...], "test_accuracy": ..., "numpy": "...", "blas": "..."}.
Float32 throughout, Adam as TensorFlow.js computes it (eps 1e-7), batch 32.
"""
import json
import os
import sys
import time

import numpy as np


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = None
        self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout, need_dx=True):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T if need_dx else None


class Relu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def forward(self, x, t):
        x = x - x.max(axis=1, keepdims=True)
        e = np.exp(x)
        self.y = e / e.sum(axis=1, keepdims=True)
        self.t = t
        return -np.sum(t * np.log(np.clip(self.y, 1e-7, 1 - 1e-7))) / x.shape[0]

    def backward(self):
        return (self.y - self.t) / self.t.shape[0]


class Adam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.t = 0
        self.m = self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = [np.zeros_like(p) for p in params]
            self.v = [np.zeros_like(p) for p in params]
        self.t += 1
        c1 = 1 - self.beta1 ** self.t
        c2 = 1 - self.beta2 ** self.t
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def main(folder):
    with open(os.path.join(folder, "mnist_dir.txt")) as f:
        mnist = f.read().strip()
    x_train = read_idx(os.path.join(mnist, "train-images-idx3-ubyte")).reshape(60000, 784).astype(np.float32) / 255
    t_train = np.eye(10, dtype=np.float32)[read_idx(os.path.join(mnist, "train-labels-idx1-ubyte"))]
    x_test = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte")).reshape(10000, 784).astype(np.float32) / 255
    t_test = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"))
    with open(os.path.join(folder, "shapes.json")) as f:
        shapes = json.load(f)
    ws = [np.fromfile(os.path.join(folder, f"weights_{k}.f32"), dtype=np.float32).reshape(s)
          for k, s in enumerate(shapes)]
    if ws[1].ndim == 2:
        ws = [w.reshape(-1) if w.shape[0] == 1 else w for w in ws]
    layers = [Affine(ws[0], ws[1]), Relu(), Affine(ws[2], ws[3]), Relu(), Affine(ws[4], ws[5])]
    affines = [layers[0], layers[2], layers[4]]
    head = SoftmaxWithLoss()
    opt = Adam()
    params = [p for a in affines for p in (a.W, a.b)]

    seconds = []
    e = 0
    while os.path.exists(os.path.join(folder, f"order_{e}.i32")):
        order = np.fromfile(os.path.join(folder, f"order_{e}.i32"), dtype=np.int32)
        start = time.perf_counter()
        for i in range(0, 60000, 32):
            idx = order[i:i + 32]
            h = x_train[idx]
            for layer in layers:
                h = layer.forward(h)
            head.forward(h, t_train[idx])
            d = head.backward()
            for k in range(len(layers) - 1, -1, -1):
                layer = layers[k]
                d = layer.backward(d, need_dx=k > 0) if isinstance(layer, Affine) else layer.backward(d)
            opt.update(params, [g for a in affines for g in (a.dW, a.db)])
        seconds.append(time.perf_counter() - start)
        e += 1

    h = x_test
    for layer in layers:
        h = layer.forward(h)
    accuracy = float(np.mean(h.argmax(axis=1) == t_test))
    blas = ""
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {}).get("name", "")
    except TypeError:
        blas = "see numpy.show_config()"
    print(json.dumps({"epoch_seconds": seconds, "test_accuracy": accuracy, "numpy": np.__version__, "blas": blas}))


if __name__ == "__main__":
    main(sys.argv[1])
