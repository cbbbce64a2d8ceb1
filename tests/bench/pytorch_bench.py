#!/usr/bin/python3
"""PyTorch's side of `npm run bench`: the workloads of engine/cli/bench.cpp in PyTorch on the CPU.

    /usr/bin/python3 tests/bench/pytorch_bench.py [--seconds S] [--repeats R] [--threads 1,2]
                                                  [--models tfjs-cnn,char-lstm] [--json]

Same layers, shapes, optimiser, batch and synthetic data statistics as profundo-bench, the same
timing (a warm-up of min(1, S/2) s, then R runs of at least S s; the median is the middle of the
sorted rates) and the same JSON line per case, with "runtime": "pytorch" and "blas": the BLAS
library this process loaded (PyTorch's dense layers and LSTM multiply through it; which one
libblas.so.3 is depends on Debian's alternatives and LD_LIBRARY_PATH). GFLOP/s count the
multiply-adds of convolutions, dense layers and LSTM gates as engine/model/flops.cpp and bench.cpp
do, so both sides divide the same work. Run it with Debian's /usr/bin/python3 (python3-torch).
"""
import argparse
import ctypes
import json
import os
import sys
import time

import torch
from torch import nn

# (model, kind, batch) in profundo-bench's order: workloads A, B, A-inf and C of issue #7.
CASES = [("tfjs-cnn", "train", 64), ("keras-cnn", "train", 128), ("tfjs-cnn", "infer", 256), ("char-lstm", "train", 32)]

# Workload C: vocabulary 65 (tiny Shakespeare), embedding 64, one LSTM layer of 128, T 64 × N 32.
VOCABULARY, EMBEDDING, HIDDEN, STEPS = 65, 64, 128, 64


# ---- models (engine/model/presets.cpp) ------------------------------------------------------------

def tfjs_cnn():
    # [N,1,28,28] -> conv 5x5 valid [N,8,24,24] -> pool [N,8,12,12] -> conv [N,16,8,8] -> pool [N,16,4,4]
    return nn.Sequential(
        nn.Conv2d(1, 8, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 4 * 4, 10))


def keras_cnn():
    # [N,1,28,28] -> conv 3x3 [N,32,26,26] -> pool [N,32,13,13] -> conv [N,64,11,11] -> pool [N,64,5,5]
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 5 * 5, 10))


# The preset's Adam learning rates (keras-cnn's decay schedule costs nothing per step and is left out).
IMAGE_MODELS = {"tfjs-cnn": (tfjs_cnn, 0.003), "keras-cnn": (keras_cnn, 0.001)}


