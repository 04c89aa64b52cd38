//===- GraphOps.td - Graph dialect operations --------------*- tablegen -*-===//
//
// Operations of the Graph dialect. Each op mirrors one ONNX operator (at the
// newest opset semantics; the importer rewrites older opsets into these).
// Result types are inferred (InferTypeOpAdaptor), so the verifier checks that
// a written result type agrees with the operands and attributes.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_OPS_TD
#define TESSERA_GRAPH_OPS_TD

include "dialects/Graph/IR/GraphBase.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TG_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, traits>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def TG_ConstantOp : TG_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "A constant tensor (ONNX Constant and initializers)";
  let description = [{
    Holds a tensor value. Weights imported from ONNX initializers use a
    `dense_resource` blob so that large data is not uniqued in the context.

    ```mlir
    %w = tg.constant dense<1.0> : tensor<4xf32>
    %k = tg.constant dense_resource<conv1.weight> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops with multidirectional broadcasting
//===----------------------------------------------------------------------===//

class TG_BinaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : TG_Op<mnemonic, !listconcat(traits, [Pure, InferTypeOpAdaptorWithIsCompatible])> {
  let summary = "Elementwise " # onnxName # " with numpy broadcasting";
  let description = [{
    Applies ONNX `}] # onnxName # [{` elementwise. Operand shapes broadcast
    multidirectionally (numpy rules): dimensions are aligned from the right
    and a dimension of size 1 stretches to match the other.

    ```mlir
    %r = tg.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def TG_AddOp : TG_BinaryOp<"add", "Add", [Commutative]>;
def TG_SubOp : TG_BinaryOp<"sub", "Sub">;
def TG_MulOp : TG_BinaryOp<"mul", "Mul", [Commutative]>;
def TG_DivOp : TG_BinaryOp<"div", "Div">;
def TG_MinOp : TG_BinaryOp<"min", "Min", [Commutative]> {
  let hasFolder = 0;
}
def TG_MaxOp : TG_BinaryOp<"max", "Max", [Commutative]> {
  let hasFolder = 0;
}
def TG_PReluOp : TG_BinaryOp<"prelu", "PRelu"> {
  let summary = "`x < 0 ? slope * x : x` with the slope broadcast (ONNX PRelu)";
  let hasFolder = 0;
}
def TG_ModOp : TG_BinaryOp<"mod", "Mod"> {
  let summary = "Elementwise remainder with numpy broadcasting (ONNX Mod)";
  let description = [{
    With `fmod = false` (integers only) the remainder takes the sign of the
    divisor (Python's `%`); with `fmod = true` it takes the sign of the
    dividend (C's `fmod`). Floating-point elements need `fmod = true`.

    ```mlir
    %r = tg.mod %a, %b {fmod = true} : (tensor<6xf32>, tensor<6xf32>) -> tensor<6xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasFolder = 0;
}

def TG_PowOp : TG_Op<"pow", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Elementwise power with numpy broadcasting (ONNX Pow)";
  let description = [{
    `lhs ^ rhs`. The exponent may have another element type than the base;
    the result has the base's element type.

    ```mlir
    %r = tg.pow %x, %e : (tensor<3xf32>, tensor<3xi64>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Comparisons and logic (i1 results)
//===----------------------------------------------------------------------===//

/// A broadcasting comparison of two tensors of one element type, giving i1.
class TG_CompareOp<string mnemonic, string onnxName>
    : TG_Op<mnemonic, [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Elementwise " # onnxName # " with numpy broadcasting (i1 result)";
  let description = [{
    Integers compare by the signedness of their type (signless ones as
    signed); floats compare ordered (a NaN operand gives false).

    ```mlir
    %r = tg.}] # mnemonic # [{ %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def TG_EqualOp : TG_CompareOp<"equal", "Equal">;
def TG_LessOp : TG_CompareOp<"less", "Less">;
def TG_LessEqualOp : TG_CompareOp<"less_equal", "LessOrEqual">;
def TG_GreaterOp : TG_CompareOp<"greater", "Greater">;
def TG_GreaterEqualOp : TG_CompareOp<"greater_equal", "GreaterOrEqual">;

