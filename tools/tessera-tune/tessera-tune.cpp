//===- tessera-tune.cpp - Measure, learn and evaluate tile configs --------===//
//
// tessera-tune COMMAND [options]
//   collect  measure candidate tile configs of workloads into the database
//   train    fit the XGBoost cost model from the database
//   eval     ranking metrics of a model on held-out workloads
//   show     list the records of the database
//   tune     model-guided search: measure the most promising candidates
//            (with exploration), write them and update the model
//   efficiency  model-guided search with budget B against random search
//            with 10 x B (the tuning-efficiency experiment)
//   profile  print this machine's hardware profile (JSON)
//   suites   list the named workload suites
//
// Workloads are named suites (--suite) or Graph-dialect .mlir files with one
// kernel. Every measurement runs in child processes with timeouts and is
// committed to the SQLite database at once, so an interrupted run keeps its
// records and a rerun skips what is measured already. This file dispatches;
// one file per command implements it (see Common.h).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "tessera/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/InitLLVM.h"

using namespace tessera;
using namespace tessera::tune;
namespace cl = llvm::cl;

namespace {

const char *const kUsage =
    "usage: tessera-tune COMMAND [options]\n"
    "commands:\n"
    "  collect [--suite NAME | W.mlir...] --db FILE [--trials N] [--repeat R]\n"
    "          [--timeout S] [--run-threads N] [--paired=false]\n"
    "          [--target-ms MS] [--pair-rounds N]   measure candidate configs\n"
    "          [--pairing=in-process|processes]\n"
    "  train   --db FILE -o MODEL.json [--held-out F] [--rounds N]\n"
    "          [--label roofline|heuristic|best|median] [--objective O]\n"
    "  eval    --db FILE --model MODEL.json [--held-out F]\n"
    "  show    --db FILE [--limit N]\n"
    "  tune    [--suite NAME | W.mlir...] --db FILE [--model M] [--budget B]\n"
    "          [--explore P] [--confirm N] [-o UPDATED.json]\n"
    "  efficiency [--suite NAME | W.mlir...] --db FILE --model M [--budget B]\n"
    "          [--random-factor F] [--only PREFIX]   model-guided vs random\n"
    "  profile [--hardware-profile FILE]     print the hardware profile\n"
    "  suites  [--suite NAME] [--suite-size N] [--seed S]\n"
    "                                        list the workload suites\n"
    "run `tessera-tune COMMAND --help` for all options\n";

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  if (argc < 2 || llvm::StringRef(argv[1]).starts_with("-")) {
    llvm::errs() << kUsage;
    return argc < 2 ? 1 : (llvm::StringRef(argv[1]) == "--help" ? 0 : 1);
  }
  std::string command = argv[1];
  // The command is argv[1]; the options follow it.
  std::vector<char *> args = {argv[0]};
  args.insert(args.end(), argv + 2, argv + argc);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(static_cast<int>(args.size()), args.data(),
                              "tessera-tune " + command + "\n");

  if (command == "suites") {
    // All suites, or the one --suite names.
    std::vector<std::string> names = getSuiteNames();
    if (!suiteOption.empty()) {
      if (!llvm::is_contained(names, suiteOption.getValue()))
        return fail("unknown suite '" + suiteOption +
                    "' (see `tessera-tune suites`)");
      names = {suiteOption.getValue()};
    }
    for (const std::string &name : names) {
      std::optional<std::vector<SuiteWorkload>> suite =
          getSuite(name, getGeneratedOptions());
      llvm::outs() << name << " (" << suite->size() << " workloads):";
      for (const SuiteWorkload &w : *suite)
        llvm::outs() << " " << w.name;
      llvm::outs() << "\n";
    }
    return 0;
  }
  if (command == "profile") {
    std::optional<cm::HardwareProfile> hw = getProfile();
    if (!hw)
      return 1;
    llvm::outs() << hw->toJSON() << "\nmachine id: " << hw->machineId() << "\n";
    return 0;
  }
  if (command == "train")
    return runTrain();
  if (command == "eval")
    return runEval();
  if (command == "show")
    return runShow();
  if (command != "collect" && command != "tune" && command != "efficiency")
    return fail("unknown command '" + command + "'\n" + kUsage);

  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  registerAllPasses();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  if (command == "efficiency")
    return runEfficiency(context);
  return command == "collect" ? runCollect(context) : runTune(context);
}
