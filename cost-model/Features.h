//===- Features.h - Feature vectors of (workload, config, target) -*- C++ -*-===//
//
// What the cost model sees of one tile configuration of one kernel on one
// machine: the op class, loop extents, tile sizes per level, loop order,
// vector width, bytes moved per level of tiling, arithmetic intensity,
// working sets against cache sizes, parallel tiles against cores, an
// analytical roofline estimate, and the hardware profile's own numbers (so a
// model trained on several machines can tell them apart). Sizes enter as
// log2 so that trees split on ratios.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_FEATURES_H
#define TESSERA_COST_MODEL_FEATURES_H

#include "cost-model/HardwareProfile.h"
#include "cost-model/Workload.h"

#include <string>
#include <vector>

namespace tessera::costmodel {

/// Version of the feature layout; stored in trained models, checked on load.
inline constexpr const char *kFeatureVersion = "tessera-features-v2";

/// Names of the features, in vector order.
const std::vector<std::string> &getFeatureNames();

/// The feature vector (getFeatureNames().size() entries).
std::vector<float> computeFeatures(const Workload &workload,
                                   const TileSizes &config,
                                   const HardwareProfile &hardware);

/// The analytical roofline estimate in microseconds: the larger of compute
/// time at peak and memory time at the DRAM bandwidth, over the cores the
/// parallel tiles can use. The fallback when no trained model exists.
double estimateRooflineMicros(const Workload &workload, const TileSizes &config,
                              const HardwareProfile &hardware);

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_FEATURES_H
