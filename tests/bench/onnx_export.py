#!/usr/bin/python3
"""The ONNX file that the browser benchmark's ONNX Runtime Web rows run: a Profundo model with
Profundo's own weights, mirrored in PyTorch and written by torch.onnx.export.

    /usr/bin/python3 tests/bench/onnx_export.py IN.json OUT.onnx

IN.json (written by scripts/bench-browser.mjs from the engine's worker): {"spec": the model's
ModelSpec, "parameters": every parameter's values in Model::parameters() order (W then b per layer,
W as [out, in] or [K, C, kh, kw], which is PyTorch's layout too), "images": a few images
[N·C·H·W], "probabilities": the engine's softmax outputs for them [N·classes]}. The mirror must
give the engine's probabilities within 1e-4 or nothing is written. The graph ends in the softmax,
as BatchTrainer::predict does, with a free batch dimension.

This is the benchmark's own bridge until the engine exports ONNX itself (`export --format onnx`).
"""
import json
import sys

import torch
from torch import nn

TOLERANCE = 1e-4


def mirror(spec):
    """nn.Sequential of the spec's layers (those the image presets use), then a softmax."""
    shape = tuple(spec["input"])
    layers = []
    for index, layer in enumerate(spec["layers"]):
        kind = layer["type"]
        if kind == "conv2d":
            k, stride = layer["kernel_size"], layer.get("stride") or 1
            if layer.get("padding", "valid") == "same" and (stride != 1 or k % 2 == 0):
                raise SystemExit(f"layer {index}: 'same' padding is mirrored for stride 1 and odd kernels only")
            padding = k // 2 if layer.get("padding") == "same" else 0
            made = nn.Conv2d(shape[0], layer["filters"], k, stride, padding)
        elif kind == "dense":
            made = nn.Linear(shape[0], layer["units"])
        elif kind == "relu":
            made = nn.ReLU()
        elif kind == "maxpool2d":
            made = nn.MaxPool2d(layer["kernel_size"], layer.get("stride") or layer["kernel_size"])
        elif kind == "flatten":
            made = nn.Flatten()
        elif kind == "dropout":
            made = nn.Dropout(layer["p"])  # identity in evaluation
        else:
            raise SystemExit(f"layer {index}: no PyTorch mirror for layer type {kind!r}")
        layers.append(made)
        with torch.no_grad():
            shape = tuple(made.eval()(torch.zeros((1, *shape))).shape[1:])
    return nn.Sequential(*layers, nn.Softmax(dim=1)).eval()


def main(source, target):
    with open(source, encoding="utf8") as file:
        data = json.load(file)
    model = mirror(data["spec"])
    parameters = list(model.parameters())
    if len(parameters) != len(data["parameters"]):
        raise SystemExit(f"{source}: the model has {len(parameters)} parameters, the file {len(data['parameters'])}")
    with torch.no_grad():
        for index, (parameter, values) in enumerate(zip(parameters, data["parameters"])):
            if parameter.numel() != len(values):
                raise SystemExit(f"{source}: parameter {index} has {parameter.numel()} values in PyTorch, {len(values)} in the file")
            parameter.copy_(torch.tensor(values, dtype=torch.float32).reshape(parameter.shape))
        images = torch.tensor(data["images"], dtype=torch.float32).reshape(-1, *data["spec"]["input"])
        expected = torch.tensor(data["probabilities"], dtype=torch.float32).reshape(images.shape[0], -1)
        difference = (model(images) - expected).abs().max().item()
    if difference > TOLERANCE:
        raise SystemExit(f"the PyTorch mirror's probabilities differ from the engine's by {difference:.2e} (> {TOLERANCE})")
    torch.onnx.export(model, images, target, input_names=["images"], output_names=["probabilities"],
                      dynamic_axes={"images": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=13)
    print(json.dumps({"onnx": target, "max_difference": difference}))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: onnx_export.py IN.json OUT.onnx")
    main(sys.argv[1], sys.argv[2])
