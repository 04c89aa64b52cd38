//===- Explain.cpp - Print a partition plan -------------------------------===//
//
// The plan for people (Markdown tables), for tools (JSON) and as a picture
// (Graphviz dot, dispatches coloured by device, transfers as labelled
// edges).
//
//===----------------------------------------------------------------------===//

#include "tessera/Partition/Partition.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cmath>

using namespace tessera::partition;

namespace {

std::string formatUs(double us) {
  if (!std::isfinite(us))
    return "-";
  return llvm::formatv("{0:f1}", us).str();
}

std::string targetName(const TargetInfo &target) {
  if (target.profileSource == "probed" || target.profile.empty())
    return target.kind;
  return target.kind + ":" + target.profile;
}

/// A transfer's end: a target, or the host (-1) when no cpu is a target.
std::string endName(const PartitionPlan &plan, int index) {
  return index < 0 ? std::string("host") : targetName(plan.targets[index]);
}

std::string formatBytes(int64_t bytes) {
  if (bytes >= (1 << 20))
    return llvm::formatv("{0:f1} MiB", bytes / double(1 << 20)).str();
  if (bytes >= (1 << 10))
    return llvm::formatv("{0:f1} KiB", bytes / double(1 << 10)).str();
  return std::to_string(bytes) + " B";
}

/// A dot string literal's body.
std::string dotEscape(llvm::StringRef text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out;
}

/// Markdown cells must not contain '|'.
std::string cell(llvm::StringRef text) {
  std::string out = text.str();
  for (char &c : out)
    if (c == '|')
      c = '/';
  return out;
}

} // namespace

void tessera::partition::printPlanMarkdown(const PartitionPlan &plan,
                                           llvm::raw_ostream &os) {
  os << "## Placement\n\n";
  os << "strategy: " << plan.strategy << "\n";
  os << llvm::formatv("predicted makespan: {0} us (lower bound {1} us, "
                      "HEFT {2} us)\n",
                      formatUs(plan.makespanUs), formatUs(plan.lowerBoundUs),
                      formatUs(plan.heftUs));
  os << "single device:";
  for (const TargetInfo &target : plan.targets)
    os << " " << targetName(target) << " " << formatUs(target.singleDeviceUs)
       << " us;";
  os << "\n";
  os << llvm::formatv("placement took {0:f1} ms\n\n", plan.placementMs);

  os << "| target | profile | peak GFLOP/s | GB/s | launch us | link GB/s | "
        "link us |\n|---|---|---|---|---|---|---|\n";
  for (const TargetInfo &target : plan.targets)
    os << llvm::formatv(
        "| {0} | {1} ({2}) | {3:f0} | {4:f1} | {5:f1} | {6} "
        "| {7:f1} |\n",
        target.kind, cell(target.profile), cell(target.profileSource),
        target.peakGflops, target.memoryGBps, target.launchUs,
        target.linkGBps > 0 ? formatUs(target.linkGBps) : std::string("host"),
        target.linkLatencyUs);
  os << "\n| dispatch | root | MFLOP |";
  for (const TargetInfo &target : plan.targets)
    os << " " << targetName(target) << " us |";
  os << " device | start us | why |\n|---|---|---|";
  for (size_t i = 0; i < plan.targets.size(); ++i)
    os << "---|";
  os << "---|---|---|\n";
  for (const DispatchPlan &dispatch : plan.dispatches) {
    os << "| " << cell(dispatch.name) << " | " << dispatch.root << " | "
       << llvm::formatv("{0:f2}", dispatch.flops / 1e6) << " |";
    for (const DispatchCost &cost : dispatch.costs) {
      if (cost.source == CostSource::Unsupported)
        os << " - (" << cell(cost.note) << ") |";
      else
        os << " " << formatUs(cost.us) << " ("
           << stringifyCostSource(cost.source) << ") |";
    }
    os << " " << targetName(plan.targets[dispatch.device]) << " | "
       << formatUs(dispatch.startUs) << " | " << cell(dispatch.reason)
       << " |\n";
  }
  os << "\ntransfers (" << plan.transfers.size() << "):\n";
  for (const TransferPlan &transfer : plan.transfers)
    os << "- " << transfer.value << ": " << endName(plan, transfer.from)
       << " -> " << endName(plan, transfer.to) << ", "
       << formatBytes(transfer.bytes) << ", " << formatUs(transfer.us)
       << " us\n";
  for (const std::string &note : plan.notes)
    os << "note: " << note << "\n";
}

