"""CompiledModel: a loaded Tessera artifact that runs on numpy arrays."""

import os
import tempfile
from typing import NamedTuple, Tuple

import numpy as np

from . import _tessera
from ._errors import InputError, RuntimeError

__all__ = ["CompiledModel", "TensorSpec"]

_COST_MODEL_NOTE = (
    "placement and predicted_costs are empty: every op runs on the CPU and "
    "tile_configs come from a heuristic; they are filled in once the cost "
    "model and the partitioner make these decisions")


class TensorSpec(NamedTuple):
    """Name, shape and numpy dtype of one model input or output."""

    name: str
    shape: Tuple[int, ...]
    dtype: np.dtype

    def describe(self):
        """`float32 1x3x32x32` (`float32 scalar` for rank 0)."""
        return f"{self.dtype.name} {_format_shape(self.shape)}"


def _format_shape(shape):
    return "x".join(str(d) for d in shape) if len(shape) else "scalar"


def _spec(raw):
    name, dtype, shape, _ = raw
    return TensorSpec(name, tuple(shape), np.dtype(dtype))


class CompiledModel:
    """A compiled model, loaded and ready to run.

    Made by tessera.compile(), tessera.from_torch() or tessera.load().

        y = model(x)                    # positional inputs; one array per output
        ys = model.run({"x": x})        # named inputs; list of outputs in order
        model.inputs, model.outputs     # TensorSpec(name, shape, dtype) tuples
        model.save("model.so")          # the artifact tessera-run also runs
        model.explain()                 # the compiler's decisions, plain data
    """

    def __init__(self, native, *, workdir=None, compile_info=None,
                 threads=None):
        self._native = native
        # Owns the temporary folder of a freshly compiled artifact; removed
        # when the model is collected.
        self._workdir = workdir
        self._compile_info = compile_info
        self._threads = threads
        self._inputs = tuple(_spec(raw) for raw in native.inputs())
        self._outputs = tuple(_spec(raw) for raw in native.outputs())
        device, cpu, features = native.target()
        self._target = {
            "device": device,
            "cpu": cpu,
            "features": [f for f in features.split(",") if f],
        }

    # -- description --------------------------------------------------------

    @property
    def inputs(self):
        """TensorSpec(name, shape, dtype) of each input, in model order."""
        return self._inputs

    @property
    def outputs(self):
        """TensorSpec(name, shape, dtype) of each output, in model order."""
        return self._outputs

    @property
    def input_names(self):
        return [spec.name for spec in self._inputs]

    @property
    def output_names(self):
        return [spec.name for spec in self._outputs]

    @property
    def path(self):
        """The file the artifact was loaded from (a temporary file for a
        model compiled in this process; use save() to keep it)."""
        return self._native.path

    @property
    def target(self):
        """{"device", "cpu", "features"} the artifact was compiled for."""
        return dict(self._target, features=list(self._target["features"]))

    @property
    def threads(self):
        """The runtime thread count this model runs with (None: the
        process-wide setting)."""
        return self._threads

    def __repr__(self):
        ins = ", ".join(f"{s.name}: {s.describe()}" for s in self._inputs)
        outs = ", ".join(f"{s.name}: {s.describe()}" for s in self._outputs)
        return f"<tessera.CompiledModel ({ins}) -> ({outs}) on {self._target['device']}>"

    # -- running --------------------------------------------------------------

    def __call__(self, *arrays):
        """Runs on positional inputs (model order). Returns one numpy array
        for a single-output model, else a tuple of arrays."""
        if len(arrays) != len(self._inputs):
            raise InputError(
                f"the model takes {len(self._inputs)} input"
                f"{'' if len(self._inputs) == 1 else 's'} "
                f"({self._names(self._inputs)}), got {len(arrays)}")
        outputs = self._run(arrays)
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def run(self, feeds):
        """Runs on {input name: array}. Returns the outputs as a list of
        numpy arrays in model order (see .outputs for their names)."""
        if not isinstance(feeds, dict):
            raise TypeError("run() takes a dict {input name: array}, got "
                            f"{type(feeds).__name__}; call the model with "
                            "positional arrays instead")
        names = {spec.name for spec in self._inputs}
        unknown = [name for name in feeds if name not in names]
        if unknown:
            raise InputError(
                f"unknown input {', '.join(repr(n) for n in unknown)} "
                f"(the model's inputs: {self._names(self._inputs)})")
        missing = [spec.name for spec in self._inputs if spec.name not in feeds]
        if missing:
            raise InputError(
                f"missing input {', '.join(repr(n) for n in missing)} "
                f"(the model's inputs: {self._names(self._inputs)})")
        return self._run([feeds[spec.name] for spec in self._inputs])

    def _run(self, values):
        inputs = [self._prepare(spec, value)
                  for spec, value in zip(self._inputs, values)]
        outputs = [np.empty(spec.shape, dtype=spec.dtype)
                   for spec in self._outputs]
        try:
            if self._threads is not None:
                _tessera.set_num_threads(self._threads)
            self._native.run(inputs, outputs)
        except _tessera.RuntimeFailure as error:
            raise RuntimeError(str(error)) from None
        except ValueError as error:
            raise InputError(str(error)) from None
        return outputs

    @staticmethod
    def _prepare(spec, value):
        """Checks `value` against `spec`; returns a C-contiguous array."""
        if isinstance(value, (bool, int, float, complex, list, tuple)):
            # Python data has no dtype of its own: take the model's.
            try:
                array = np.asarray(value, dtype=spec.dtype)
            except (TypeError, ValueError) as error:
                raise InputError(f"input '{spec.name}' expects "
                                 f"{spec.describe()}: {error}") from None
        else:
            try:
                array = np.asarray(value)
            except Exception as error:  # an object numpy cannot convert
                raise InputError(
                    f"input '{spec.name}' expects a numpy array of "
                    f"{spec.describe()}, got {type(value).__name__}: "
                    f"{error}") from None
            if array.dtype != spec.dtype and \
                    array.dtype.newbyteorder("=") == spec.dtype:
                array = array.astype(spec.dtype)  # other byte order
        if array.dtype != spec.dtype or array.shape != spec.shape:
            got = f"{array.dtype.name} {_format_shape(array.shape)}"
            if array.dtype == object:
                got = f"{type(value).__name__} (not a numeric array)"
            raise InputError(f"input '{spec.name}' expects "
                             f"{spec.describe()}, got {got}")
        return np.ascontiguousarray(array)

    @staticmethod
    def _names(specs):
        return ", ".join(repr(spec.name) for spec in specs) or "none"

    # -- saving and explaining ------------------------------------------------

    def save(self, path):
        """Writes the artifact (the same shared library tessera-compile
        writes) to `path`; tessera-run and tessera.load() run it. A model
        partitioned over several devices is a plan: its segment libraries
        are written next to `path` as <stem>.seg<i>.<device>.so. Returns
        the path."""
        path = os.fspath(path)
        with open(self.path, "rb") as src:
            if src.read(12) == b"tessera-plan":
                return self._save_plan(path)
        self._copy_file(self.path, path)
        return path

    def _save_plan(self, path):
        source_dir = os.path.dirname(os.path.abspath(self.path))
        stem = os.path.splitext(path)[0]
        lines, segments = [], 0
        with open(self.path) as f:
            for line in f:
                words = line.split()
                if words and words[0] == "segment" and len(words) == 3:
                    target = f"{stem}.seg{segments}.{words[1]}.so"
                    segments += 1
                    self._copy_file(os.path.join(source_dir, words[2]), target)
                    line = f"segment {words[1]} {os.path.basename(target)}\n"
                lines.append(line)
        with open(path, "w") as f:
            f.writelines(lines)
        return path

    @staticmethod
    def _copy_file(source, path):
        folder = os.path.dirname(os.path.abspath(path))
        # Write a new file and rename it over `path`: a library that is
        # loaded from `path` must not change under its mappings.
        fd, temporary = tempfile.mkstemp(prefix=".tessera-", suffix=".so",
                                         dir=folder)
        try:
            with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
                while True:
                    chunk = src.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
            os.chmod(temporary, 0o755)  # mkstemp makes it 0600
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise

    def explain(self):
        """The compiler's decisions for this model as plain Python data
        (dicts, lists, strings, numbers; JSON-serializable)."""
        info = self._compile_info or {}
        notes = [_COST_MODEL_NOTE]
        if not self._compile_info:
            notes.append("loaded from a file: the pipelines it was compiled "
                         "with are not recorded in the artifact")
        target = {"requested": info.get("target"), **self.target}
        return {
            "source": info.get("source", self.path),
            "target": target,
            "opt_level": info.get("opt_level"),
            "pipelines": [dict(p) for p in info.get("pipelines", [])],
            "inputs": [_spec_dict(s) for s in self._inputs],
            "outputs": [_spec_dict(s) for s in self._outputs],
            "placement": [],
            "tile_configs": [dict(t) for t in info.get("tile_configs", [])],
            "predicted_costs": [],
            "notes": notes,
        }


def _spec_dict(spec):
    return {"name": spec.name, "shape": list(spec.shape),
            "dtype": spec.dtype.name}
