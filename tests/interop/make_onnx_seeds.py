"""Writes the seed corpus of the ONNX fuzz target (tests/fuzz/corpus/onnx/): small models that use
every op and attribute form the importer reads, plus a few it must refuse. Run with Debian's python:
  /usr/bin/python3 tests/interop/make_onnx_seeds.py tests/fuzz/corpus/onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(1)


def weight(name, *shape):
    return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name)


def model(nodes, inputs, outputs, initializers, metadata=None):
    graph = helper.make_graph(nodes, "seed", inputs, outputs, initializers)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=7)
    for key, value in (metadata or {}).items():
        entry = m.metadata_props.add()
        entry.key, entry.value = key, value
    return m


def image_input(shape):
    return [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", *shape])]


def output(name, classes):
    return [helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", classes])]


seeds = {
    "seed-conv-pool-gemm-softmax": model(
        [helper.make_node("Conv", ["input", "c.w", "c.b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[1, 1]),
         helper.make_node("Relu", ["c"], ["r"], name="relu"),
         helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
         helper.make_node("Gemm", ["f", "g.w", "g.b"], ["logits"], name="gemm", transB=1),
         helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1)],
        image_input([1, 8, 8]), output("logits", 3) + output("probabilities", 3),
        [weight("c.w", 2, 1, 3, 3), weight("c.b", 2), weight("g.w", 3, 32), weight("g.b", 3)],
        {"profundo.normalization": '{"kind":"standardize","mean":0.1,"stddev":0.3}',
         "profundo.class_names": '["a","b","c"]', "profundo.loss": "softmax_cross_entropy"}),
    "seed-bn-avgpool-matmul": model(
        [helper.make_node("Conv", ["input", "c.w"], ["c"], name="conv", kernel_shape=[2, 2], strides=[2, 2]),
         helper.make_node("BatchNormalization", ["c", "bn.s", "bn.b", "bn.m", "bn.v"], ["b"], name="bn", epsilon=1e-3, momentum=0.8),
         helper.make_node("Tanh", ["b"], ["t"], name="tanh"),
         helper.make_node("AveragePool", ["t"], ["a"], name="avg", kernel_shape=[2, 2], strides=[1, 1]),
         helper.make_node("Constant", [], ["shape"], name="shape", value=numpy_helper.from_array(np.array([0, -1], dtype=np.int64))),
         helper.make_node("Reshape", ["a", "shape"], ["f"], name="reshape"),
         helper.make_node("MatMul", ["f", "m.w"], ["m"], name="matmul"),
         helper.make_node("Add", ["m", "m.b"], ["h"], name="add"),
         helper.make_node("LeakyRelu", ["h"], ["l"], name="leaky", alpha=0.1),
         helper.make_node("Gemm", ["l", "g.w"], ["logits"], name="gemm")],
        image_input([2, 6, 6]), output("logits", 2),
        [weight("c.w", 3, 2, 2, 2), weight("bn.s", 3), weight("bn.b", 3), weight("bn.m", 3),
         numpy_helper.from_array(np.abs(rng.standard_normal(3)).astype(np.float32), "bn.v"),
         weight("m.w", 12, 4), weight("m.b", 4), weight("g.w", 4, 2)]),
    "seed-nhwc-dropout-sigmoid": model(
        [helper.make_node("Transpose", ["input"], ["x"], name="to_nchw", perm=[0, 3, 1, 2]),
         helper.make_node("Conv", ["x", "c.w", "c.b"], ["c"], name="conv", kernel_shape=[3, 3], auto_pad="SAME_UPPER", strides=[2, 2]),
         helper.make_node("Sigmoid", ["c"], ["s"], name="sigmoid"),
         helper.make_node("Flatten", ["s"], ["f"], name="flatten"),
         helper.make_node("Dropout", ["f", "ratio"], ["d"], name="dropout"),
         helper.make_node("Identity", ["d"], ["i"], name="identity"),
         helper.make_node("Gemm", ["i", "g.w", "g.b"], ["logits"], name="gemm", transB=1)],
        image_input([5, 5, 1]), output("logits", 2),
        [weight("c.w", 2, 1, 3, 3), weight("c.b", 2), numpy_helper.from_array(np.array(0.25, dtype=np.float32), "ratio"),
         weight("g.w", 2, 18), weight("g.b", 2)]),
    "seed-mlp-float-data": model(
        [helper.make_node("Gemm", ["input", "g.w", "g.b"], ["h"], name="gemm", transB=1),
         helper.make_node("Relu", ["h"], ["logits"], name="relu")],
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])], output("logits", 3),
        [helper.make_tensor("g.w", TensorProto.FLOAT, [3, 4], rng.standard_normal(12).astype(np.float32).tolist()),
         helper.make_tensor("g.b", TensorProto.FLOAT, [3], [0.5, -0.5, 0.0])]),
    "seed-refused-add-branch": model(
        [helper.make_node("Relu", ["input"], ["a"], name="relu"),
         helper.make_node("Add", ["a", "input"], ["logits"], name="residual")],
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])], output("logits", 4), []),
    # Our export's metadata: the dataset, the kind and the dropout layers it left out (restored at import).
    "seed-metadata-dropout": model(
        [helper.make_node("Flatten", ["input"], ["f"], name="flatten", axis=1),
         helper.make_node("Gemm", ["f", "g.w", "g.b"], ["h"], name="gemm", transB=1),
         helper.make_node("Relu", ["h"], ["r"], name="relu"),
         helper.make_node("Gemm", ["r", "o.w", "o.b"], ["logits"], name="out", transB=1),
         helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1)],
        image_input([1, 4, 4]), output("logits", 3) + output("probabilities", 3),
        [weight("g.w", 5, 16), weight("g.b", 5), weight("o.w", 3, 5), weight("o.b", 3)],
        {"profundo.kind": "image_classifier", "profundo.dataset": "fashion-mnist", "profundo.loss": "softmax_cross_entropy",
         "profundo.dropout": '[{"layer":1,"p":0.2},{"layer":4,"p":0.5}]'}),
}

for name, m in seeds.items():
    onnx.checker.check_model(m, full_check=True)
    with open(f"{sys.argv[1]}/{name}", "wb") as f:
        f.write(m.SerializeToString())