class CharLstm(nn.Module):
    """inputs [T, N] indices -> embedding [T, N, E] -> LSTM [T, N, H] -> logits [T·N, V]."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCABULARY, EMBEDDING)
        self.lstm = nn.LSTM(EMBEDDING, HIDDEN)
        self.head = nn.Linear(HIDDEN, VOCABULARY)

    def forward(self, inputs, state):
        outputs, state = self.lstm(self.embedding(inputs), state)
        return self.head(outputs.reshape(-1, HIDDEN)), state


# ---- FLOPs per sample, counted like engine/model/flops.cpp ----------------------------------------

def layer_forward_flops(model, input_shape=(1, 1, 28, 28)):
    """Per layer, 2 FLOPs per multiply-add of Conv2d (out elements · C_in · k²) and Linear (in · out)."""
    flops = []
    x = torch.zeros(input_shape)
    with torch.no_grad():
        for layer in model:
            y = layer(x)
            if isinstance(layer, nn.Conv2d):
                flops.append(2.0 * y.numel() * layer.in_channels * layer.kernel_size[0] * layer.kernel_size[1])
            elif isinstance(layer, nn.Linear):
                flops.append(2.0 * layer.in_features * layer.out_features)
            else:
                flops.append(0.0)
            x = y
    return flops


def forward_flops_per_sample(model):
    return sum(layer_forward_flops(model))


def training_flops_per_sample(model):
    """Forward, every weight gradient, and every input gradient but the first trained layer's: the
    images need none, so autograd skips it (as Model::backward does; engine/model/flops.cpp)."""
    flops = layer_forward_flops(model)
    first = next(i for i, layer in enumerate(model) if any(True for _ in layer.parameters()))
    return sum(flops) + sum(f if i == first else 2.0 * f for i, f in enumerate(flops) if i >= first)


def char_lstm_flops_per_character():
    # As bench.cpp: input projection E·4H, recurrence H·4H, head H·V; ×2 FLOPs, ×3 forward + backward.
    return 3.0 * 2.0 * (EMBEDDING * 4 * HIDDEN + HIDDEN * 4 * HIDDEN + HIDDEN * VOCABULARY)


# ---- timing (engine/cli/bench.cpp) ----------------------------------------------------------------

def rate(step, samples_per_step, seconds):
    """Samples per second of `step` run until at least `seconds` have passed."""
    start = time.perf_counter()
    samples = 0
    elapsed = 0.0
    while True:
        step()
        samples += samples_per_step
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return samples / elapsed


def measure(step, samples_per_step, seconds, repeats):
    rate(step, samples_per_step, min(1.0, seconds / 2))  # warm-up: allocator, oneDNN primitives, pages
    rates = sorted(rate(step, samples_per_step, seconds) for _ in range(repeats))
    return rates[len(rates) // 2], rates[0], rates[-1]


# ---- the cases ------------------------------------------------------------------------------------

def synthetic_images(batch, generator):
    """Like fill_synthetic: 80 % zeros, uniform in [0, 1) otherwise; random labels (one-hot as indices)."""
    keep = torch.rand(batch, 1, 28, 28, generator=generator) >= 0.8
    x = torch.where(keep, torch.rand(batch, 1, 28, 28, generator=generator), torch.zeros(()))
    return x, torch.randint(0, 10, (batch,), generator=generator)


def image_case(model_name, kind, batch, seconds, repeats):
    make, learning_rate = IMAGE_MODELS[model_name]
    model = make()
    x, labels = synthetic_images(batch, torch.Generator().manual_seed(1))
    if kind == "train":
        model.train()
        optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate, betas=(0.9, 0.999), eps=1e-8)
        loss_fn = nn.CrossEntropyLoss()  # softmax cross-entropy on the logits, mean over the batch

        def step():
            optimizer.zero_grad(set_to_none=False)
            loss_fn(model(x), labels).backward()
            optimizer.step()

        return measure(step, batch, seconds, repeats), training_flops_per_sample(model)

    model.eval()

    def predict():  # BatchTrainer::predict: a forward pass in eval mode, then the softmax
        with torch.inference_mode():
            model(x).softmax(dim=1)

    return measure(predict, batch, seconds, repeats), forward_flops_per_sample(model)


def char_lstm_case(batch, seconds, repeats):
    torch.manual_seed(1)
    model = CharLstm()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.002, betas=(0.9, 0.999), eps=1e-8)
    loss_fn = nn.CrossEntropyLoss()  # mean over the T·N characters
    generator = torch.Generator().manual_seed(2)
    inputs = torch.randint(0, VOCABULARY, (STEPS, batch), generator=generator)
    targets = torch.randint(0, VOCABULARY, (STEPS * batch,), generator=generator)
    parameters = list(model.parameters())
    state = None  # carried between steps like the text model's recurrent layers, without gradients through it

    def step():
        nonlocal state
        optimizer.zero_grad(set_to_none=False)
        logits, (h, c) = model(inputs, state)
        loss_fn(logits, targets).backward()
        torch.nn.utils.clip_grad_norm_(parameters, 5.0)
        optimizer.step()
        state = (h.detach(), c.detach())

    return measure(step, STEPS * batch, seconds, repeats), char_lstm_flops_per_character()


# ---- which BLAS ---------------------------------------------------------------------------------

class _DlInfo(ctypes.Structure):
    _fields_ = [("dli_fname", ctypes.c_char_p), ("dli_fbase", ctypes.c_void_p),
                ("dli_sname", ctypes.c_char_p), ("dli_saddr", ctypes.c_void_p)]


def loaded_blas():
    """The library that PyTorch's sgemm_ comes from in this process, e.g. "OpenBLAS 0.3.21
    (Cooperlake kernels, /usr/lib/…/openblas-pthread/libblas.so.3)" or "reference BLAS (…)".
    Both may be mapped (OpenBLAS' LAPACK pulls in libopenblas), so the symbol decides, not the map."""
    torch_cpu = ctypes.CDLL(os.path.join(os.path.dirname(torch.__file__), "lib", "libtorch_cpu.so"))
    info = _DlInfo()
    if not ctypes.CDLL(None).dladdr(ctypes.cast(torch_cpu.sgemm_, ctypes.c_void_p), ctypes.byref(info)):
        return "unknown (dladdr found no library for sgemm_)"
    path = os.path.realpath(info.dli_fname.decode())
    library = ctypes.CDLL(path)
    if hasattr(library, "openblas_get_corename"):
        library.openblas_get_corename.restype = ctypes.c_char_p
        library.openblas_get_config.restype = ctypes.c_char_p
        version = library.openblas_get_config().decode().split()[1]
        return f"OpenBLAS {version} ({library.openblas_get_corename().decode()} kernels, {path})"
    if "/blas/" in path:
        return f"reference BLAS (netlib, {path})"
    return path


# ---- command line ---------------------------------------------------------------------------------

def thread_list(text):
    threads = [int(item) for item in text.split(",") if item]
    if not threads or min(threads) < 1:
        raise argparse.ArgumentTypeError(f"expects thread counts like 1,2, got {text!r}")
    return threads


def main():
    parser = argparse.ArgumentParser(description="PyTorch CPU throughput on profundo-bench's workloads")
    parser.add_argument("--seconds", type=float, default=10.0, help="at least this long per timed run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per case")
    parser.add_argument("--threads", type=thread_list, default=[1, 2], help="thread counts, e.g. 1,2")
    parser.add_argument("--models", default="", help="only these models, e.g. tfjs-cnn,char-lstm")
    parser.add_argument("--json", action="store_true", help="one JSON line per case")
    args = parser.parse_args()
    if args.seconds <= 0 or args.repeats < 1:
        parser.error(f"--seconds must be above 0 and --repeats at least 1, got {args.seconds} and {args.repeats}")
    only = [name for name in args.models.split(",") if name]

    blas = loaded_blas()
    if not args.json:
        print(f"PyTorch {torch.__version__}, BLAS: {blas}")
        print(f"{'model':<10} {'kind':<6} {'batch':>6} {'threads':>8} {'samples/s*':>14} {'range':>22} {'GFLOP/s':>9}")
    for model_name, kind, batch in CASES:
        if only and model_name not in only:
            continue
        for threads in args.threads:
            torch.set_num_threads(threads)
            if model_name == "char-lstm":
                (median, low, high), flops = char_lstm_case(batch, args.seconds, args.repeats)
            else:
                (median, low, high), flops = image_case(model_name, kind, batch, args.seconds, args.repeats)
            row = {"model": model_name, "kind": kind, "batch": batch, "threads": threads,
                   "samples_per_second": median, "min": low, "max": high, "gflops": median * flops / 1e9,
                   "runtime": "pytorch", "blas": blas, "unit": "characters" if model_name == "char-lstm" else "samples"}
            if args.json:
                print(json.dumps(row), flush=True)
            else:
                print(f"{model_name:<10} {kind:<6} {batch:>6} {threads:>8} {median:>14.0f} "
                      f"{low:>10.0f} – {high:<9.0f} {row['gflops']:>9.1f}", flush=True)
    if not args.json:
        print("* characters per second for char-lstm (T 64 × N 32 characters per step)")


if __name__ == "__main__":
    sys.exit(main())
