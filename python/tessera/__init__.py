"""Tessera: an MLIR-based compiler for ONNX models, from Python.

    import numpy as np, tessera

    model = tessera.compile("model.onnx")          # a path, bytes or onnx.ModelProto
    y = model(np.zeros((1, 3, 32, 32), np.float32))
    model.save("model.so")                          # same artifact as tessera-compile
    same = tessera.load("model.so")                 # also loads CLI-built artifacts
    model = tessera.from_torch(torch_module, (example_input,))

Errors are exceptions: tessera.CompileError (with the compiler's diagnostics
and node names), tessera.RuntimeError (loading or running), and
tessera.InputError (a ValueError naming the offending input).
"""

import os

from . import _tessera
from ._compiled import CompiledModel, TensorSpec
from ._errors import (CompileError, Diagnostic, Error, InputError,
                      RuntimeError)

__all__ = [
    "compile", "load", "from_torch", "emit", "CompiledModel", "TensorSpec",
    "Error", "CompileError", "RuntimeError", "InputError", "Diagnostic",
    "set_num_threads", "get_num_threads", "runtime_version",
]

__version__ = _tessera.runtime_version()

#: Targets tessera.compile() accepts today ("auto" picks the best available).
TARGETS = ("auto", "cpu")

#: Options of compile() besides target/shapes/opt_level, with their
#: tessera-compile flags.
_OPTIONS = {
    "threads": "--threads (runtime thread pool size while the model runs)",
    "print_ir_after_all": "--print-ir-after-all (IR after each pass, to stderr)",
}

_EMIT_KINDS = ("graph", "linalg", "device", "llvm", "obj", "lib")


def runtime_version():
    """Version of libtessera_runtime ("MAJOR.MINOR.PATCH")."""
    return _tessera.runtime_version()


def set_num_threads(n):
    """Sets the runtime's process-wide thread pool size (0: one per hardware
    thread). Models compiled or loaded with threads=N set it themselves
    before each run."""
    try:
        _tessera.set_num_threads(_check_threads(n))
    except ValueError as error:
        raise ValueError(str(error)) from None


def get_num_threads():
    """The runtime's current thread pool size."""
    return _tessera.get_num_threads()


def compile(model, target="auto", shapes=None, opt_level=3, **options):
    """Compiles an ONNX model and loads the result.

    model:      a path (str or os.PathLike; `.mlir` files hold Graph-dialect
                IR), the serialized model as bytes, or an onnx.ModelProto.
    target:     "auto" (today: "cpu"), "cpu", "vulkan", "cuda", or several
                ("cpu,vulkan" or ["cpu", "vulkan"]): the partitioner places
                each dispatch on one of them (docs/partitioning.md); as
                --target.
    shapes:     {input name: dims} fixing symbolic input dims, as --shape;
                dims is a tuple/list (None or -1 keeps a dim) or "1x3x224x224".
    opt_level:  0..3, as -O0..-O3.
    options:    threads=N (runtime threads while this model runs; 0 = one
                per hardware thread), print_ir_after_all=bool.

    Returns a CompiledModel. Raises CompileError with the compiler's
    diagnostics when the model cannot be compiled, TypeError for unknown
    options, FileNotFoundError for a missing path.
    """
    threads, print_ir = _compile_options(options, "compile")
    workdir = _WorkDir()
    output = os.path.join(workdir.name, "model.so")
    info = _compile_to(model, output, "lib", target, shapes, opt_level,
                       print_ir)
    try:
        native = _tessera.Model(output)
    except _tessera.RuntimeFailure as error:
        raise RuntimeError(str(error)) from None
    if threads is not None:
        _tessera.set_num_threads(threads)
    return CompiledModel(native, workdir=workdir, compile_info=info,
                         threads=threads)


def emit(model, kind="linalg", target="auto", shapes=None, opt_level=3,
         **options):
    """Lowers `model` to one stage and returns it, like tessera-compile
    --emit=KIND: "graph", "linalg", "device" (linalg placed over the
    target list) or "llvm" give text (str); "obj" and "lib" give the file's
    bytes. Arguments are those of compile()."""
    if kind not in _EMIT_KINDS:
        raise ValueError(f"unknown emit kind {kind!r} (expected one of "
                         f"{', '.join(_EMIT_KINDS)})")
    _, print_ir = _compile_options(options, "emit", allowed=("print_ir_after_all",))
    workdir = _WorkDir()
    try:
        output = os.path.join(workdir.name, "out." + kind)
        _compile_to(model, output, kind, target, shapes, opt_level, print_ir)
        with open(output, "rb") as f:
            data = f.read()
    finally:
        workdir.cleanup()
    return data if kind in ("obj", "lib") else data.decode("utf-8")


