#!/usr/bin/python3
"""Builds the bundle that scripts/gpu-check.sh runs on a GPU machine (which has
no LLVM and no Tessera compiler): libtessera_runtime.so, the checker, and
artifacts compiled here with --target=cuda, each with its inputs and expected
outputs as .npy files.

  conformance/<test>/   ONNX backend node tests that pass on the CPU
  gemm/<dtype>_<n>/     one MatMul of two n x n inputs: f32, tf32 (f32 with
                        --allow-tf32), f16, bf16 (between Casts from/to f32)
  models/<name>/        benchmark models (torch export, PyTorch CPU reference,
                        model.onnx kept for onnxruntime's CUDA provider)

  /usr/bin/python3 scripts/gpu_prepare.py --out gpu-bundle [--build build]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(SOURCE, "test", "e2e"))
NODE_DIR = "/usr/share/libonnx-testdata/data/node"


def compile_model(args, onnx_path, out_path, extra=()):
    cmd = [args.tessera_compile, onnx_path, "--target=cuda", "-o", out_path, *extra]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[0] if result.stderr else "failed")


def pb_to_npy(pb_path, npy_path):
    import onnx
    from onnx import numpy_helper
    tensor = onnx.TensorProto()
    with open(pb_path, "rb") as f:
        tensor.ParseFromString(f.read())
    np.save(npy_path, numpy_helper.to_array(tensor))


def prepare_conformance_test(args, name):
    src = os.path.join(NODE_DIR, name)
    data = os.path.join(src, "test_data_set_0")
    if not os.path.isdir(data):
        return name, "no data set"
    dst = os.path.join(args.out, "conformance", name)
    os.makedirs(dst, exist_ok=True)
    try:
        compile_model(args, os.path.join(src, "model.onnx"), os.path.join(dst, "model.so"))
        for kind, stem in (("input", "input_"), ("output", "expected_")):
            i = 0
            while os.path.exists(os.path.join(data, f"{kind}_{i}.pb")):
                pb_to_npy(os.path.join(data, f"{kind}_{i}.pb"), os.path.join(dst, f"{stem}{i}.npy"))
                i += 1
        return name, None
    except Exception as e:
        shutil.rmtree(dst, ignore_errors=True)
        return name, str(e)


def prepare_conformance(args):
    with open(os.path.join(SOURCE, "test", "e2e", "onnx_expected_pass.txt")) as f:
        names = [l.strip() for l in f if l.strip() and not l.startswith("#") and "/" not in l]
    failed = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for name, error in pool.map(lambda n: prepare_conformance_test(args, n), names):
            if error:
                failed[name] = error
    print(f"conformance: {len(names) - len(failed)} of {len(names)} CPU-passing node tests "
          f"compiled for cuda")
    return {"total": len(names), "not_compiled": failed}


# The GEMMs: (name, element type of the product, compile flags). The
# artifact ABI has no bf16, so the bf16 product sits between Casts from and
# to f32; "tf32" is the f32 model compiled with --allow-tf32.
# "f16_bt" is an f16 Gemm with transB=1 (B stored n x k; the compiler
# transposes it into the product's layout): a Gemm node next to the MatMuls.
GEMMS = (("f32", "f32", ()), ("tf32", "f32", ("--allow-tf32",)),
         ("f16", "f16", ()), ("bf16", "bf16", ()), ("f16_bt", "f16", ()))


def gemm_model(n, dtype, trans_b=False):
    from onnx import TensorProto, helper
    elem = {"f32": TensorProto.FLOAT, "f16": TensorProto.FLOAT16,
            "bf16": TensorProto.BFLOAT16}[dtype]
    io = TensorProto.FLOAT if dtype == "bf16" else elem
    if dtype == "bf16":
        nodes = [helper.make_node("Cast", ["a"], ["a16"], to=elem),
                 helper.make_node("Cast", ["b"], ["b16"], to=elem),
                 helper.make_node("MatMul", ["a16", "b16"], ["c16"]),
                 helper.make_node("Cast", ["c16"], ["c"], to=io)]
    elif trans_b:
        nodes = [helper.make_node("Gemm", ["a", "b"], ["c"], transB=1)]
    else:
        nodes = [helper.make_node("MatMul", ["a", "b"], ["c"])]
    graph = helper.make_graph(
        nodes, "gemm",
        [helper.make_tensor_value_info("a", io, [n, n]),
         helper.make_tensor_value_info("b", io, [n, n])],
        [helper.make_tensor_value_info("c", io, [n, n])])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


def prepare_gemm(args):
    import onnx
    n = args.gemm_size
    for name, dtype, flags in GEMMS:
        dst = os.path.join(args.out, "gemm", f"{name}_{n}")
        os.makedirs(dst, exist_ok=True)
        path = os.path.join(dst, "gemm.onnx")
        trans_b = name.endswith("_bt")
        onnx.save(gemm_model(n, dtype, trans_b), path)
        compile_model(args, path, os.path.join(dst, "model.so"), flags)
        os.remove(path)
        # dtype: the cuBLAS peer (torch.matmul in it; tf32 = f32 with
        # allow_tf32); product: the element type Tessera multiplies in.
        with open(os.path.join(dst, "gemm.json"), "w") as f:
            json.dump({"n": n, "dtype": name, "product": dtype,
                       "flags": list(flags), "trans_b": trans_b}, f)
    print(f"gemm: {', '.join(g[0] for g in GEMMS)} at {n}^3")


def build_kernel_timer(args):
    """lib/libcuda_kernel_timer.so (cuda_kernel_timer.c), linked against the
    toolkit's stub driver; the GPU check times GEMM kernels with it."""
    stubs = os.path.join(args.cuda, "lib64", "stubs")
    out = os.path.join(args.out, "lib", "libcuda_kernel_timer.so")
    cmd = [os.environ.get("CC", "cc"), "-shared", "-fPIC", "-O2",
           os.path.join(HERE, "cuda_kernel_timer.c"), "-o", out, f"-L{stubs}",
           "-Wl,--no-as-needed", "-lcuda", "-ldl"]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        why = result.stderr.strip() or "failed" if result.returncode else ""
    except OSError as e:
        why = str(e)
    if why:
        print(f"kernel timer: not built ({why}); the GPU check will time whole runs only")
        return
    print("kernel timer: lib/libcuda_kernel_timer.so")


