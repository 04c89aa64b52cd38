//===- Measure.cpp - Analyze and measure one-op workloads -----------------===//

#include "Measure.h"

#include "lib/Target/CPU/TileConfig.h"
#include "tessera/Compiler.h"
#include "tessera/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace mlir;
using namespace tessera;
using namespace tessera::tune;

/// The CPU pipeline up to and including tessera-select-tile-config, with
/// its parentheses closed: what runs before configs are applied.
static std::optional<std::string>
getPipelineThroughTileSelection(const CPUPipelineOptions &options) {
  std::string pipeline = getLinalgToLLVMPipeline(options);
  size_t pos = pipeline.find("tessera-select-tile-config");
  if (pos == std::string::npos)
    return std::nullopt;
  size_t end = pos + strlen("tessera-select-tile-config");
  if (end < pipeline.size() && pipeline[end] == '{')
    end = pipeline.find('}', end) + 1;
  std::string prefix = pipeline.substr(0, end);
  int open = 0;
  for (char c : prefix)
    open += c == '(' ? 1 : c == ')' ? -1 : 0;
  return prefix + std::string(open, ')');
}

bool tessera::tune::analyzeWorkload(MLIRContext &context,
                                    const std::string &path,
                                    int64_t vectorWidth, Analysis &analysis,
                                    std::string &error) {
  llvm::SourceMgr sourceMgr;
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(path, sourceMgr, ParserConfig(&context));
  if (!module) {
    error = "cannot parse '" + path + "'";
    return false;
  }
  CompileOptions options;
  options.emit = EmitKind::Linalg;
  options.cpu.vectorWidth = vectorWidth;
  if (failed(lowerModule(*module, options))) {
    error = "cannot lower '" + path + "' to linalg";
    return false;
  }
  std::optional<std::string> pipeline =
      getPipelineThroughTileSelection(options.cpu);
  if (!pipeline) {
    error = "internal error: the CPU pipeline has no tile selection";
    return false;
  }
  PassManager pm(&context);
  StringRef inner = *pipeline;
  if (inner.consume_front("builtin.module("))
    inner.consume_back(")");
  std::string message;
  llvm::raw_string_ostream os(message);
  if (failed(parsePassPipeline(inner, pm, os)) || failed(pm.run(*module))) {
    error = "the CPU pipeline failed on '" + path + "' " + message;
    return false;
  }
  Operation *root = cpu::findTuningRoot(*module);
  if (!root) {
    error = "'" + path + "' has no op with a tile config to tune";
    return false;
  }
  analysis.workload = *cpu::getWorkload(root);
  cpu::CPUTargetInfo target;
  target.vectorWidth = vectorWidth;
  analysis.candidates =
      cpu::getCandidateConfigs(root, analysis.workload, target);
  return true;
}

namespace {

struct ChildResult {
  enum Kind { Exited, Signaled, TimedOut } kind = Exited;
  int code = 0;
  std::string output;
};

/// Runs `argv` (or the injected fault) in a child process in its own
/// process group, with stdout and stderr in `logPath`, killed after
/// `timeoutS` seconds.
ChildResult runChild(const std::vector<std::string> &argv,
                     const std::string &logPath, double timeoutS,
                     Fault fault) {
  ChildResult result;
  pid_t pid = fork();
  if (pid < 0) {
    result.code = -1;
    result.output = "fork failed";
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);
    int fd = open(logPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    if (fault == Fault::Crash) {
      // Die by the signal even where a handler is installed (ASan's turns a
      // SIGSEGV into a report and exit status 1).
      signal(SIGSEGV, SIG_DFL);
      raise(SIGSEGV);
    }
    if (fault == Fault::Hang)
      for (;;)
        pause();
    std::vector<char *> args;
    for (const std::string &arg : argv)
      args.push_back(const_cast<char *>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid, pid);
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid)
      break;
    double elapsed = std::chrono::duration<double>(
                         std::chrono::steady_clock::now() - start)
                         .count();
    if (elapsed > timeoutS) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.kind = ChildResult::TimedOut;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (result.kind != ChildResult::TimedOut) {
    if (WIFSIGNALED(status)) {
      result.kind = ChildResult::Signaled;
      result.code = WTERMSIG(status);
    } else {
      result.code = WEXITSTATUS(status);
    }
  }
  std::ifstream log(logPath);
  std::stringstream text;
  text << log.rdbuf();
  result.output = text.str();
  return result;
}

std::string lastLine(const std::string &text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n')
    trimmed.pop_back();
  size_t pos = trimmed.rfind('\n');
  return pos == std::string::npos ? trimmed : trimmed.substr(pos + 1);
}

/// Status of a failed child, or "" when it succeeded.
std::string failureStatus(const ChildResult &child, const char *error) {
  if (child.kind == ChildResult::TimedOut)
    return "timeout";
  if (child.kind == ChildResult::Signaled)
    return "crash";
  return child.code != 0 ? error : "";
}

} // namespace

