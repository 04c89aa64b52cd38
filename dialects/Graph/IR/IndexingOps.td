//===- IndexingOps.td - Graph dialect: indexing ops ---------------*- tablegen -*-===//
//
// Gather/scatter-style indexing, generators and losses.
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_INDEXING_OPS_TD
#define TESSERA_GRAPH_INDEXING_OPS_TD

#endif // TESSERA_GRAPH_INDEXING_OPS_TD