def prepare_models(args):
    import zoo
    from torch_models import export
    for name in args.models:
        dst = os.path.join(args.out, "models", name)
        build, extra = zoo.MODELS[name]
        model, x, options = build()
        export(model, x, dst, **options)
        compile_model(args, os.path.join(dst, "model.onnx"), os.path.join(dst, "model.so"), extra)
        if not args.keep_onnx:
            os.remove(os.path.join(dst, "model.onnx"))
        print(f"models: {name}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--build", default=os.path.join(SOURCE, "build"))
    parser.add_argument("--models", default="squeezenet1_1,mobilenet_v2,transformer")
    parser.add_argument("--gemm-size", type=int, default=4096)
    parser.add_argument("--keep-onnx", action="store_true",
                        help="keep model.onnx for onnxruntime's CUDA timings")
    parser.add_argument("--skip-conformance", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--cuda", default="/usr/local/cuda",
                        help="CUDA toolkit (its stub libcuda links the kernel timer)")
    args = parser.parse_args()
    args.models = [m for m in args.models.split(",") if m]
    args.tessera_compile = os.path.join(args.build, "bin", "tessera-compile")
    runtime = os.path.join(args.build, "lib", "libtessera_runtime.so")
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(os.path.join(args.out, "lib"))
    # The soname link the artifacts ask for, as a plain copy.
    shutil.copy(os.path.realpath(runtime), os.path.join(args.out, "lib", "libtessera_runtime.so"))
    shutil.copy(os.path.realpath(runtime), os.path.join(args.out, "lib", "libtessera_runtime.so.0"))
    shutil.copy(os.path.join(HERE, "gpu_check.py"), args.out)
    build_kernel_timer(args)
    manifest = {}
    if not args.skip_conformance:
        manifest["conformance"] = prepare_conformance(args)
    prepare_gemm(args)
    prepare_models(args)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    print(f"bundle: {args.out} ({size / 2**20:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
