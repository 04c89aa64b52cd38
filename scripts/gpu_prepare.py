#!/usr/bin/python3
"""Builds the bundle that scripts/gpu-check.sh runs on a GPU machine (which has
no LLVM and no Tessera compiler): libtessera_runtime.so, the checker, and
artifacts compiled here with --target=cuda, each with its inputs and expected
outputs as .npy files.

  conformance/<test>/   ONNX backend node tests that pass on the CPU
  gemm/<dtype>_<n>/     one MatMul of two n x n inputs: f32, tf32 (f32 with
                        --allow-tf32), f16, bf16 (between Casts from/to f32),
                        f16_bt (a Gemm with transB), f16_bias (a Gemm with
                        transA and a bias, so the product starts from C);
                        the edge cases of --gemm-edges (m x k x n, e.g.
                        f16_1000x1000x1000); with --gemm-archs, all of them
                        again for those CUDA architectures (e.g.
                        f16_4096_sm_90a, Hopper's wgmma kernels)
  models/<name>/        benchmark models (torch export, PyTorch CPU reference,
                        model.onnx for onnxruntime); NAME:tf32 in --models is
                        the same model compiled with --allow-tf32
  peers/                the zoo's model definitions, for PyTorch's GPU timings

The models' weights are quantized to four values per tensor before export
(--exact-weights keeps them): the kernels do the same arithmetic and take the
same time, and the bundle compresses (ResNet-50's 100 MB artifact to 8 MB),
so that it fits what can be carried to a lent GPU machine. --archive writes
the bundle as one .tar.xz, which scripts/gpu-check.sh unpacks.

  /usr/bin/python3 scripts/gpu_prepare.py --out gpu-bundle [--build build]
      [--archive gpu-bundle.tar.xz]
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tarfile

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
# "f16_bias" is an f16 Gemm with transA=1 and a bias C (linspace(-1, 1, n)),
# which the product accumulates onto instead of a zero fill.
GEMMS = (("f32", "f32", ()), ("tf32", "f32", ("--allow-tf32",)),
         ("f16", "f16", ()), ("bf16", "bf16", ()), ("f16_bt", "f16", ()),
         ("f16_bias", "f16", ()))
GEMM_TYPES = {g[0]: g for g in GEMMS}
# Smaller products that take the other tensor-core tiles (64 x 64 blocks
# below 128 blocks of 128 x 128) and sizes that are no multiple of any tile.
DEFAULT_GEMM_EDGES = ("f16:512x512x512,f16:1000x1000x1000,bf16:1000x1000x1000,"
                      "tf32:1000x1000x1000,f32:1000x1000x1000,f16_bt:264x200x136")


def gemm_bias(n, dtype=np.float16):
    """The bias of the "f16_bias" GEMM (gpu_check.py recomputes it)."""
    return np.linspace(-1, 1, n).astype(dtype)


def gemm_model(m, k, n, dtype, trans_b=False, bias=False):
    from onnx import TensorProto, helper, numpy_helper
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
    elif bias:
        nodes = [helper.make_node("Gemm", ["a", "b", "bias"], ["c"], transA=1)]
    else:
        nodes = [helper.make_node("MatMul", ["a", "b"], ["c"])]
    graph = helper.make_graph(
        nodes, "gemm",
        [helper.make_tensor_value_info("a", io, [k, m] if bias else [m, k]),
         helper.make_tensor_value_info("b", io, [n, k] if trans_b else [k, n])],
        [helper.make_tensor_value_info("c", io, [m, n])],
        [numpy_helper.from_array(gemm_bias(n), "bias")] if bias else [])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


def parse_gemm_edges(text):
    """"f16:512x512x512,tf32:1000x1000x1000" -> [(type, m, k, n)]."""
    cases = []
    for item in filter(None, text.split(",")):
        name, _, shape = item.partition(":")
        dims = [int(d) for d in shape.split("x")] if shape else []
        if name not in GEMM_TYPES or len(dims) != 3 or min(dims) <= 0:
            raise SystemExit(f"error: --gemm-edges: '{item}' is not TYPE:MxKxN with TYPE one of "
                             f"{', '.join(GEMM_TYPES)}")
        cases.append((name, *dims))
    return cases


def prepare_one_gemm(args, name, m, k, n, folder, extra=()):
    import onnx
    _, dtype, flags = GEMM_TYPES[name]
    flags = tuple(flags) + tuple(extra)
    dst = os.path.join(args.out, "gemm", folder)
    os.makedirs(dst, exist_ok=True)
    path = os.path.join(dst, "gemm.onnx")
    trans_b, bias = name.endswith("_bt"), name.endswith("_bias")
    onnx.save(gemm_model(m, k, n, dtype, trans_b, bias), path)
    compile_model(args, path, os.path.join(dst, "model.so"), flags)
    os.remove(path)
    # dtype: the cuBLAS peer (torch.matmul in it; tf32 = f32 with
    # allow_tf32); product: the element type Tessera multiplies in.
    with open(os.path.join(dst, "gemm.json"), "w") as f:
        json.dump({"m": m, "k": k, "n": n, "dtype": name, "product": dtype,
                   "flags": list(flags), "trans_b": trans_b, "trans_a": bias,
                   "bias": bias}, f)


def prepare_gemm(args):
    n = args.gemm_size
    types = [g[0] for g in GEMMS if g[0] in args.gemm_types.split(",")]
    edges = parse_gemm_edges(args.gemm_edges)
    # The default architectures, then each of --gemm-archs (its own kernels:
    # sm_90a alone takes the wgmma kernels).
    for arch in [""] + [a for a in args.gemm_archs.split(",") if a]:
        suffix, flags = (f"_{arch}", (f"--cuda-arch={arch}",)) if arch else ("", ())
        for name in types:
            prepare_one_gemm(args, name, n, n, n, f"{name}_{n}{suffix}", flags)
        for name, m, k, n_ in edges:
            prepare_one_gemm(args, name, m, k, n_, f"{name}_{m}x{k}x{n_}{suffix}", flags)
        where = f" for {arch}" if arch else ""
        if types:
            print(f"gemm{where}: {', '.join(types)} at {n}^3")
        if edges:
            print(f"gemm edges{where}: "
                  f"{', '.join(f'{e[0]} {e[1]}x{e[2]}x{e[3]}' for e in edges)}")
    # Tensor-core tile variants: TYPE:MxKxN@BMxBNxBK:WMxWN[:S] (or
    # @wgmma:BMxBNxBK[:S], sm_90a only), compiled with
    # --cuda-tensor-core-tiles, to measure tilings against each other.
    variants = [v for v in args.gemm_variants.split(",") if v]
    for variant in variants:
        case, _, tiles = variant.partition("@")
        (name, m, k, n), = parse_gemm_edges(case)
        folder = f"{name}_{m}x{k}x{n}_t{tiles.replace(':', '_')}"
        flags = (f"--cuda-tensor-core-tiles={tiles}",)
        if tiles.startswith("wgmma:"):
            flags += ("--cuda-arch=sm_90a",)  # wgmma runs on sm_90a only
        prepare_one_gemm(args, name, m, k, n, folder, flags)
    if variants:
        print(f"gemm variants: {len(variants)}")


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


def quantize_weights(model):
    """Every weight tensor (rank >= 2) to four values, +-0.5 and +-1.5 times
    its standard deviation: the same kernels and times, a compressible bundle."""
    import torch
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                s = float(p.std()) or 1.0
                p.copy_((torch.floor(p / s).clamp(-2, 1) + 0.5) * s)


# Largest |tessera - pytorch| allowed, relative to max |pytorch|: f32 models
# as in the zoo tests; with --allow-tf32 the products keep 10 mantissa bits.
MODEL_TOLERANCE = {"f32": 1e-4, "tf32": 1e-2}


def prepare_models(args):
    import zoo
    from torch_models import export
    peers = os.path.join(args.out, "peers")
    os.makedirs(peers, exist_ok=True)
    e2e = os.path.join(SOURCE, "test", "e2e")
    for f in ("zoo.py", "torch_models.py", "check_model.py"):
        shutil.copy(os.path.join(e2e, f), peers)
    for spec in args.models:
        name, _, variant = spec.partition(":")
        if name not in zoo.MODELS or variant not in ("", "tf32"):
            raise SystemExit(f"error: --models: unknown model '{spec}' (known: "
                             f"{', '.join(sorted(zoo.MODELS))}, each optionally with ':tf32')")
        folder = f"{name}_{variant}" if variant else name
        dst = os.path.join(args.out, "models", folder)
        build, extra = zoo.MODELS[name]
        base = os.path.join(args.out, "models", name)
        if variant and os.path.exists(os.path.join(base, "model.onnx")):
            os.makedirs(dst, exist_ok=True)
            for f in ("input_0.npy", "expected_0.npy"):
                shutil.copy(os.path.join(base, f), dst)
            onnx_path, onnx_ref = os.path.join(base, "model.onnx"), f"../{name}/model.onnx"
        else:
            model, x, options = build()
            if not args.exact_weights:
                quantize_weights(model)
            export(model, x, dst, **options)
            onnx_path, onnx_ref = os.path.join(dst, "model.onnx"), "model.onnx"
        flags = list(extra) + (["--allow-tf32"] if variant == "tf32" else [])
        compile_model(args, onnx_path, os.path.join(dst, "model.so"), flags)
        with open(os.path.join(dst, "model.json"), "w") as f:
            json.dump({"zoo": name, "flags": flags, "onnx": onnx_ref,
                       "tolerance": MODEL_TOLERANCE[variant or "f32"],
                       "quantized_weights": not args.exact_weights}, f)
        print(f"models: {folder}")
    if not args.keep_onnx:
        for d, _, files in os.walk(os.path.join(args.out, "models")):
            if "model.onnx" in files:
                os.remove(os.path.join(d, "model.onnx"))


def write_archive(folder, archive):
    """folder as archive (.tar.xz): with xz's threads when xz is installed."""
    parent, name = os.path.split(os.path.abspath(folder))
    try:
        with open(archive, "wb") as f:
            tar = subprocess.Popen(["tar", "-C", parent, "-cf", "-", name], stdout=subprocess.PIPE)
            xz = subprocess.run(["xz", "-T0", "-6"], stdin=tar.stdout, stdout=f)
            tar.stdout.close()
            if tar.wait() != 0 or xz.returncode != 0:
                raise OSError("tar | xz failed")
    except OSError:
        with tarfile.open(archive, "w:xz") as tar:
            tar.add(folder, arcname=name)
    print(f"archive: {archive} ({os.path.getsize(archive) / 2**20:.1f} MiB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--build", default=os.path.join(SOURCE, "build"))
    parser.add_argument("--models",
                        default="squeezenet1_1,mobilenet_v2,transformer,resnet50,resnet50:tf32")
    parser.add_argument("--gemm-size", type=int, default=4096)
    parser.add_argument("--gemm-types", default=",".join(g[0] for g in GEMMS),
                        help="the n^3 GEMMs (default: %(default)s)")
    parser.add_argument("--gemm-edges", default=DEFAULT_GEMM_EDGES,
                        help="more GEMMs, TYPE:MxKxN,... (default: %(default)s)")
    parser.add_argument("--gemm-archs", default="",
                        help="also compile the GEMMs and edges for these CUDA "
                        "architectures, one set each (e.g. sm_90a)")
    parser.add_argument("--gemm-variants", default="",
                        help="GEMMs with hand-picked tensor-core tiles, "
                        "TYPE:MxKxN@BMxBNxBK:WMxWN[:STAGES],... or "
                        "TYPE:MxKxN@wgmma:BMxBNxBK[:STAGES] (sm_90a)")
    parser.add_argument("--no-onnx", dest="keep_onnx", action="store_false",
                        help="drop model.onnx (onnxruntime's timings need it)")
    parser.add_argument("--exact-weights", action="store_true",
                        help="keep the models' random weights (the bundle no longer compresses)")
    parser.add_argument("--archive", metavar="FILE.tar.xz",
                        help="also write the bundle as one compressed archive")
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
    if args.archive:
        write_archive(args.out, args.archive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
