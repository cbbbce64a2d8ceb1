"""A small CNN made by another framework: trains a few steps in PyTorch on MNIST, exports it with
torch.onnx.export, and writes its logits on the first test images, for tests/cli/onnx.test.mjs
to compare with Profundo's predictions after import.
  /usr/bin/python3 tests/interop/torch_cnn.py MNIST_DIR OUT_DIR [test images]
Inputs are pixels / 255 (Profundo's default normalisation for a model without metadata)."""
import json
import os
import sys

import torch
from torch import nn

# The IDX reader of the PyTorch project Profundo exports (engine/interop/pytorch/data.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../engine/interop/pytorch"))
from data import read_idx  # noqa: E402


def find(directory, base):
    for name in (base + ".gz", base):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise FileNotFoundError(os.path.join(directory, base))


mnist, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 64
torch.manual_seed(1)
train_x = torch.tensor(read_idx(find(mnist, "train-images-idx3-ubyte"))[:2048], dtype=torch.float32).unsqueeze(1) / 255
train_y = torch.tensor(read_idx(find(mnist, "train-labels-idx1-ubyte"))[:2048], dtype=torch.long)
test_x = torch.tensor(read_idx(find(mnist, "t10k-images-idx3-ubyte"))[:count], dtype=torch.float32).unsqueeze(1) / 255

model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 5), nn.LeakyReLU(0.1), nn.AvgPool2d(2),
    nn.Flatten(), nn.Linear(16 * 5 * 5, 32), nn.Tanh(), nn.Dropout(0.3), nn.Linear(32, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
model.train()
for step in range(min(32, len(train_x) // 64)):
    batch = slice(64 * step, 64 * step + 64)
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
    loss.backward()
    optimizer.step()
model.eval()
with torch.no_grad():
    logits = model(test_x)
torch.onnx.export(model, test_x[:1], os.path.join(out, "torch-cnn.onnx"), input_names=["image"], output_names=["logits"],
                  dynamic_axes={"image": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                  training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)  # EVAL folds BatchNorm into Conv
with open(os.path.join(out, "torch-cnn.json"), "w") as f:
    json.dump({"logits": logits.tolist(), "loss": float(loss)}, f)