def load(path, threads=None):
    """Loads an artifact written by tessera-compile or CompiledModel.save().

    Raises FileNotFoundError for a missing file and tessera.RuntimeError for
    a file that is not a loadable Tessera artifact."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(2, "no such artifact", path)
    threads = None if threads is None else _check_threads(threads)
    try:
        native = _tessera.Model(os.path.abspath(path))
    except _tessera.RuntimeFailure as error:
        raise RuntimeError(str(error)) from None
    if threads is not None:
        _tessera.set_num_threads(threads)
    return CompiledModel(native, threads=threads)


def from_torch(module, example_inputs, input_names=None, output_names=None,
               opset_version=14, **compile_options):
    """Exports a torch.nn.Module with torch.onnx.export (eval mode, constant
    folding) and compiles it. `example_inputs` is a tensor or a tuple of
    tensors fixing the input shapes and dtypes; inputs are named input_0,
    input_1, ... and outputs output_0, ... unless names are given. Other
    keyword arguments go to compile()."""
    import io

    import torch

    # Reject unknown options before the (slow) export.
    _compile_options({k: v for k, v in compile_options.items()
                      if k not in ("target", "shapes", "opt_level")},
                     "from_torch")
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    example_inputs = tuple(example_inputs)
    if input_names is None:
        input_names = [f"input_{i}" for i in range(len(example_inputs))]
    buffer = io.BytesIO()
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            if output_names is None:
                result = module(*example_inputs)
                count = len(result) if isinstance(result, (tuple, list)) else 1
                output_names = [f"output_{i}" for i in range(count)]
            torch.onnx.export(module, example_inputs, buffer,
                              opset_version=opset_version,
                              do_constant_folding=True,
                              training=torch.onnx.TrainingMode.EVAL,
                              input_names=list(input_names),
                              output_names=list(output_names))
    finally:
        module.train(was_training)
    return compile(buffer.getvalue(), **compile_options)


# -- helpers ------------------------------------------------------------------


class _WorkDir:
    """A temporary folder removed when collected (or by cleanup())."""

    def __init__(self):
        import tempfile
        self._dir = tempfile.TemporaryDirectory(prefix="tessera-")
        self.name = self._dir.name

    def cleanup(self):
        self._dir.cleanup()


def _compile_options(options, caller, allowed=tuple(_OPTIONS)):
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        known = ", ".join(["target", "shapes", "opt_level", *allowed])
        raise TypeError(f"{caller}() got unknown option"
                        f"{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(repr(u) for u in unknown)} "
                        f"(known: {known})")
    threads = options.get("threads")
    if threads is not None:
        threads = _check_threads(threads)
    return threads, bool(options.get("print_ir_after_all", False))


def _check_threads(n):
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"threads must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"threads must be >= 0 (0: one per hardware "
                         f"thread), got {n}")
    return n


def _model_source(model):
    """(source, is_path, description) for the native compiler."""
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.exists(path):
            raise FileNotFoundError(2, "no such model file", path)
        return path, True, path
    if isinstance(model, (bytes, bytearray, memoryview)):
        return bytes(model), False, "<bytes>"
    if hasattr(model, "SerializeToString") and \
            type(model).__name__ == "ModelProto":
        return model.SerializeToString(), False, "<onnx.ModelProto>"
    raise TypeError("model must be a path, bytes or an onnx.ModelProto, got "
                    f"{type(model).__name__}")


def _parse_shapes(shapes):
    """{name: dims} → [(name, [int, ...])] with -1 for kept dims."""
    if shapes is None:
        return []
    if not isinstance(shapes, dict):
        raise TypeError("shapes must be a dict {input name: dims}, got "
                        f"{type(shapes).__name__}")
    result = []
    for name, dims in shapes.items():
        if not isinstance(name, str):
            raise TypeError(f"shapes: input names must be str, got {name!r}")
        if isinstance(dims, str):
            dims = [None if d == "?" else d for d in dims.split("x")] \
                if dims else []
        try:
            dims = list(dims)
        except TypeError:
            raise TypeError(f"shapes[{name!r}] must be a tuple of dims or a "
                            f"string like '1x3x224x224', got {dims!r}") from None
        parsed = []
        for d in dims:
            if d is None or (not isinstance(d, (bool, str)) and d == -1):
                parsed.append(-1)
                continue
            try:
                value = int(d)
            except (TypeError, ValueError):
                value = -2
            if value < 0 or isinstance(d, (bool, float)):
                raise ValueError(f"shapes[{name!r}]: {d!r} is not a dimension "
                                 "size (use None or -1 to keep the model's)")
            parsed.append(value)
        result.append((name, parsed))
    return result


def _resolve_target(target):
    if isinstance(target, (list, tuple)):
        target = ",".join(target)
    if not isinstance(target, str):
        raise TypeError(f"target must be a str, got {type(target).__name__}")
    return "cpu" if target == "auto" else target


def _runtime_dir():
    """Folder of libtessera_runtime.so that artifacts link against."""
    env = os.environ.get("TESSERA_RUNTIME_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.exists(os.path.join(here, "libtessera_runtime.so")):
        return here
    return _tessera.runtime_library_dir()


def _compile_to(model, output, emit_kind, target, shapes, opt_level,
                print_ir):
    """Runs the native compiler; raises CompileError on failure. Returns the
    facts explain() reports."""
    source, is_path, description = _model_source(model)
    resolved = _resolve_target(target)
    if isinstance(opt_level, bool) or not isinstance(opt_level, int) or \
            not 0 <= opt_level <= 3:
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")
    ok, diagnostics, tile_configs = _tessera.compile(
        source, is_path, output, emit_kind, resolved, _parse_shapes(shapes),
        opt_level, print_ir, _runtime_dir())
    if not ok:
        raise CompileError(diagnostics)
    if diagnostics:
        import warnings
        for d in diagnostics:
            if d[0] == "warning":
                warnings.warn(str(Diagnostic(*d)), stacklevel=3)
    return {
        "source": description,
        "target": target if isinstance(target, str) else resolved,
        "opt_level": opt_level,
        "pipelines": [{"stage": stage, "pipeline": pipeline}
                      for stage, pipeline in
                      _tessera.cpu_pipelines(opt_level)],
        "tile_configs": tile_configs,
    }