/// A broadcasting logical op on i1 tensors.
class TG_LogicalOp<string mnemonic, string onnxName>
    : TG_BinaryOp<mnemonic, onnxName, [Commutative]> {
  let summary = "Elementwise logical " # onnxName # " of i1 tensors with numpy broadcasting";
  let hasFolder = 0;
}
def TG_AndOp : TG_LogicalOp<"and", "And">;
def TG_OrOp : TG_LogicalOp<"or", "Or">;
def TG_XorOp : TG_LogicalOp<"xor", "Xor">;

def TG_WhereOp : TG_Op<"where", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Elementwise select with 3-way numpy broadcasting (ONNX Where)";
  let description = [{
    `condition ? x : y`; the i1 `condition`, `x` and `y` broadcast together.

    ```mlir
    %r = tg.where %c, %x, %y
         : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$condition, AnyRankedTensor:$x,
                       AnyRankedTensor:$y);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class TG_UnaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : TG_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let summary = "Elementwise " # onnxName;
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def TG_ReluOp : TG_UnaryOp<"relu", "Relu"> {
  let description = "`max(x, 0)`.";
}
def TG_SigmoidOp : TG_UnaryOp<"sigmoid", "Sigmoid"> {
  let description = "`1 / (1 + exp(-x))`.";
}
def TG_TanhOp : TG_UnaryOp<"tanh", "Tanh"> {
  let description = "Hyperbolic tangent.";
}
def TG_LeakyReluOp : TG_UnaryOp<"leaky_relu", "LeakyRelu"> {
  let description = "`x >= 0 ? x : alpha * x`.";
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
}
def TG_ClipOp : TG_Op<"clip",
    [Pure, AllTypesMatch<["input", "result"]>, AttrSizedOperandSegments]> {
  let summary = "Elementwise Clip";
  let description = [{
    Clamps to `[min, max]`; a missing bound does not clamp. ONNX passes the
    bounds as inputs since opset 11; the importer folds constant bounds into
    the `min`/`max` attributes and passes bounds computed at run time as the
    rank-0 operands `lower`/`upper` (of the input's element type). A bound
    is given either way, not both.

    ```mlir
    %r = tg.clip %x {max = 6.0 : f64, min = 0.0 : f64} : tensor<4xf32>
    %s = tg.clip %x lower %lo : tensor<f32> : tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       Optional<AnyRankedTensor>:$lower,
                       Optional<AnyRankedTensor>:$upper,
                       OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input (`lower` $lower^ `:` type($lower))? (`upper` $upper^ `:` type($upper))?
    attr-dict `:` type($input)
  }];
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise math (ONNX unary math and activation functions)
//===----------------------------------------------------------------------===//

/// A unary op on floating-point elements; `desc` is the function computed.
class TG_FloatUnaryOp<string mnemonic, string onnxName, string desc>
    : TG_UnaryOp<mnemonic, onnxName> {
  let description = desc;
  let hasVerifier = 1;
}

