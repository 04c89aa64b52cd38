//===- Features.cpp - Feature vectors of (workload, config, target) -------===//
//
// Tiling is modelled per level: a parallel tile (one task of the thread
// pool), a cache tile (the parallel tile cut along the reduction) and a
// register tile (the vector code). For each level, the footprint of an
// operand is the product of the tile extents of the loops that index it,
// and the bytes moved at that level are (number of tiles) x (footprint).
//
//===----------------------------------------------------------------------===//

#include "cost-model/Features.h"

#include <algorithm>
#include <cmath>

using namespace tessera::costmodel;

namespace {

/// Tile extents of every loop at the three levels.
struct LevelExtents {
  std::vector<int64_t> parallel, cache, vector;
};

LevelExtents getExtents(const Workload &w, const TileSizes &config) {
  LevelExtents e;
  size_t numLoops = w.loopSizes.size();
  e.parallel = e.cache = e.vector = w.loopSizes;
  if (config.empty() || config.parallel.size() != numLoops)
    return e;
  for (size_t l = 0; l < numLoops; ++l) {
    int64_t size = w.loopSizes[l];
    auto clamp = [&](int64_t t, int64_t outer) {
      return t > 0 ? std::min(t, outer) : outer;
    };
    e.parallel[l] = clamp(config.parallel[l], size);
    e.cache[l] = clamp(config.reduction[l], e.parallel[l]);
    e.vector[l] = clamp(config.vector[l], e.cache[l]);
  }
  return e;
}

double numTiles(const Workload &w, const std::vector<int64_t> &extents) {
  double tiles = 1;
  for (size_t l = 0; l < extents.size(); ++l)
    tiles *= std::ceil(static_cast<double>(w.loopSizes[l]) / extents[l]);
  return tiles;
}

/// Bytes of all operands' slices for a tile of `extents`. A strided input
/// (`inputStride`, the windows of a strided depthwise convolution) moves
/// `stride` times the elements it reads along the contiguous loop: the
/// skipped elements share its cache lines.
double footprint(const Workload &w, const std::vector<int64_t> &extents) {
  double bytes = 0;
  size_t numOperands = w.operandLoops.size();
  for (size_t operand = 0; operand < numOperands; ++operand) {
    const std::vector<unsigned> &loops = w.operandLoops[operand];
    bool input = operand + 1 < numOperands;
    double elements = 1;
    for (unsigned loop : loops)
      elements *= extents[loop] *
                   (input && static_cast<int>(loop) == w.n ? w.inputStride : 1);
    bytes += elements * w.elementBytes;
  }
  return bytes;
}

float log2f1(double v) { return static_cast<float>(std::log2(std::max(v, 1.0))); }

int64_t at(const std::vector<int64_t> &v, int index, int64_t fallback) {
  return index >= 0 && index < static_cast<int>(v.size()) ? v[index]
                                                          : fallback;
}

} // namespace

const std::vector<std::string> &tessera::costmodel::getFeatureNames() {
  static const std::vector<std::string> names = {
      "op_contraction", "op_depthwise", "op_elementwise", "op_reduction",
      "log2_m", "log2_n", "log2_k", "log2_points", "log2_flops",
      "has_config",
      "log2_par_m", "log2_par_n", "log2_cache_k", "log2_vec_m", "log2_vec_n",
      "n_major_order",
      "vec_n_over_width", "accumulator_registers", "register_overflow",
      "log2_parallel_tiles", "parallel_tiles_per_core", "core_utilization",
      "remainder_vec_m", "remainder_vec_n", "remainder_par_m",
      "remainder_par_n",
      "log2_tiles_m", "log2_tiles_n", "log2_cache_steps_k",
      "log2_register_tiles_per_parallel_tile", "padded_work_register",
      "padded_work_parallel", "lane_utilization", "m_over_cores",
      "log2_bytes_vector_level", "log2_bytes_cache_level",
      "log2_bytes_parallel_level", "log2_bytes_operands",
      "intensity_vector_level", "intensity_cache_level",
      "intensity_parallel_level",
      "working_set_vector_over_l1", "working_set_cache_over_l2",
      "working_set_parallel_over_l3_share",
      "log2_roofline_us",
      "hw_peak_gflops_per_core", "hw_dram_gbps", "hw_log2_l1", "hw_log2_l2",
      "hw_log2_l3", "hw_cores", "hw_vector_width",
  };
  return names;
}

double tessera::costmodel::estimateRooflineMicros(
    const Workload &workload, const TileSizes &config,
    const HardwareProfile &hw) {
  LevelExtents e = getExtents(workload, config);
  double tiles = numTiles(workload, e.parallel);
  double usable = std::max(1.0, std::min<double>(hw.cores, tiles));
  double compute = workload.flops() / (hw.peakGflopsPerCore * 1e3 * usable);
  double bytes = std::max(footprint(workload, workload.loopSizes),
                          tiles * footprint(workload, e.parallel));
  double memory = bytes / (hw.dramGBps * 1e3 * usable);
  return std::max(compute, memory);
}

