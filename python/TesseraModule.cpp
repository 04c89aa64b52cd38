//===- TesseraModule.cpp - The _tessera native Python module --------------===//
//
// pybind11 bindings of the compiler (python/Compile.h) and of the runtime's C
// API (tessera-c/Runtime.h). They are deliberately thin: the `tessera`
// package (python/tessera/__init__.py) turns their results into the user API
// (numpy conversion, input checking, exceptions with context). Everything
// here still checks what it is given, so that no call from Python can crash
// the interpreter, and releases the GIL while compiling or running.
//
//===----------------------------------------------------------------------===//

#include "python/Compile.h"

#include "tessera-c/Runtime.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <dlfcn.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;
using namespace tessera::python;

namespace {

/// Raised for every failed runtime call; tessera/__init__.py re-raises it as
/// tessera.RuntimeError.
class RuntimeFailure : public std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void throwLastError(const std::string &context) {
  std::string message = tessera_last_error();
  throw RuntimeFailure(context.empty() ? message : context + ": " + message);
}

/// Describes one input or output as (name, dtype name, shape, size in
/// bytes).
py::tuple describe(const tessera_tensor_info &info) {
  py::tuple shape(info.rank);
  for (int32_t i = 0; i < info.rank; ++i)
    shape[i] = py::int_(info.dims[i]);
  return py::make_tuple(std::string(info.name),
                        std::string(tessera_dtype_name(info.dtype)), shape,
                        info.size_bytes);
}

/// A loaded artifact (tessera_model*).
class Model {
public:
  explicit Model(const std::string &path) {
    tessera_status status;
    {
      py::gil_scoped_release release;
      status = tessera_model_load(path.c_str(), &model);
    }
    if (status != TESSERA_OK)
      throwLastError("");
  }
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;
  ~Model() { tessera_model_free(model); }

  std::string path() const { return tessera_model_path(model); }

  py::list inputs() const { return infos(/*isInput=*/true); }
  py::list outputs() const { return infos(/*isInput=*/false); }

  /// (device, cpu, features).
  py::tuple target() const {
    const char *device = nullptr, *cpu = nullptr, *features = nullptr;
    if (tessera_model_target(model, &device, &cpu, &features) != TESSERA_OK)
      throwLastError("cannot read the artifact's target");
    return py::make_tuple(std::string(device ? device : ""),
                          std::string(cpu ? cpu : ""),
                          std::string(features ? features : ""));
  }

  /// Runs the model on C-contiguous arrays of exactly the declared sizes;
  /// results are written into `outputs`.
  void run(const std::vector<py::array> &inputs,
           std::vector<py::array> outputs) {
    int32_t numInputs = tessera_model_num_inputs(model);
    int32_t numOutputs = tessera_model_num_outputs(model);
    if (static_cast<int64_t>(inputs.size()) != numInputs)
      throw std::invalid_argument("the model takes " +
                                  std::to_string(numInputs) + " inputs, got " +
                                  std::to_string(inputs.size()));
    if (static_cast<int64_t>(outputs.size()) != numOutputs)
      throw std::invalid_argument(
          "the model has " + std::to_string(numOutputs) + " outputs, got " +
          std::to_string(outputs.size()) + " output buffers");

    std::vector<const void *> inputPointers(numInputs);
    std::vector<void *> outputPointers(numOutputs);
    for (int32_t i = 0; i < numInputs; ++i) {
      tessera_tensor_info info = infoAt(i, /*isInput=*/true);
      checkBuffer(inputs[i], info, "input", /*writable=*/false);
      inputPointers[i] = inputs[i].data();
    }
    for (int32_t i = 0; i < numOutputs; ++i) {
      tessera_tensor_info info = infoAt(i, /*isInput=*/false);
      checkBuffer(outputs[i], info, "output", /*writable=*/true);
      outputPointers[i] = outputs[i].mutable_data();
    }
    tessera_status status;
    {
      py::gil_scoped_release release;
      status =
          tessera_model_run(model, inputPointers.data(), outputPointers.data());
    }
    if (status != TESSERA_OK)
      throwLastError("running " + path() + " failed");
  }

private:
  tessera_tensor_info infoAt(int32_t index, bool isInput) const {
    tessera_tensor_info info;
    tessera_status status =
        isInput ? tessera_model_input_info(model, index, &info)
                : tessera_model_output_info(model, index, &info);
    if (status != TESSERA_OK)
      throwLastError("");
    return info;
  }

  py::list infos(bool isInput) const {
    int32_t count = isInput ? tessera_model_num_inputs(model)
                            : tessera_model_num_outputs(model);
    py::list result;
    for (int32_t i = 0; i < count; ++i)
      result.append(describe(infoAt(i, isInput)));
    return result;
  }

