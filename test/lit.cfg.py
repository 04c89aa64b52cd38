# -*- Python -*-
# lit configuration for Tessera's tests: IR tests run tessera-opt, importer
# and end-to-end tests run tessera-compile and tessera-run on small models.

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "Tessera"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tessera_obj_root, "test")
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "unit", "e2e-data"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
# %python_runtime: Python for scripts that load libtessera_runtime.so
# themselves (ctypes) and start no Tessera tool. In an ASan build
# (scripts/sanitize.sh) that library is instrumented, and the interpreter
# needs the ASan runtime preloaded. Before %python, which is its prefix.
python_runtime = config.python_executable
if "address" in getattr(config, "tessera_sanitizer", ""):
    asan_runtime = subprocess.run(
        [config.cxx_compiler, "-print-file-name=libclang_rt.asan-x86_64.so"],
        capture_output=True, text=True).stdout.strip()
    python_runtime = f"env LD_PRELOAD={asan_runtime} {python_runtime}"
config.substitutions.append(("%python_runtime", python_runtime))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%tessera_src", config.tessera_src_root))
config.substitutions.append(("%tessera_lib", config.tessera_lib_dir))

llvm_config.with_system_environment(["HOME", "TMPDIR"])
llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.tessera_tools_dir, append_path=True)
# Keep the tests deterministic whatever the caller's environment.
config.environment["TESSERA_NUM_THREADS"] = "1"

tools = ["tessera-opt", "tessera-compile", "tessera-run", "FileCheck", "not", "count"]
llvm_config.add_tool_substitutions(
    [ToolSubst(t, unresolved="ignore") for t in tools],
    [config.tessera_tools_dir, config.llvm_tools_dir],
)

# Features for tests that need something beyond the CPU.
if shutil.which("vulkaninfo"):
    try:
        out = subprocess.run(["vulkaninfo", "--summary"], capture_output=True,
                             text=True, timeout=30).stdout
        if "deviceName" in out:
            config.available_features.add("vulkan")
    except Exception:
        pass
if os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("ptxas")
if os.path.exists("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")
try:
    subprocess.run([config.python_executable, "-c", "import torch"], check=True,
                   capture_output=True, timeout=120)
    config.available_features.add("torch")
except Exception:
    pass
