"""Checks ONNX files with the reference checker (onnx.checker, full check with shape inference) and
prints each file's metadata and graph outputs as one JSON object, for tests/cli/onnx.test.mjs.
  /usr/bin/python3 tests/interop/check_onnx.py A.onnx B.onnx ...
A file the checker refuses stops the script with its error (exit code 1)."""
import json
import sys

import onnx

report = {}
for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    report[path] = {
        "metadata": {entry.key: entry.value for entry in model.metadata_props},
        "opset": [opset.version for opset in model.opset_import if opset.domain in ("", "ai.onnx")][0],
        "inputs": [[d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in model.graph.input],
        "outputs": {o.name: [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim] for o in inferred.graph.output},
        "ops": sorted({node.op_type for node in model.graph.node}),
    }
print(json.dumps(report))
