// RUN: tessera-opt %s --pass-pipeline='builtin.module(tessera-erase-integer-signedness)' | FileCheck %s

// Unsigned element types become signless everywhere (function types, values,
// globals and their data); the casts that bridged them disappear.
// CHECK:       memref.global "private" constant @table : memref<2xi8> = dense<[1, -1]>
// CHECK-LABEL: func.func @add(%{{.*}}: memref<4xi8>, %{{.*}}: memref<4xi8>)
// CHECK:         %[[V:.*]] = memref.load %{{.*}} : memref<4xi8>
// CHECK-NEXT:    %[[S:.*]] = arith.addi %[[V]], %[[V]] : i8
// CHECK-NEXT:    memref.store %[[S]], %{{.*}} : memref<4xi8>
// CHECK-NOT:     unrealized_conversion_cast
// CHECK-NOT:     ui8
memref.global "private" constant @table : memref<2xui8> = dense<[1, 255]>
func.func @add(%x: memref<4xui8>, %y: memref<4xui8>) {
  %c0 = arith.constant 0 : index
  %t = memref.get_global @table : memref<2xui8>
  %a = memref.load %x[%c0] : memref<4xui8>
  %b = builtin.unrealized_conversion_cast %a : ui8 to i8
  %s = arith.addi %b, %b : i8
  %r = builtin.unrealized_conversion_cast %s : i8 to ui8
  memref.store %r, %y[%c0] : memref<4xui8>
  return
}