std::vector<float>
tessera::costmodel::computeFeatures(const Workload &w, const TileSizes &config,
                                    const HardwareProfile &hw) {
  std::vector<float> f;
  f.reserve(getFeatureNames().size());
  auto push = [&](double v) { f.push_back(static_cast<float>(v)); };

  push(w.opClass == OpClass::Contraction);
  push(w.opClass == OpClass::Depthwise);
  push(w.opClass == OpClass::Elementwise);
  push(w.opClass == OpClass::Reduction);

  LevelExtents e = getExtents(w, config);
  int64_t sizeM = at(w.loopSizes, w.m, 1), sizeN = at(w.loopSizes, w.n, 1),
          sizeK = at(w.loopSizes, w.k, 1);
  push(log2f1(sizeM));
  push(log2f1(sizeN));
  push(log2f1(sizeK));
  push(log2f1(w.points()));
  push(log2f1(w.flops()));
  push(!config.empty());

  int64_t parM = at(e.parallel, w.m, 1), parN = at(e.parallel, w.n, 1),
          cacheK = at(e.cache, w.k, 1), vecM = at(e.vector, w.m, 1),
          vecN = at(e.vector, w.n, 1);
  push(log2f1(parM));
  push(log2f1(parN));
  push(log2f1(cacheK));
  push(log2f1(vecM));
  push(log2f1(vecN));
  // n-major: the register tiles sweep n before m (the heuristic's order).
  bool nMajor = true;
  if (!config.order.empty() && w.m >= 0 && w.n >= 0) {
    auto pos = [&](int loop) {
      return std::find(config.order.begin(), config.order.end(), loop) -
             config.order.begin();
    };
    nMajor = pos(w.n) < pos(w.m);
  }
  push(nMajor);

  double width = static_cast<double>(hw.vectorWidth);
  push(vecN / width);
  double vectors = std::ceil(vecN / width);
  push(vecM * vectors);
  // Against the target's vector registers (32 with AVX-512, 16 with AVX2).
  push(static_cast<double>(registerOverflow(static_cast<int64_t>(vecM),
                                            static_cast<int64_t>(vectors),
                                            hw.vectorRegisters)));

  double parTiles = numTiles(w, e.parallel);
  push(log2f1(parTiles));
  push(parTiles / hw.cores);
  push(parTiles / (std::ceil(parTiles / hw.cores) * hw.cores));
  push(static_cast<double>(parM % std::max<int64_t>(vecM, 1)) / parM);
  push(static_cast<double>(parN % std::max<int64_t>(vecN, 1)) / parN);
  push(sizeM % parM != 0);
  push(sizeN % parN != 0);

  // The config relative to the workload: how many tiles each dimension is
  // cut into, and the work that register tiles pad (masked or wasted lanes
  // where they do not divide the parallel tile).
  auto ceilDiv = [](int64_t a, int64_t b) {
    return static_cast<double>((a + std::max<int64_t>(b, 1) - 1) /
                               std::max<int64_t>(b, 1));
  };
  push(log2f1(ceilDiv(sizeM, parM)));
  push(log2f1(ceilDiv(sizeN, parN)));
  push(log2f1(ceilDiv(sizeK, cacheK)));
  push(log2f1(ceilDiv(parM, vecM) * ceilDiv(parN, vecN)));
  push(ceilDiv(parM, vecM) * vecM * ceilDiv(parN, vecN) * vecN /
           static_cast<double>(parM * parN) -
       1);
  push(ceilDiv(sizeM, parM) * parM * ceilDiv(sizeN, parN) * parN /
           static_cast<double>(sizeM * sizeN) -
       1);
  push(vecN / (std::ceil(vecN / width) * width));
  push(static_cast<double>(sizeM) / hw.cores / std::max<int64_t>(vecM, 1));

  double bytesVector = numTiles(w, e.vector) * footprint(w, e.vector);
  double bytesCache = numTiles(w, e.cache) * footprint(w, e.cache);
  double bytesParallel = parTiles * footprint(w, e.parallel);
  double bytesOperands = footprint(w, w.loopSizes);
  push(log2f1(bytesVector));
  push(log2f1(bytesCache));
  push(log2f1(bytesParallel));
  push(log2f1(bytesOperands));
  push(w.flops() / std::max(bytesVector, 1.0));
  push(w.flops() / std::max(bytesCache, 1.0));
  push(w.flops() / std::max(bytesParallel, 1.0));

  // The register tile's working set spans the cache tile's reduction.
  std::vector<int64_t> vectorPanel = e.vector;
  for (size_t l = 0; l < vectorPanel.size(); ++l)
    if (l < w.reductionLoops.size() && w.reductionLoops[l])
      vectorPanel[l] = e.cache[l];
  push(footprint(w, vectorPanel) / hw.l1Bytes);
  push(footprint(w, e.cache) / hw.l2Bytes);
  push(footprint(w, e.parallel) /
       (static_cast<double>(hw.l3Bytes) / hw.cores));
  push(log2f1(estimateRooflineMicros(w, config, hw) * 1000) - 10);

  push(hw.peakGflopsPerCore);
  push(hw.dramGBps);
  push(log2f1(hw.l1Bytes));
  push(log2f1(hw.l2Bytes));
  push(log2f1(hw.l3Bytes));
  push(hw.cores);
  push(hw.vectorWidth);
  return f;
}