  static void checkBuffer(const py::array &array,
                          const tessera_tensor_info &info, const char *kind,
                          bool writable) {
    std::string what = std::string(kind) + " '" + info.name + "'";
    if (!(array.flags() & py::array::c_style))
      throw std::invalid_argument(what + " must be C-contiguous");
    if (writable && !array.writeable())
      throw std::invalid_argument(what + " must be writable");
    if (static_cast<uint64_t>(array.nbytes()) != info.size_bytes ||
        static_cast<size_t>(array.itemsize()) != tessera_dtype_size(info.dtype))
      throw std::invalid_argument(
          what + " expects " + std::to_string(info.size_bytes) + " bytes of " +
          tessera_dtype_name(info.dtype) + ", got " +
          std::to_string(array.nbytes()) + " bytes of " +
          std::to_string(array.itemsize()) + "-byte elements");
  }

  tessera_model *model = nullptr;
};

/// Folder of the libtessera_runtime this module is linked against (where
/// the compiler links artifacts against the same runtime).
std::string runtimeLibraryDir() {
  Dl_info info;
  if (!dladdr(reinterpret_cast<void *>(&tessera_model_load), &info) ||
      !info.dli_fname)
    return "";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

/// Compiles; returns (ok, [(severity, message, location, node), ...]).
py::tuple
compile(py::object source, bool isPath, std::string outputPath,
        std::string emit, std::string target,
        std::vector<std::pair<std::string, std::vector<int64_t>>> shapes,
        unsigned optLevel, bool printIRAfterAll, std::string runtimeDir) {
  CompileRequest request;
  if (isPath)
    request.source = source.cast<std::string>();
  else
    request.source = std::string(source.cast<py::bytes>());
  request.isPath = isPath;
  request.outputPath = std::move(outputPath);
  request.emit = std::move(emit);
  request.target = std::move(target);
  request.shapes = std::move(shapes);
  request.optLevel = optLevel;
  request.printIRAfterAll = printIRAfterAll;
  request.runtimeLibraryDir = std::move(runtimeDir);

  CompileResult result;
  {
    py::gil_scoped_release release;
    result = compileModel(request);
  }
  py::list diagnostics;
  for (const Diagnostic &diag : result.diagnostics)
    diagnostics.append(
        py::make_tuple(diag.severity, diag.message, diag.location, diag.node));
  py::list tiles;
  for (const tessera::TileDecision &tile : result.decisions.tiles) {
    py::dict entry;
    entry["op"] = tile.op;
    entry["node"] = tile.node;
    entry["location"] = tile.location;
    entry["parallel"] = std::vector<int64_t>(tile.parallel.begin(),
                                             tile.parallel.end());
    entry["reduction"] = std::vector<int64_t>(tile.reduction.begin(),
                                              tile.reduction.end());
    entry["vector"] =
        std::vector<int64_t>(tile.vector.begin(), tile.vector.end());
    tiles.append(entry);
  }
  return py::make_tuple(result.ok, diagnostics, tiles);
}

} // namespace

PYBIND11_MODULE(_tessera, m) {
  m.doc() = "Native part of the tessera package: Tessera's compiler and "
            "runtime. Use the `tessera` package instead of this module.";

  py::register_exception<RuntimeFailure>(m, "RuntimeFailure",
                                         PyExc_RuntimeError);

  m.def("compile", &compile, py::arg("source"), py::arg("is_path"),
        py::arg("output_path"), py::arg("emit"), py::arg("target"),
        py::arg("shapes"), py::arg("opt_level"), py::arg("print_ir_after_all"),
        py::arg("runtime_dir"),
        "Compiles a model (a path or serialized bytes) to `output_path`. "
        "Returns (ok, diagnostics) with diagnostics as "
        "(severity, message, location, node) tuples.");
  m.def("cpu_pipelines", &getCPUPipelines, py::arg("opt_level"),
        "The CPU target's pass pipelines as (stage, pipeline) pairs.");
  m.def("runtime_library_dir", &runtimeLibraryDir,
        "Folder of the libtessera_runtime this module uses.");
  m.def("runtime_version",
        [] { return std::string(tessera_runtime_version()); });
  m.def(
      "set_num_threads",
      [](int32_t n) {
        if (tessera_runtime_set_num_threads(n) != TESSERA_OK)
          throw std::invalid_argument(tessera_last_error());
      },
      py::arg("n"));
  m.def("get_num_threads", [] { return tessera_runtime_get_num_threads(); });

  py::class_<Model>(m, "Model")
      .def(py::init<const std::string &>(), py::arg("path"))
      .def_property_readonly("path", &Model::path)
      .def("inputs", &Model::inputs,
           "[(name, dtype, shape, size_bytes)] in model order.")
      .def("outputs", &Model::outputs,
           "[(name, dtype, shape, size_bytes)] in model order.")
      .def("target", &Model::target, "(device, cpu, features).")
      .def("run", &Model::run, py::arg("inputs"), py::arg("outputs"),
           "Runs on C-contiguous arrays; writes into `outputs`.");
}