namespace {

/// Compiles candidate `index` of `path` into `library`; status "" when it
/// worked.
Measurement compileCandidate(const std::string &path, size_t index,
                             const std::string &library,
                             const MeasureOptions &options) {
  Measurement m;
  ChildResult compile = runChild(
      {options.compiler, path, "-o", library,
       "--tile-candidate=" + std::to_string(index)},
      library + ".log", options.compileTimeoutS, Fault::None);
  m.status = failureStatus(compile, "compile-error");
  if (!m.status.empty())
    m.detail = "compile: " + lastLine(compile.output);
  return m;
}

/// Times `library` in one `tessera-run --benchmark runs` process and keeps
/// its `statistic` line (`min` or `median`) in latencyUs.
/// The number after `key` in `output` (e.g. "A median: 1.5 ms"), or -1.
double findNumber(const std::string &output, const std::string &key) {
  size_t pos = output.find(key);
  return pos == std::string::npos
             ? -1
             : std::atof(output.c_str() + pos + key.size());
}

/// Runs `options.runner` with `arguments` (plus --threads) in a child
/// process; on failure records the status and detail in `m` and returns
/// nothing, else the child's output.
std::optional<std::string> runTimed(std::vector<std::string> arguments,
                                    const std::string &log, double timeoutS,
                                    Fault fault, const MeasureOptions &options,
                                    Measurement &m) {
  arguments.insert(arguments.begin(), options.runner);
  if (options.threads > 0)
    arguments.push_back("--threads=" + std::to_string(options.threads));
  ChildResult timed = runChild(arguments, log, timeoutS, fault);
  m.status = failureStatus(timed, "run-error");
  if (!m.status.empty()) {
    m.detail = "run: " + (timed.kind == ChildResult::Signaled
                              ? "signal " + std::to_string(timed.code)
                              : lastLine(timed.output));
    return std::nullopt;
  }
  return timed.output;
}

Measurement timeLibrary(const std::string &library, int runs,
                        const char *statistic, const MeasureOptions &options,
                        Fault fault) {
  Measurement m;
  std::optional<std::string> output =
      runTimed({library, "--random-inputs", "--benchmark", std::to_string(runs)},
               library + ".log", options.runTimeoutS, fault, options, m);
  if (!output)
    return m;
  double ms = findNumber(*output, std::string(statistic) + ": ");
  if (ms < 0) {
    m.status = "run-error";
    m.detail = "run: no " + std::string(statistic) +
               " in the output of tessera-run";
    return m;
  }
  m.latencyUs = ms * 1000;
  m.status = "ok";
  return m;
}

/// Times `pairs` pairs of runs of `reference` and `candidate` alternating in
/// one `tessera-run REFERENCE --compare CANDIDATE` process: latencyUs is
/// the median pair ratio times the reference's median, referenceUs that
/// median.
Measurement timePairs(const std::string &reference,
                      const std::string &candidate, int pairs,
                      const MeasureOptions &options) {
  Measurement m;
  // Twice the work of one artifact, plus the process's start.
  std::optional<std::string> output = runTimed(
      {reference, "--compare", candidate, "--random-inputs", "--benchmark",
       std::to_string(pairs)},
      candidate + ".log", 2 * options.runTimeoutS, Fault::None, options, m);
  if (!output)
    return m;
  double referenceMs = findNumber(*output, "A median: ");
  double ratio = findNumber(*output, "ratio median: ");
  if (referenceMs < 0 || ratio <= 0) {
    m.status = "run-error";
    m.detail = "run: no pair statistics in the output of tessera-run";
    return m;
  }
  m.status = "ok";
  m.referenceUs = referenceMs * 1000;
  m.latencyUs = ratio * m.referenceUs;
  return m;
}

double medianOf(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

Measurement tessera::tune::measureCandidate(const std::string &path,
                                            size_t index,
                                            const MeasureOptions &options,
                                            Fault fault) {
  std::string library = options.workDir + "/candidate.so";
  Measurement m = compileCandidate(path, index, library, options);
  if (!m.status.empty())
    return m;
  return timeLibrary(library, options.repeat, "median", options, fault);
}

int PairedTimer::runsFor(double estimateUs) const {
  double runs = options.targetMs * 1000 / std::max(estimateUs, 1.0);
  return static_cast<int>(
      std::clamp(std::ceil(runs), static_cast<double>(options.repeat), 1e5));
}

// The minimum of a process's runs is the estimate least disturbed by other
// processes (load only ever adds time); rounds then take medians.
Measurement PairedTimer::prepare() {
  referenceLibrary = options.workDir + "/heuristic.so";
  Measurement m = compileCandidate(path, 0, referenceLibrary, options);
  if (!m.status.empty())
    return m;
  Measurement probe =
      timeLibrary(referenceLibrary, options.repeat, "min", options,
                  Fault::None);
  if (probe.status != "ok")
    return probe;
  std::vector<double> times;
  for (int round = 0; round < options.pairRounds; ++round) {
    Measurement t = timeLibrary(referenceLibrary, runsFor(probe.latencyUs),
                                "min", options, Fault::None);
    if (t.status != "ok")
      return t;
    times.push_back(t.latencyUs);
  }
  m.status = "ok";
  m.latencyUs = medianOf(times);
  referenceEstimateUs = m.latencyUs;
  return m;
}

Measurement PairedTimer::measure(size_t index, Fault fault) {
  if (!isPrepared())
    return measureCandidate(path, index, options, fault);
  std::string library = options.workDir + "/candidate.so";
  Measurement m = compileCandidate(path, index, library, options);
  if (!m.status.empty())
    return m;
  // A short probe finds crashes and hangs and sizes the timed runs.
  Measurement probe =
      timeLibrary(library, options.repeat, "min", options, fault);
  if (probe.status != "ok")
    return probe;
  int runs = runsFor(std::max(probe.latencyUs, referenceEstimateUs));
  if (options.pairing == Pairing::Processes)
    return measureInProcesses(library, runs);
  return timePairs(referenceLibrary, library, runs * options.pairRounds,
                   options);
}

Measurement PairedTimer::measureInProcesses(const std::string &library,
                                            int runs) {
  std::vector<double> ratios, references;
  for (int round = 0; round < options.pairRounds; ++round) {
    Measurement first, second;
    bool candidateFirst = round % 2;
    first = timeLibrary(candidateFirst ? library : referenceLibrary, runs,
                        "min", options, Fault::None);
    if (first.status == "ok")
      second = timeLibrary(candidateFirst ? referenceLibrary : library, runs,
                           "min", options, Fault::None);
    Measurement &candidate = candidateFirst ? first : second;
    Measurement &reference = candidateFirst ? second : first;
    if (first.status != "ok")
      return first;
    if (second.status != "ok")
      return second;
    ratios.push_back(candidate.latencyUs / std::max(reference.latencyUs, 1e-3));
    references.push_back(reference.latencyUs);
  }
  Measurement m;
  m.status = "ok";
  m.referenceUs = medianOf(references);
  m.latencyUs = medianOf(ratios) * m.referenceUs;
  return m;
}