void tessera::partition::printPlanJSON(const PartitionPlan &plan,
                                       llvm::raw_ostream &os) {
  auto number = [](double value) -> llvm::json::Value {
    if (!std::isfinite(value))
      return nullptr;
    return value;
  };
  llvm::json::Array targets, dispatches, transfers, notes;
  for (const TargetInfo &target : plan.targets)
    targets.push_back(llvm::json::Object{
        {"kind", target.kind},
        {"profile", target.profile},
        {"profile_source", target.profileSource},
        {"peak_gflops", target.peakGflops},
        {"memory_gbps", target.memoryGBps},
        {"launch_us", target.launchUs},
        {"link_gbps", target.linkGBps},
        {"link_latency_us", target.linkLatencyUs},
        {"single_device_us", number(target.singleDeviceUs)}});
  for (const DispatchPlan &dispatch : plan.dispatches) {
    llvm::json::Array costs;
    for (auto [index, cost] : llvm::enumerate(dispatch.costs))
      costs.push_back(
          llvm::json::Object{{"target", plan.targets[index].kind},
                             {"us", number(cost.us)},
                             {"source", stringifyCostSource(cost.source)},
                             {"note", cost.note}});
    dispatches.push_back(
        llvm::json::Object{{"name", dispatch.name},
                           {"root", dispatch.root},
                           {"flops", dispatch.flops},
                           {"bytes", dispatch.bytes},
                           {"costs", std::move(costs)},
                           {"preds", llvm::json::Array(dispatch.preds)},
                           {"device", plan.targets[dispatch.device].kind},
                           {"start_us", dispatch.startUs},
                           {"finish_us", dispatch.finishUs},
                           {"reason", dispatch.reason}});
  }
  for (const TransferPlan &transfer : plan.transfers)
    transfers.push_back(
        llvm::json::Object{{"value", transfer.value},
                           {"producer", transfer.producer},
                           {"consumer", transfer.consumer},
                           {"from", endName(plan, transfer.from)},
                           {"to", endName(plan, transfer.to)},
                           {"bytes", transfer.bytes},
                           {"us", transfer.us}});
  for (const std::string &note : plan.notes)
    notes.push_back(note);
  os << llvm::formatv("{0:2}",
                      llvm::json::Value(llvm::json::Object{
                          {"strategy", plan.strategy},
                          {"makespan_us", number(plan.makespanUs)},
                          {"heft_us", number(plan.heftUs)},
                          {"lower_bound_us", number(plan.lowerBoundUs)},
                          {"placement_ms", plan.placementMs},
                          {"targets", std::move(targets)},
                          {"dispatches", std::move(dispatches)},
                          {"transfers", std::move(transfers)},
                          {"notes", std::move(notes)}}))
     << "\n";
}

void tessera::partition::printPlanDot(const PartitionPlan &plan,
                                      llvm::raw_ostream &os) {
  static const char *colours[] = {"#9ecae1", "#fdae6b", "#a1d99b",
                                  "#bcbddc", "#fc9272", "#d9d9d9"};
  auto colour = [&](unsigned device) {
    return colours[device % std::size(colours)];
  };
  os << "digraph placement {\n  rankdir=TB;\n"
     << "  node [shape=box, style=\"rounded,filled\", fontname=Helvetica];\n"
     << llvm::formatv("  label=\"{0}: predicted {1} us (lower bound {2} "
                      "us)\";\n",
                      dotEscape(plan.strategy), formatUs(plan.makespanUs),
                      formatUs(plan.lowerBoundUs));
  // A legend: one node per device.
  os << "  subgraph cluster_legend {\n    label=\"devices\";\n";
  for (auto [index, target] : llvm::enumerate(plan.targets))
    os << llvm::formatv("    device{0} [label=\"{1}\", fillcolor=\"{2}\"];\n",
                        index, dotEscape(targetName(target)), colour(index));
  os << "  }\n";
  for (auto [index, dispatch] : llvm::enumerate(plan.dispatches))
    os << llvm::formatv(
        "  d{0} [label=\"{1}\\n{2}\\n{3} us on {4}\", "
        "fillcolor=\"{5}\"];\n",
        index, dotEscape(dispatch.name), dotEscape(dispatch.root),
        formatUs(dispatch.costs[dispatch.device].us),
        targetName(plan.targets[dispatch.device]), colour(dispatch.device));
  // Edges; those that cross devices carry the transfer's cost.
  for (auto [index, dispatch] : llvm::enumerate(plan.dispatches))
    for (unsigned pred : dispatch.preds) {
      const DispatchPlan &from = plan.dispatches[pred];
      if (from.device == dispatch.device) {
        os << llvm::formatv("  d{0} -> d{1};\n", pred, index);
        continue;
      }
      double us = 0;
      for (const TransferPlan &transfer : plan.transfers)
        if (transfer.producer == static_cast<int>(pred) &&
            transfer.to == static_cast<int>(dispatch.device))
          us = transfer.us;
      os << llvm::formatv("  d{0} -> d{1} [color=red, penwidth=2, "
                          "label=\"{2} us\"];\n",
                          pred, index, formatUs(us));
    }
  os << "}\n";
}
