// RUN: tessera-opt %s --split-input-file --tessera-outline-parallel-loops | FileCheck %s

// The body moves to @<func>_parallel_0(begin, end, ctx): captured values are
// loaded from the context struct (memrefs as LLVM descriptors, indices as
// i64; constants are rematerialized), the linearized iterations run in an scf.for, and the caller stores
// the captures and calls the runtime's parallel_for with the trip count.
// CHECK-LABEL: func.func private @scale_parallel_0
// CHECK-SAME:    (%[[BEGIN:.+]]: i64, %[[END:.+]]: i64, %[[CTX:.+]]: !llvm.ptr)
// CHECK:         llvm.getelementptr %[[CTX]][0, 0]
// CHECK:         %[[DESC:.+]] = llvm.load {{.*}} -> !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[BUF:.+]] = builtin.unrealized_conversion_cast %[[DESC]] : !llvm.struct<{{.*}}> to memref<64x32xf32>
// CHECK:         scf.for %[[I:.+]] = %{{.+}} to %{{.+}} step
// CHECK:           memref.subview %[[BUF]]
// CHECK:         return
// CHECK-LABEL: func.func @scale
// CHECK:         %[[CTXV:.+]] = llvm.alloca %{{.+}} x !llvm.struct<(struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>, i64, i64)>
// CHECK:         builtin.unrealized_conversion_cast %{{.+}} : memref<64x32xf32> to !llvm.struct
// CHECK:         llvm.store
// CHECK:         %[[FN:.+]] = constant @scale_parallel_0 : (i64, i64, !llvm.ptr) -> ()
// CHECK:         call @tessera_rt_parallel_for(%{{.+}}, %[[FN]], %[[CTXV]])
// CHECK-NOT:     scf.parallel
// CHECK-LABEL: func.func private @tessera_rt_parallel_for
// CHECK-SAME:    (i64, (i64, i64, !llvm.ptr) -> (), !llvm.ptr)
func.func @scale(%m: memref<64x32xf32>, %lo: index, %hi: index) {
  %c16 = arith.constant 16 : index
  %two = arith.constant 2.0 : f32
  scf.parallel (%i) = (%lo) to (%hi) step (%c16) {
    %sub = memref.subview %m[%i, 0] [16, 32] [1, 1]
        : memref<64x32xf32> to memref<16x32xf32, strided<[32, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>],
                    iterator_types = ["parallel", "parallel"]}
        outs(%sub : memref<16x32xf32, strided<[32, 1], offset: ?>>) {
    ^bb0(%out: f32):
      %s = arith.mulf %out, %two : f32
      linalg.yield %s : f32
    }
    scf.reduce
  }
  return
}

// -----

// Nested parallel loops stay inside the outlined body.
// CHECK-LABEL: func.func private @nested_parallel_0
// CHECK:         scf.parallel
// CHECK-LABEL: func.func @nested
// CHECK:         call @tessera_rt_parallel_for
// CHECK-NOT:     scf.parallel
func.func @nested(%m: memref<8x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %zero, %m[%i, %j] : memref<8x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// The body is named after the ONNX node most of its FMAs came from (here
// the convolution fused into its ReLU's tile, although the ReLU has more
// operations), with the characters other than letters and digits as '_',
// so that a profiler attributes its time to the node.
// CHECK-LABEL: func.func private @named_parallel_0__layer1_conv1_Conv(
// CHECK-LABEL: func.func @named
// CHECK:         constant @named_parallel_0__layer1_conv1_Conv
func.func @named(%m: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c8) {
    %x = vector.load %m[%i] : memref<64xf32>, vector<8xf32> loc("/layer1/relu/Relu")
    %y = vector.fma %x, %x, %x : vector<8xf32> loc("/layer1/conv1/Conv")
    %r = arith.maximumf %y, %x : vector<8xf32> loc("/layer1/relu/Relu")
    vector.store %r, %m[%i] : memref<64xf32>, vector<8xf32> loc("/layer1/relu/Relu")
    scf.reduce
  } loc("/layer1/relu/Relu")
  return
}

// -----

// Without FMAs, the node most of the operations came from.
// CHECK-LABEL: func.func private @counted_parallel_0__pool_MaxPool(
func.func @counted(%m: memref<64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    %x = memref.load %m[%i] : memref<64xf32> loc("/pool/MaxPool")
    %y = arith.maximumf %x, %x : f32 loc("/pool/MaxPool")
    memref.store %y, %m[%i] : memref<64xf32> loc("/relu/Relu")
    scf.reduce
  } loc("/relu/Relu")
  return
}
