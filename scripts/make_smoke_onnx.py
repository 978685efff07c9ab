"""Prints, as base64, the smoke-test ONNX graph embedded in src/engine/runtimeSmoke.ts.

y = Relu(x @ W), x [1, 4], W [4, 4] with W[i][j] = 4i + j - 8. Run with Debian's /usr/bin/python3 (onnx 1.12).
"""
import base64

import numpy as np
import onnx
from onnx import TensorProto, helper

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])
w = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], (np.arange(16, dtype=np.float32) - 8).tolist())
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "w"], ["h"]), helper.make_node("Relu", ["h"], ["y"])],
    "smoke", [x], [y], [w],
)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.checker.check_model(model)
print(base64.b64encode(model.SerializeToString()).decode())
