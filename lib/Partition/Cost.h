//===- Cost.h - Per-dispatch latency estimates -----------------*- C++ -*-===//
//
// What one tdev.dispatch costs on one device: its work (FLOPs from the
// iteration domains of its linalg ops, bytes of its operands and results),
// whether the device can run it at all, and a latency: the learned CPU cost
// model where it applies, a roofline from the device profile otherwise.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_PARTITION_COST_H
#define TESSERA_LIB_PARTITION_COST_H

#include "lib/Partition/Profiles.h"
#include "tessera/Partition/Partition.h"

#include "mlir/IR/Operation.h"

#include <memory>
#include <optional>
#include <string>

namespace tessera::costmodel {
class CostModel;
} // namespace tessera::costmodel

namespace tessera::partition {

/// The device-independent description of one dispatch.
struct DispatchWork {
  std::string root;
  double flops = 0;
  /// Operands read (weights included) plus results written.
  int64_t bytes = 0;
  /// The linalg op with the most FLOPs (what the CPU model predicts).
  mlir::Operation *heaviest = nullptr;
  double heaviestFlops = 0;
  bool dynamicShapes = false;
  bool allF32 = true;
  /// A tensor.extract of a computed (non-constant) tensor at the top of the
  /// dispatch: a data-dependent size or bound.
  bool extractsComputedValue = false;
};

/// Walks the dispatch (a tdev.dispatch op).
DispatchWork analyzeDispatch(mlir::Operation *dispatch);

/// Why `kind` cannot run the dispatch, or std::nullopt when it can:
///  - fpga: static-shape f32 convolutions, matrix products, pools and
///    elementwise groups only (what the HLS target implements);
///  - vulkan, cuda: no dynamic shapes, no sizes read from computed tensors;
///  - cpu: everything.
std::optional<std::string> unsupportedReason(const DispatchWork &work,
                                             llvm::StringRef kind);

/// max(FLOPs / (peak x efficiency), bytes / bandwidth) + launch overhead.
double rooflineUs(const DispatchWork &work, const DeviceProfile &profile);

/// The learned CPU model (cost-model/models/cpu.json), loaded once.
class CPUModel {
public:
  /// std::nullopt with `error` when the model cannot be loaded.
  static std::unique_ptr<CPUModel> load(const std::string &path,
                                        std::string *error);
  ~CPUModel();
  /// The best predicted latency of `op` over its candidate tile configs,
  /// or std::nullopt when it is not a contraction or depthwise convolution
  /// (what the model is trained on).
  std::optional<double> predictUs(mlir::Operation *op) const;

private:
  CPUModel() = default;
  std::unique_ptr<costmodel::CostModel> model;
};

/// The cost of `work` on `profile`'s device: unsupported, the CPU model
/// (plus a roofline for the rest of the dispatch), or a roofline.
DispatchCost estimateCost(const DispatchWork &work,
                          const DeviceProfile &profile, const CPUModel *model);

} // namespace tessera::partition

#endif // TESSERA_LIB_PARTITION_COST_H
