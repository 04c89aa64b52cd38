//===- Train.cpp - tessera-tune train -------------------------------------===//
//
// Fits the XGBoost cost model on the workloads that are not held out.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

using namespace tessera;
using namespace tessera::tune;

int tessera::tune::runTrain() {
  if (outputOption.empty() && modelOption.empty())
    return fail("train needs -o MODEL.json");
  std::string output = outputOption.empty() ? modelOption : outputOption;
  std::optional<Split> split = loadSplit();
  std::optional<cm::HardwareProfile> hw = getProfile();
  if (!split || !hw)
    return 1;
  std::string error;
  cm::Dataset data;
  std::unique_ptr<cm::XGBoostModel> model =
      trainOn(split->train, *hw, data, &error);
  if (!model)
    return fail(error);
  if (!model->save(output, &error))
    return fail(error);
  llvm::outs() << "trained on " << data.features.rows << " measurements of "
               << data.groups.size() << " workloads ("
               << (heldOutSuiteOption.empty()
                       ? llvm::formatv("{0:f2} of workloads",
                                       heldOutOption.getValue())
                             .str()
                       : "suite " + heldOutSuiteOption.getValue())
               << " held out); wrote " << output << "\n";
  return 0;
}
