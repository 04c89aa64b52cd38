// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config="policy=candidate candidate=0" | FileCheck %s --check-prefix=HEURISTIC
// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config="policy=candidate candidate=5" | FileCheck %s --check-prefix=FIFTH
// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config="policy=model cost-model=%tessera_src/cost-model/models/cpu.json explain=true" | FileCheck %s --check-prefix=MODEL
// RUN: tessera-opt %s --split-input-file --tessera-select-tile-config="policy=model cost-model=%tessera_src/cost-model/models/cpu-rank.json explain=true" | FileCheck %s --check-prefix=RANKED
// RUN: not tessera-opt %s --split-input-file --tessera-select-tile-config="policy=candidate candidate=100000" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not tessera-opt %s --tessera-select-tile-config="policy=magic" 2>&1 | FileCheck %s --check-prefix=POLICY
// RUN: not tessera-opt %s --tessera-select-tile-config="policy=model cost-model=%t.missing.json" 2>&1 | FileCheck %s --check-prefix=NOMODEL

// Candidate 0 is the heuristic's config; other candidates differ; the model
// policy writes one of the candidates and explains it.
// HEURISTIC-LABEL: func.func @matmul
// HEURISTIC: tessera.tile_config = {order = array<i64: 1, 0, 2>, parallel = array<i64: 64, 256, 0>, reduction = array<i64: 0, 0, 256>, vector = array<i64: 8, 32, 1>}
// FIFTH-LABEL: func.func @matmul
// FIFTH: tessera.tile_config = {order = array<i64: {{[0-9, ]+}}>, parallel = array<i64: 8, 16, 0>, reduction = array<i64: 0, 0, {{[0-9]+}}>, vector = array<i64: {{4|8}}, 16, 1>}
// MODEL-LABEL: func.func @matmul
// MODEL: linalg.matmul
// MODEL-SAME: tessera.tile_config = {
// MODEL-SAME: tessera.tile_explain = "policy model, {{[0-9]+}} candidates, workload contraction [64x256x512]
// A ranking model explains its choice with probabilities of beating the
// heuristic's config.
// RANKED-LABEL: func.func @matmul
// RANKED: tessera.tile_explain = "policy model, {{[0-9]+}} candidates, workload contraction [64x256x512], ranking model {{.*}}cpu-rank.json
// RANKED-SAME: drivers (SHAP, ranking score; lower ranks faster):
// RANGE: error: tile candidate 100000 does not exist (the op has {{[0-9]+}} candidates)
// POLICY: error: unknown tile policy 'magic' (expected heuristic, model, tune or candidate)
// NOMODEL: error: cannot load the cost model '{{.*}}missing.json'
func.func @matmul(%a: tensor<64x512xf32>, %b: tensor<512x256xf32>,
                  %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x512xf32>, tensor<512x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// An op that already has a config keeps it under every policy.
// HEURISTIC-LABEL: func.func @override
// HEURISTIC: tessera.tile_config = {parallel = array<i64: 16, 16, 0>, reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 16, 1>}
// MODEL-LABEL: func.func @override
// MODEL: tessera.tile_config = {parallel = array<i64: 16, 16, 0>, reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 16, 1>}
// MODEL-NOT: tessera.tile_explain
// RANKED-LABEL: func.func @override
// RANKED-NOT: tessera.tile_explain
func.func @override(%a: tensor<64x512xf32>, %b: tensor<512x256xf32>,
                    %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %r = linalg.matmul {tessera.tile_config = {parallel = array<i64: 16, 16, 0>, reduction = array<i64: 0, 0, 0>, vector = array<i64: 4, 16, 1>}}
                     ins(%a, %b : tensor<64x512xf32>, tensor<512x256xf32>)
                     outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}
