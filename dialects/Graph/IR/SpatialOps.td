//===- SpatialOps.td - Graph dialect: spatial ops ---------------*- tablegen -*-===//
//
// Spatial ops beyond Conv/Pool: transposed convolution, resizing, depth/space.
// Included from GraphOps.td (which defines TG_Op).
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_GRAPH_SPATIAL_OPS_TD
#define TESSERA_GRAPH_SPATIAL_OPS_TD

#endif // TESSERA_GRAPH_SPATIAL_OPS_TD
