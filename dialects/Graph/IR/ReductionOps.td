//===- ReductionOps.td - Graph dialect: reduction ops ---------------*- tablegen -*-===//
//
// Reductions, arg-reductions, scans and normalizations.
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_REDUCTION_OPS_TD
#define TESSERA_GRAPH_REDUCTION_OPS_TD

#endif // TESSERA_GRAPH_REDUCTION_OPS_TD