def TG_ExpOp : TG_FloatUnaryOp<"exp", "Exp", "`e^x`.">;
def TG_LogOp : TG_FloatUnaryOp<"log", "Log", "Natural logarithm.">;
def TG_SqrtOp : TG_FloatUnaryOp<"sqrt", "Sqrt", "Square root.">;
def TG_ReciprocalOp : TG_FloatUnaryOp<"reciprocal", "Reciprocal", "`1 / x`.">;
def TG_ErfOp : TG_FloatUnaryOp<"erf", "Erf", "Gauss error function.">;
def TG_SinOp : TG_FloatUnaryOp<"sin", "Sin", "Sine.">;
def TG_CosOp : TG_FloatUnaryOp<"cos", "Cos", "Cosine.">;
def TG_TanOp : TG_FloatUnaryOp<"tan", "Tan", "Tangent.">;
def TG_AsinOp : TG_FloatUnaryOp<"asin", "Asin", "Arcsine.">;
def TG_AcosOp : TG_FloatUnaryOp<"acos", "Acos", "Arccosine.">;
def TG_AtanOp : TG_FloatUnaryOp<"atan", "Atan", "Arctangent.">;
def TG_SinhOp : TG_FloatUnaryOp<"sinh", "Sinh", "Hyperbolic sine.">;
def TG_CoshOp : TG_FloatUnaryOp<"cosh", "Cosh", "Hyperbolic cosine.">;
def TG_AsinhOp : TG_FloatUnaryOp<"asinh", "Asinh", "Inverse hyperbolic sine.">;
def TG_AcoshOp : TG_FloatUnaryOp<"acosh", "Acosh", "Inverse hyperbolic cosine.">;
def TG_AtanhOp : TG_FloatUnaryOp<"atanh", "Atanh", "Inverse hyperbolic tangent.">;
def TG_FloorOp : TG_FloatUnaryOp<"floor", "Floor", "Round toward -inf.">;
def TG_CeilOp : TG_FloatUnaryOp<"ceil", "Ceil", "Round toward +inf.">;
def TG_RoundOp : TG_FloatUnaryOp<"round", "Round",
    "Round to the nearest integer, halves to even.">;
def TG_SoftplusOp : TG_FloatUnaryOp<"softplus", "Softplus", "`log(exp(x) + 1)`.">;
def TG_SoftsignOp : TG_FloatUnaryOp<"softsign", "Softsign", "`x / (1 + |x|)`.">;
def TG_HardSwishOp : TG_FloatUnaryOp<"hard_swish", "HardSwish",
    "`x * max(0, min(1, x / 6 + 0.5))`.">;

def TG_NegOp : TG_UnaryOp<"neg", "Neg"> {
  let description = "`-x` (floats and signed integers).";
  let hasFolder = 1;
}
def TG_AbsOp : TG_UnaryOp<"abs", "Abs"> {
  let description = "`|x|` (floats and signed integers).";
}
def TG_SignOp : TG_UnaryOp<"sign", "Sign"> {
  let description = "`-1`, `0` or `1` by the sign of `x` (floats and signed integers).";
}
def TG_NotOp : TG_UnaryOp<"not", "Not"> {
  let description = "Logical negation of i1 elements.";
  let hasVerifier = 1;
}

def TG_EluOp : TG_FloatUnaryOp<"elu", "Elu",
    "`x < 0 ? alpha * (exp(x) - 1) : x`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def TG_SeluOp : TG_FloatUnaryOp<"selu", "Selu",
    "`x <= 0 ? gamma * (alpha * exp(x) - alpha) : gamma * x`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "1.67326319217681884765625">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.05070102214813232421875">:$gamma);
}
def TG_CeluOp : TG_FloatUnaryOp<"celu", "Celu",
    "`max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def TG_HardSigmoidOp : TG_FloatUnaryOp<"hard_sigmoid", "HardSigmoid",
    "`max(0, min(1, alpha * x + beta))`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5">:$beta);
}
def TG_ThresholdedReluOp : TG_FloatUnaryOp<"thresholded_relu", "ThresholdedRelu",
    "`x > alpha ? x : 0`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
}
def TG_ShrinkOp : TG_FloatUnaryOp<"shrink", "Shrink",
    "`x < -lambd ? x + bias : x > lambd ? x - bias : 0`."> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.0">:$bias,
                       DefaultValuedAttr<F32Attr, "0.5">:$lambd);
}

/// A test of float elements giving i1.
class TG_FloatTestOp<string mnemonic, string onnxName>
    : TG_Op<mnemonic, [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Elementwise " # onnxName # " (i1 result)";
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}
def TG_IsNaNOp : TG_FloatTestOp<"is_nan", "IsNaN"> {
  let arguments = (ins AnyRankedTensor:$input);
}
def TG_IsInfOp : TG_FloatTestOp<"is_inf", "IsInf"> {
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_negative,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_positive);
}

