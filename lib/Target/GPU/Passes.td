//===- Passes.td - GPU target passes -----------------------*- tablegen -*-===//
//
// Passes that map buffer-level linalg to GPU kernels and prepare them for
// the SPIR-V (Vulkan) and NVVM (CUDA) code generators. Alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_TARGET_GPU_PASSES_TD
#define TESSERA_TARGET_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// AlignWorkgroupMemory
//===----------------------------------------------------------------------===//

def AlignWorkgroupMemory : Pass<"tessera-align-workgroup-memory",
                                "mlir::gpu::GPUModuleOp"> {
  let summary = "Align every kernel's workgroup memory (CUDA)";
  let description = [{
    Workgroup attributions become `.shared` arrays aligned to their element
    type only, but the tensor-core kernels read them with 32-bit vector
    loads. This pass gives every workgroup attribution of the module's
    kernels an `llvm.align` of at least `alignment` bytes, which
    `convert-gpu-to-nvvm` puts on the global.

    Before:
    ```mlir
    gpu.func @k() workgroup(%a : memref<128x40xf16, 3>) kernel
    ```
    After:
    ```mlir
    gpu.func @k() workgroup(%a : memref<128x40xf16, 3> {llvm.align = 16 : i64}) kernel
    ```
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "Smallest alignment in bytes (a power of two)">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// ExternDynamicSharedMemory
//===----------------------------------------------------------------------===//

def ExternDynamicSharedMemory : Pass<"tessera-extern-dynamic-shared-memory",
                                     "mlir::gpu::GPUModuleOp"> {
  let summary = "Declare dynamic shared memory extern (CUDA)";
  let description = [{
    `convert-gpu-to-nvvm` lowers `gpu.dynamic_shared_memory` to an internal
    zero-sized `.shared` array. The NVPTX back end then "demotes" it into the
    kernel as a 1-byte static variable, so the kernel addresses the dynamic
    shared memory from the wrong origin and its last bytes lie past the
    block's allocation. Declared `external`, it becomes PTX's
    `.extern .shared .align 16 .b8 name[]`, which starts at the block's
    dynamic shared memory, as CUDA C++'s `extern __shared__` arrays do.
    Runs on LLVM-dialect kernel modules.

    Before:
    ```mlir
    llvm.mlir.global internal @__dynamic_shmem__0() {addr_space = 3 : i32,
        alignment = 16 : i64} : !llvm.array<0 x i8>
    ```
    After:
    ```mlir
    llvm.mlir.global external @__dynamic_shmem__0() {addr_space = 3 : i32,
        alignment = 16 : i64} : !llvm.array<0 x i8>
    ```
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// ApproximateErf
//===----------------------------------------------------------------------===//

def ApproximateErf : Pass<"tessera-approximate-erf", "mlir::gpu::GPUModuleOp"> {
  let summary = "Replace math.erf/erfc by polynomial approximations (SPIR-V)";
  let description = [{
    SPIR-V's GLSL.std.450 instruction set has no error function, which
    GELU (exact form) needs. This pass applies upstream's f32 polynomial
    approximations of `math.erf` and `math.erfc` (max error about 1e-7)
    so kernels only use operations SPIR-V has.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
}

//===----------------------------------------------------------------------===//
// BundleCUDAObjects
//===----------------------------------------------------------------------===//

def BundleCUDAObjects : Pass<"tessera-bundle-cuda-objects", "mlir::ModuleOp"> {
  let summary = "Bundle the PTX of every CUDA architecture into one fatbin";
  let description = [{
    Runs after `gpu-module-to-binary{format=isa}` on modules with several
    NVVM targets (one per `--cuda-arch`). For each `gpu.binary`, every PTX
    object is assembled with the CUDA toolkit's `ptxas` into a cubin for its
    architecture, and `fatbinary` packs the cubins plus the PTX of the
    newest architecture (JIT-compiled by the driver on GPUs newer than all
    of them) into one fatbin object, which the driver's module loader
    picks from at run time. Without a toolkit the PTX objects are kept
    (the driver JIT-compiles the first) and a remark says so.

    Before:
    ```mlir
    gpu.binary @k [#gpu.object<#nvvm.target<chip = "sm_80">, assembly = "...">,
                   #gpu.object<#nvvm.target<chip = "sm_90">, assembly = "...">]
    ```
    After:
    ```mlir
    gpu.binary @k [#gpu.object<#nvvm.target<chip = "sm_80">, fatbin = "...">]
    ```
  }];
  let options = [
    Option<"toolkitPath", "toolkit", "std::string", /*default=*/"\"\"",
           "CUDA toolkit folder (default: $CUDA_HOME, /usr/local/cuda, PATH)">,
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

//===----------------------------------------------------------------------===//
// DemoteF64Math
//===----------------------------------------------------------------------===//

def DemoteF64Math : Pass<"tessera-demote-f64-math", "mlir::gpu::GPUModuleOp"> {
  let summary = "Compute f64 math functions in f32 (SPIR-V kernels)";
  let description = [{
    GLSL.std.450, the instruction set that SPIR-V compute shaders use for
    math functions, defines `exp`, `log`, `pow`, `tanh`, ... for 16- and
    32-bit floats only. This pass computes every `math` op on f64 in f32:
    operands are truncated, the result extended back. Results keep about
    7 significant digits; arithmetic (`arith`) stays in f64.

    Before:
    ```mlir
    %y = math.exp %x : f64
    ```
    After:
    ```mlir
    %t = arith.truncf %x : f64 to f32
    %e = math.exp %t : f32
    %y = arith.extf %e : f32 to f64
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

//===----------------------------------------------------------------------===//
// EraseIntegerSignedness
//===----------------------------------------------------------------------===//

def EraseIntegerSignedness : Pass<"tessera-erase-integer-signedness",
                                  "mlir::ModuleOp"> {
  let summary = "Make unsigned and signed integer types signless";
  let description = [{
    The Graph-to-linalg lowering keeps ONNX's unsigned element types
    (`ui8`, `ui16`, ...) in tensor types and bridges to the signless
    integers that `arith` computes on with `builtin.unrealized_conversion_cast`.
    The LLVM lowering reconciles those casts; the SPIR-V conversion cannot.
    This pass rewrites every type in the module (values, block arguments,
    function types, memref globals and constants) to its signless form and
    drops the casts that become no-ops, so kernels only see signless
    integers. Signedness lives in the ops (`arith.divui`, `arith.extui`,
    ...), so no meaning is lost.

    Before:
    ```mlir
    %a = memref.load %x[%i] : memref<4xui8>
    %b = builtin.unrealized_conversion_cast %a : ui8 to i8
    ```
    After:
    ```mlir
    %a = memref.load %x[%i] : memref<4xi8>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// MapLinalgToGPU
//===----------------------------------------------------------------------===//

def MapLinalgToGPU : Pass<"tessera-map-linalg-to-gpu", "mlir::func::FuncOp"> {
  let summary = "Turn each linalg op on buffers into a gpu.launch";
  let description = [{
    Every linalg op of the function (static shapes, buffer semantics)
    becomes one `gpu.launch` in which each invocation computes one point of
    the op's parallel iteration space: the linear invocation id is split
    into the parallel loop indices, and the op, tiled to that point with
    `TilingInterface` (size 1 on parallel loops, the full range on
    reduction loops), is the kernel body. Blocks have `block-size`
    invocations along x; the grid is 1-D, or 2-D when it would exceed
    `max-grid-x` blocks. The tiled op is lowered to loops later, inside the
    kernel.

    Contractions instead get a kernel whose blocks stage BM x BK and BK x BN
    tiles of the operands in workgroup memory and whose invocations each
    accumulate a TM x TN register tile (default 64 x 64 x 16 and 4 x 4,
    256 invocations); `tessera.gpu_tile_config = {block = array<i64: BM, BN,
    BK>, thread = array<i64: TM, TN>}` on the op overrides it. A config
    with an `mma` entry (written by `tessera-select-gpu-kernel`, CUDA only)
    selects the tensor-core kernel instead (TensorCoreKernel.cpp): warps
    accumulate 16 x 8 tiles with `mma.sync` from operand tiles staged in
    workgroup memory.

    Before:
    ```mlir
    linalg.generic {iterator_types = ["parallel", "reduction"]}
        ins(%a : memref<64x128xf32>) outs(%b : memref<64xf32>) {...}
    ```
    After:
    ```mlir
    gpu.launch blocks(...) in (%gx = %c1, ...) threads(...) in (%tx = %c256, ...) {
      %id = ...                    // block * 256 + thread
      scf.if %id < 64 {
        %a1 = memref.subview %a[%id, 0] [1, 128] [1, 1]
        %b1 = memref.subview %b[%id] [1] [1]
        linalg.generic ... ins(%a1) outs(%b1)
      }
      gpu.terminator
    }
    ```
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256",
           "Invocations per block (workgroup), along x">,
    Option<"maxGridX", "max-grid-x", "int64_t", /*default=*/"65535",
           "Largest number of blocks along x before the grid becomes 2-D">,
    Option<"tiledContractions", "tiled-contractions", "bool",
           /*default=*/"true",
           "Matrix products (C[b,m,n] += A[b,m,k] * B[b,k,n] in any layout) "
           "become shared-memory tiled kernels (ContractionKernel.cpp); the "
           "tiling is the op's `tessera.gpu_tile_config` attribute if any">,
  ];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::NVVM::NVVMDialect",
                           "mlir::nvgpu::NVGPUDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

//===----------------------------------------------------------------------===//
// NestSPIRVModules
//===----------------------------------------------------------------------===//

def NestSPIRVModules : Pass<"tessera-nest-spirv-modules", "mlir::ModuleOp"> {
  let summary = "Move each converted spirv.module into its gpu.module";
  let description = [{
    `convert-gpu-to-spirv` writes the SPIR-V form of `gpu.module @k` as a
    sibling `spirv.module @__spv__k`. `gpu-module-to-binary` serializes the
    `spirv.module` nested in a `gpu.module` that has a SPIR-V target, so
    this pass moves it there (the `gpu.func`s stay, for the host's
    `gpu.launch_func` verification, until the binary replaces the module).
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect",
                           "mlir::spirv::SPIRVDialect"];
}

//===----------------------------------------------------------------------===//
// PlaceBuffersOnDevice
//===----------------------------------------------------------------------===//

def PlaceBuffersOnDevice : Pass<"tessera-place-buffers-on-device",
                                "mlir::ModuleOp"> {
  let summary = "Give every buffer that GPU kernels touch device memory";
  let description = [{
    Runs on the model functions after `tessera-map-linalg-to-gpu`, when
    every computation is a `gpu.launch` and the host only allocates, views
    and launches. Allocations become `gpu.alloc`/`gpu.dealloc`; each
    argument (the caller's host buffers: inputs, then outputs) gets a device
    copy, filled with `gpu.memcpy` at entry for inputs and copied back to
    the caller's output buffers before returning. The number of inputs is
    the length of the function's `tessera.input_names`.

    Constant globals (the weights) are not copied per run: at entry, each
    becomes a call of the runtime's `tessera_rt_gpu_constant(host address,
    bytes)`, which uploads the constant on the first run of the loaded model
    and returns the same device buffer on later runs (the runtime frees it
    with the model). Scalar reads of a constant by host code keep reading
    the host global. A non-constant global is copied per run like an input.
    A host operation that would read or write buffer contents is an error
    naming the op.

    Before:
    ```mlir
    memref.global "private" constant @w : memref<4xf32> = dense<1.0>
    func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
      %w = memref.get_global @w : memref<4xf32>
      gpu.launch ... { ... %x ... %w ... %y ... }
      return
    }
    ```
    After:
    ```mlir
    func.func private @tessera_rt_gpu_constant(index, i64) -> memref<1xi8>
    func.func @main(%x: memref<4xf32>, %y: memref<4xf32>) {
      %w = memref.get_global @w : memref<4xf32>
      %p = memref.extract_aligned_pointer_as_index %w : memref<4xf32> -> index
      %raw = call @tessera_rt_gpu_constant(%p, %c16_i64)
          : (index, i64) -> memref<1xi8>
      %bytes = memref.reinterpret_cast %raw to offset: [0], sizes: [16],
          strides: [1] : memref<1xi8> to memref<16xi8>
      %dw = memref.view %bytes[%c0][] : memref<16xi8> to memref<4xf32>
      %dx = gpu.alloc () : memref<4xf32>
      gpu.memcpy %dx, %x : memref<4xf32>, memref<4xf32>
      %dy = gpu.alloc () : memref<4xf32>
      gpu.launch ... { ... %dx ... %dw ... %dy ... }
      gpu.memcpy %y, %dy : memref<4xf32>, memref<4xf32>
      gpu.dealloc %dx : memref<4xf32>
      gpu.dealloc %dy : memref<4xf32>
      return
    }
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::memref::MemRefDialect"];
}

//===----------------------------------------------------------------------===//
// SelectGPUKernel
//===----------------------------------------------------------------------===//

def SelectGPUKernel : Pass<"tessera-select-gpu-kernel", "mlir::func::FuncOp"> {
  let summary = "Choose tensor-core kernels for matrix products (CUDA)";
  let description = [{
    Decides which matrix products (C[b,m,n] += A[b,m,k] * B[b,k,n] in any
    layout, including convolutions in im2col form, whose image loop only
    the input indexes) run on NVIDIA tensor cores, and writes the decision
    as the op's
    `tessera.gpu_tile_config`: f16 and bf16 products use
    `mma.sync.m16n8k16`; f32 products use `mma.sync.m16n8k8` with TF32
    operands only with `allow-tf32` (TF32 keeps 10 mantissa bits), else
    they keep the f32 kernel. A product of at least 128 blocks of 128 x 128
    gets such blocks of 2 x 2 warps in two stages (BK 64 through registers
    for f16/bf16, BK 32 with cp.async for TF32), a smaller one 64 x 64
    blocks of 2 x 2 warps with four (TF32: three) cp.async stages. The
    options impose one tiling on every product instead (for tuning);
    `mma=wgmma` asks for the sm_90a warpgroup kernel (`mma = "wgmma"`,
    128 x 128 x 64 blocks in three cp.async stages unless `block` and
    `stages` say otherwise), which needs `cuda-archs=sm_90a`; with
    `cuda-archs=sm_90a` and no tile options, the products it can compute
    (f16/bf16, 16-byte pieces) take it by default. Ops that already have a
    `tessera.gpu_tile_config` are left alone, so a config written by hand
    wins.

    Before:
    ```mlir
    linalg.matmul ins(%a, %b : memref<4096x4096xf16>, memref<4096x4096xf16>)
                  outs(%c : memref<4096x4096xf16>)
    ```
    After:
    ```mlir
    linalg.matmul {tessera.gpu_tile_config = {block = array<i64: 128, 128, 64>,
                   mma = "m16n8k16", stages = 2 : i64,
                   warps = array<i64: 2, 2>}} ins(...) outs(...)
    ```
  }];
  let options = [
    Option<"allowTF32", "allow-tf32", "bool", /*default=*/"false",
           "Compute f32 matrix products on tensor cores with TF32 operands">,
    ListOption<"block", "block", "int64_t",
               "BM,BN,BK for every product instead of the chosen tiling: a "
               "whole tiling, one stage of register copies unless the "
               "options below say otherwise (for tuning and experiments)">,
    ListOption<"warps", "warps", "int64_t",
               "WM,WN warps for every product instead of the chosen ones">,
    Option<"stages", "stages", "int64_t", /*default=*/"0",
           "Stages of staged tiles for every product (0: chosen, or 1 with "
           "block)">,
    Option<"asyncCopy", "async-copy", "bool", /*default=*/"false",
           "Copy the tiles of every product with cp.async (with stages)">,
    Option<"bLoadTiles", "ldmatrix-b-tiles", "int64_t", /*default=*/"0",
           "8 x 8 matrices per ldmatrix of B fragments, 2 or 4 (0: chosen)">,
    Option<"mma", "mma", "std::string", /*default=*/"\"\"",
           "\"wgmma\": every product that the sm_90a wgmma kernel can "
           "compute uses it with block and stages (the others keep their "
           "chosen mma.sync tiling); empty: chosen">,
    Option<"wgmmaOverlap", "wgmma-overlap", "bool", /*default=*/"false",
           "With mma=wgmma: keep one k-tile's wgmma in flight across the "
           "barrier (at least 3 stages)">,
    ListOption<"cudaArchs", "cuda-archs", "std::string",
               "The CUDA architectures the kernels compile for: a wgmma "
               "config, chosen or written on the op, is an error unless "
               "they are only sm_90a (empty: not checked)">,
  ];
}

//===----------------------------------------------------------------------===//
// SetSPIRVEntryPointABI
//===----------------------------------------------------------------------===//

def SetSPIRVEntryPointABI : Pass<"tessera-set-spirv-entry-point-abi",
                                 "mlir::gpu::GPUModuleOp"> {
  let summary = "Give each kernel its SPIR-V workgroup size";
  let description = [{
    `convert-gpu-to-spirv` needs `spirv.entry_point_abi` on every kernel:
    the workgroup size is part of a SPIR-V compute shader. This pass sets it
    from the kernel's `known_block_size` (which kernel outlining writes
    from the launch's constant block size); a kernel without one is an
    error.
  }];
  let dependentDialects = ["mlir::spirv::SPIRVDialect"];
}

//===----------------------------------------------------------------------===//
// WorkgroupAttributionsToAllocs
//===----------------------------------------------------------------------===//

def WorkgroupAttributionsToAllocs : Pass<"tessera-workgroup-attributions-to-allocs",
                                         "mlir::gpu::GPUModuleOp"> {
  let summary = "Turn workgroup attributions into workgroup allocations (SPIR-V)";
  let description = [{
    `convert-gpu-to-spirv` cannot lower `gpu.func` workgroup attributions
    (the kernels' shared-memory tiles, see ContractionKernel.cpp), but
    `memref.alloc` in workgroup memory becomes a `spirv.GlobalVariable` in
    the Workgroup storage class. This pass rewrites each attribution into
    such an allocation at the top of the kernel.

    Before:
    ```mlir
    gpu.func @k(...) workgroup(%tile : memref<64x16xf32, 3>) kernel { ... }
    ```
    After:
    ```mlir
    gpu.func @k(...) kernel {
      %tile = memref.alloc() : memref<64x16xf32, 3>
      ...
    }
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

#endif // TESSERA_TARGET_GPU_PASSES_TD