//===----------------------------------------------------------------------===//
// Conversions
//===----------------------------------------------------------------------===//

def TG_CastOp : TG_Op<"cast", [Pure]> {
  let summary = "Elementwise element type conversion (ONNX Cast, CastLike)";
  let description = [{
    Converts every element to the result's element type, which the result
    type states. Floats convert to integers by truncation toward zero;
    integers widen by the signedness of their type (signless as signed);
    converting to `i1` tests for nonzero (a NaN is true) and `i1` converts
    to 0 or 1.

    ```mlir
    %r = tg.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def TG_ConvOp : TG_Op<"conv", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "N-d convolution (ONNX Conv)";
  let description = [{
    Cross-correlation of an `N x C x D1 x ... x Dn` input with an
    `M x C/group x k1 x ... x kn` weight, plus an optional bias of size `M`.
    `pads` holds the begin pads of every spatial dimension, then the end pads
    (ONNX order). `auto_pad` is resolved by the importer into explicit pads.

    ```mlir
    %y = tg.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64,
           pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
         : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>)
           -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$weight,
                       Optional<AnyRankedTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def TG_MatMulOp : TG_Op<"matmul", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Batched matrix product with numpy semantics (ONNX MatMul)";
  let description = [{
    `numpy.matmul`: a 1-D operand is promoted to a matrix (and the added
    dimension removed afterwards); leading batch dimensions broadcast.

    ```mlir
    %c = tg.matmul %a, %b : (tensor<8x4x16xf32>, tensor<16x32xf32>) -> tensor<8x4x32xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def TG_GemmOp : TG_Op<"gemm", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "General matrix multiply (ONNX Gemm)";
  let description = [{
    `alpha * op(A) * op(B) + beta * C` with `op` an optional transpose; `C`
    is optional and broadcasts unidirectionally to `M x N`.

    ```mlir
    %y = tg.gemm %a, %b, %c {trans_b = true}
         : (tensor<1x512xf32>, tensor<1000x512xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$a, AnyRankedTensor:$b,
                       Optional<AnyRankedTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

def TG_MaxPoolOp : TG_Op<"max_pool", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "N-d max pooling (ONNX MaxPool, values output only)";
  let description = [{
    ```mlir
    %y = tg.max_pool %x {ceil_mode = false, dilations = array<i64: 1, 1>,
           kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>,
           strides = array<i64: 2, 2>}
         : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_AveragePoolOp : TG_Op<"average_pool", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "N-d average pooling (ONNX AveragePool)";
  let description = [{
    With `count_include_pad = false` (the ONNX default) padded positions are
    left out of each window's divisor.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_GlobalAveragePoolOp : TG_Op<"global_average_pool",
    [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Mean over all spatial dimensions (ONNX GlobalAveragePool)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_BatchNormOp : TG_Op<"batch_norm", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Inference-mode batch normalization (ONNX BatchNormalization)";
  let description = [{
    `scale * (x - mean) / sqrt(var + epsilon) + bias`, per channel (dim 1).
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
                       AnyRankedTensor:$bias, AnyRankedTensor:$mean,
                       AnyRankedTensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TG_SoftmaxOp : TG_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis (ONNX Softmax, opset >= 13)";
  let description = [{
    Older opsets coerce the input to 2-D; the importer expresses that with
    `tg.flatten`/`tg.reshape` around this op.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def TG_LogSoftmaxOp : TG_Op<"log_softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "Log of softmax along one axis (ONNX LogSoftmax, opset >= 13)";
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def TG_ReshapeOp : TG_Op<"reshape", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Reshape to a constant shape (ONNX Reshape)";
  let description = [{
    `shape` follows ONNX: `0` copies the input dimension at the same index
    (unless `allowzero`), and one `-1` is inferred from the element count.

    ```mlir
    %y = tg.reshape %x {shape = array<i64: 0, -1>}
         : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def TG_DynamicReshapeOp : TG_Op<"dynamic_reshape", [Pure]> {
  let summary = "Reshape by a shape known only at run time (ONNX Reshape)";
  let description = [{
    ONNX `Reshape` whose `shape` operand is not a compile-time constant but
    whose result shape is known statically (from ONNX shape inference or the
    model's declared types). The result type is that static shape. The
    `shape` operand keeps ONNX semantics (`0` copies the input dimension
    unless `allowzero`, one `-1` is inferred); the lowering checks at run
    time that it denotes the result type's shape and makes the run fail
    otherwise. A constant `shape` canonicalizes to `tg.reshape`.

    ```mlir
    %y = tg.dynamic_reshape %x, %shape
         : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<4x2x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $shape attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def TG_ShapeCheckOp : TG_Op<"shape_check", [MemoryEffects<[MemWrite]>]> {
  let summary = "Run-time check of a shape-like operand known only at run time";
  let description = [{
    Several ONNX ops take a shape-like operand (Expand's `shape`, Tile's
    `repeats`, Squeeze/Unsqueeze's `axes`, Split's `split`,
    ConstantOfShape's `input`) that a model may compute at run time while
    recording a static output shape. The importer then builds the op from
    the recorded shapes and adds this check: at run time, the operand must
    give `result_shape` from `input_shape` under the rule of `kind`, or the
    run fails with an error naming the node and the operand.

    - `equals`: the operand's elements are `result_shape` (ConstantOfShape;
      Split's sizes along its axis).
    - `tile`: `operand[i] * input_shape[i] == result_shape[i]`.
    - `expand`: broadcasting `input_shape` with the operand gives
      `result_shape`.
    - `unsqueeze` / `squeeze`: the operand is a set of distinct axes
      (negative ones count from the end) whose insertion / removal turns
      `input_shape` into `result_shape`.

    ```mlir
    tg.shape_check %repeats {kind = "tile", input_shape = array<i64: 2, 3>,
        result_shape = array<i64: 4, 3>, operand_name = "repeats"}
        : tensor<2xi64>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$operand, StrAttr:$kind,
                       DenseI64ArrayAttr:$input_shape,
                       DenseI64ArrayAttr:$result_shape,
                       StrAttr:$operand_name);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
  let hasVerifier = 1;
}

def TG_FlattenOp : TG_Op<"flatten", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Flatten to 2-D around an axis (ONNX Flatten)";
  let arguments = (ins AnyRankedTensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def TG_TransposeOp : TG_Op<"transpose", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Permute dimensions (ONNX Transpose)";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = tg.transpose %x {perm = array<i64: 0, 2, 1>}
         : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def TG_ConcatOp : TG_Op<"concat", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Concatenate along an axis (ONNX Concat)";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def TG_ExpandOp : TG_Op<"expand", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Broadcast to a shape (ONNX Expand with a constant shape)";
  let description = [{
    The result shape is the numpy broadcast of the input shape and `shape`
    (so a `1` in `shape` keeps the input's dimension).

    ```mlir
    %y = tg.expand %x {shape = array<i64: 2, 1, 6>}
         : (tensor<3x1xf32>) -> tensor<2x3x6xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_TileOp : TG_Op<"tile", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Repeat along every dimension (ONNX Tile with constant repeats)";
  let description = [{
    Result dimension `i` is `repeats[i]` copies of input dimension `i`.

    ```mlir
    %y = tg.tile %x {repeats = array<i64: 2, 3>}
         : (tensor<2x2xf32>) -> tensor<4x6xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_SliceOp : TG_Op<"slice", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Strided slice (ONNX Slice with constant starts/ends/axes/steps)";
  let description = [{
    One `starts`/`ends`/`steps` entry per dimension, already normalized by
    the importer (ONNX's negative indices resolved and clamped): a positive
    step takes `start, start + step, ...` below `end` with
    `0 <= start <= end <= dim`, a negative one takes
    `start, start + step, ...` above `end` with `-1 <= end <= start < dim`.

    ```mlir
    %y = tg.slice %x {ends = array<i64: -1, 4>, starts = array<i64: 3, 0>,
                      steps = array<i64: -1, 2>}
         : (tensor<4x4xf32>) -> tensor<4x2xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$ends, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

def TG_DynamicSliceOp : TG_Op<"dynamic_slice", [Pure, AttrSizedOperandSegments]> {
  let summary = "Strided slice by starts/ends/axes/steps known at run time (ONNX Slice)";
  let description = [{
    ONNX `Slice` whose `starts`, `ends`, `axes` or `steps` are computed at
    run time while the model records a static output shape: the result type
    is that shape. The operands keep ONNX semantics (negative values count
    from the end, out-of-range values clamp; absent `axes` are `0, 1, ...`,
    absent `steps` are 1). The lowering normalizes them at run time, checks
    that they give the result shape (steps not 0, axes in range and
    distinct), and makes the run fail with an error naming the node
    otherwise; reads are clamped into the input, so a failed check never
    reads out of bounds.

    ```mlir
    %y = tg.dynamic_slice %x, %starts, %ends axes %axes
         : (tensor<20x10xf32>, tensor<2xi64>, tensor<2xi64>, tensor<2xi64>)
         -> tensor<3x10xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$starts,
                       AnyRankedTensor:$ends, Optional<AnyRankedTensor>:$axes,
                       Optional<AnyRankedTensor>:$steps);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $starts `,` $ends (`axes` $axes^)? (`steps` $steps^)? attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TG_DynamicPadOp : TG_Op<"dynamic_pad", [Pure]> {
  let summary = "Pad by amounts known at run time (ONNX Pad)";
  let description = [{
    ONNX `Pad` whose `pads` (and constant `value`) are computed at run time
    while the model records a static output shape: the result type is that
    shape. `pads` holds the begin pads of every dimension, then the end pads;
    negative pads crop. The lowering checks at run time that the pads give
    the result shape (and, for `reflect`, that they are smaller than the
    dimension), failing the run with an error naming the node otherwise;
    reads are clamped into the input.

    ```mlir
    %y = tg.dynamic_pad %x, %pads, %value {mode = "constant"}
         : (tensor<3x4xf32>, tensor<4xi64>, tensor<f32>) -> tensor<3x7xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$pads,
                       Optional<AnyRankedTensor>:$value,
                       DefaultValuedAttr<StrAttr, "\"constant\"">:$mode);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $input `,` $pads (`,` $value^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def TG_GatherOp : TG_Op<"gather", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Gather along an axis by run-time indices (ONNX Gather)";
  let description = [{
    The result shape is `data.shape[:axis] + indices.shape +
    data.shape[axis+1:]`. Negative indices count from the end (normalized
    at run time); an index still out of range is clamped into range (ONNX
    leaves it undefined).

    ```mlir
    %y = tg.gather %data, %idx {axis = 0 : i64}
         : (tensor<5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` functional-type(operands, results)
  }];
}

def TG_PadOp : TG_Op<"pad", [Pure, InferTypeOpAdaptorWithIsCompatible]> {
  let summary = "Pad with a constant, by reflection or by the edge (ONNX Pad)";
  let description = [{
    `pads` holds the begin pads of every dimension, then the end pads
    (ONNX order, non-negative). `mode` is `constant` (filled with `value`),
    `reflect` (mirrored without repeating the edge; pads must be smaller
    than the dimension) or `edge` (the edge element repeated).

    ```mlir
    %y = tg.pad %x {mode = "reflect", pads = array<i64: 0, 1, 0, 2>}
         : (tensor<3x4xf32>) -> tensor<3x7xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<StrAttr, "\"constant\"">:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Op families kept in their own files
//===----------------------------------------------------------------------===//

include "dialects/Graph/IR/ReductionOps.td"
include "dialects/Graph/IR/IndexingOps.td"
include "dialects/Graph/IR/SpatialOps.td"
include "dialects/Graph/IR/QuantizationOps.td"

#endif // TESSERA_GRAPH_OPS_TD
