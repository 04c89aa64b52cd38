//===- Schedule.cpp - HEFT list scheduling of a task graph ----------------===//
//
// HEFT with insertion, single-device schedules and the lower bound of
// Schedule.h. Everything is O(tasks * devices * tasks) at worst, which is
// microseconds for the few hundred dispatches of a model.
//
//===----------------------------------------------------------------------===//

#include "lib/Partition/Schedule.h"

#include <algorithm>
#include <cassert>
#include <cmath>

using namespace tessera::partition;

double TaskGraph::commUs(unsigned from, unsigned to, int64_t bytes) const {
  if (from == to || bytes <= 0)
    return 0;
  // One hop per non-host end: device -> host -> device.
  auto hop = [&](unsigned device) {
    if (device == kHost || linkGBps[device] <= 0)
      return 0.0;
    return linkLatencyUs[device] + bytes / (linkGBps[device] * 1e3);
  };
  return hop(from) + hop(to);
}

unsigned TaskGraph::numResources() const {
  unsigned count = 0;
  for (unsigned d = 0; d < numDevices(); ++d)
    count = std::max(count, resourceOf(d) + 1);
  return count;
}

namespace {

/// Predecessor and successor lists with the bytes on each edge.
struct Adjacency {
  std::vector<std::vector<std::pair<unsigned, int64_t>>> preds, succs;
  explicit Adjacency(const TaskGraph &graph)
      : preds(graph.numTasks()), succs(graph.numTasks()) {
    for (const TaskGraph::Edge &edge : graph.edges) {
      assert(edge.src < edge.dst && "tasks must be in topological order");
      preds[edge.dst].push_back({edge.src, edge.bytes});
      succs[edge.src].push_back({edge.dst, edge.bytes});
    }
  }
};

/// The mean over the devices that can run the task (HEFT's w_i).
double meanCost(const std::vector<double> &costs) {
  double sum = 0;
  unsigned count = 0;
  for (double cost : costs)
    if (std::isfinite(cost)) {
      sum += cost;
      ++count;
    }
  return count ? sum / count : 0;
}

/// The mean transfer time of `bytes` over all ordered device pairs,
/// including the free same-device pairs (HEFT's c_ij).
double meanComm(const TaskGraph &graph, int64_t bytes) {
  unsigned n = graph.numDevices();
  double sum = 0;
  for (unsigned a = 0; a < n; ++a)
    for (unsigned b = 0; b < n; ++b)
      sum += graph.commUs(a, b, bytes);
  return n ? sum / (n * n) : 0;
}

/// Upward ranks: the length of the longest mean-cost path to an exit.
std::vector<double> upwardRanks(const TaskGraph &graph, const Adjacency &adj) {
  unsigned n = graph.numTasks();
  std::vector<double> rank(n, 0);
  for (unsigned task = n; task-- > 0;) {
    double tail = 0;
    unsigned devices = graph.numDevices();
    double back = 0;
    for (unsigned d = 0; d < devices; ++d)
      back += graph.commUs(d, TaskGraph::kHost, graph.outputBytes[task]);
    tail = devices ? back / devices : 0;
    for (auto [succ, bytes] : adj.succs[task])
      tail = std::max(tail, meanComm(graph, bytes) + rank[succ]);
    rank[task] = meanCost(graph.cost[task]) + tail;
  }
  return rank;
}

/// Busy intervals of one device, sorted by start.
using Timeline = std::vector<std::pair<double, double>>;

/// The earliest start >= `ready` of a gap of `length` (insertion policy).
double earliestStart(const Timeline &busy, double ready, double length) {
  double candidate = ready;
  for (auto [start, finish] : busy) {
    if (candidate + length <= start)
      return candidate;
    candidate = std::max(candidate, finish);
  }
  return candidate;
}

void occupy(Timeline &busy, double start, double finish) {
  auto it =
      std::lower_bound(busy.begin(), busy.end(), std::make_pair(start, finish));
  busy.insert(it, {start, finish});
}

/// List-schedules in decreasing upward rank (among ready tasks, so the
/// order is topological even with zero costs); `choose` returns the allowed
/// devices of a task, of which the earliest finish wins.
template <typename AllowedFn>
Schedule listSchedule(const TaskGraph &graph, AllowedFn allowed) {
  unsigned n = graph.numTasks();
  Adjacency adj(graph);
  std::vector<double> rank = upwardRanks(graph, adj);
  Schedule schedule;
  schedule.device.assign(n, 0);
  schedule.start.assign(n, 0);
  schedule.finish.assign(n, 0);
  schedule.makespan = 0;
  std::vector<Timeline> timelines(graph.numResources());
  std::vector<unsigned> waiting(n);
  std::vector<unsigned> ready;
  for (unsigned task = 0; task < n; ++task)
    if (!(waiting[task] = adj.preds[task].size()))
      ready.push_back(task);
  while (!ready.empty()) {
    auto best = std::max_element(
        ready.begin(), ready.end(), [&](unsigned a, unsigned b) {
          return rank[a] < rank[b] || (rank[a] == rank[b] && a > b);
        });
    unsigned task = *best;
    ready.erase(best);
    double bestFinish = kInfinity, bestStart = 0;
    unsigned bestDevice = 0;
    for (unsigned device : allowed(task)) {
      double cost = graph.cost[task][device];
      if (!std::isfinite(cost))
        continue;
      double readyAt =
          graph.commUs(TaskGraph::kHost, device, graph.inputBytes[task]);
      for (auto [pred, bytes] : adj.preds[task])
        readyAt = std::max(
            readyAt, schedule.finish[pred] +
                         graph.commUs(schedule.device[pred], device, bytes));
      double start =
          earliestStart(timelines[graph.resourceOf(device)], readyAt, cost);
      if (start + cost < bestFinish) {
        bestFinish = start + cost;
        bestStart = start;
        bestDevice = device;
      }
    }
    if (!std::isfinite(bestFinish)) {
      schedule.makespan = kInfinity;
      return schedule;
    }
    schedule.device[task] = bestDevice;
    schedule.start[task] = bestStart;
    schedule.finish[task] = bestFinish;
    occupy(timelines[graph.resourceOf(bestDevice)], bestStart, bestFinish);
    schedule.makespan =
        std::max(schedule.makespan,
                 bestFinish + graph.commUs(bestDevice, TaskGraph::kHost,
                                           graph.outputBytes[task]));
    for (auto [succ, bytes] : adj.succs[task])
      if (--waiting[succ] == 0)
        ready.push_back(succ);
  }
  return schedule;
}

} // namespace

Schedule tessera::partition::scheduleHEFT(const TaskGraph &graph,
                                          const std::vector<int> &forced) {
  std::vector<unsigned> all(graph.numDevices());
  for (unsigned d = 0; d < all.size(); ++d)
    all[d] = d;
  return listSchedule(graph, [&](unsigned task) {
    if (task < forced.size() && forced[task] >= 0)
      return std::vector<unsigned>{static_cast<unsigned>(forced[task])};
    return all;
  });
}

Schedule tessera::partition::improveByMoves(const TaskGraph &graph,
                                            Schedule start,
                                            const std::vector<int> &forced,
                                            unsigned sweeps) {
  Schedule best = std::move(start);
  if (!std::isfinite(best.makespan))
    return best;
  std::vector<int> assignment(best.device.begin(), best.device.end());
  for (unsigned sweep = 0; sweep < sweeps; ++sweep) {
    bool improved = false;
    for (unsigned task = 0; task < graph.numTasks(); ++task) {
      if (task < forced.size() && forced[task] >= 0)
        continue;
      int current = assignment[task];
      for (unsigned device = 0; device < graph.numDevices(); ++device) {
        if (static_cast<int>(device) == current ||
            !std::isfinite(graph.cost[task][device]))
          continue;
        assignment[task] = device;
        Schedule candidate = scheduleHEFT(graph, assignment);
        // A relative margin keeps rounding noise from moving tasks.
        if (candidate.makespan < best.makespan * (1 - 1e-9)) {
          best = std::move(candidate);
          current = device;
          improved = true;
        }
        assignment[task] = current;
      }
    }
    if (!improved)
      break;
  }
  return best;
}

Schedule tessera::partition::scheduleOnDevice(const TaskGraph &graph,
                                              unsigned device) {
  return listSchedule(graph,
                      [&](unsigned) { return std::vector<unsigned>{device}; });
}

double tessera::partition::lowerBound(const TaskGraph &graph) {
  unsigned n = graph.numTasks();
  Adjacency adj(graph);
  std::vector<double> fastest(n), pathEnd(n, 0);
  double totalWork = 0, criticalPath = 0;
  for (unsigned task = 0; task < n; ++task) {
    fastest[task] =
        *std::min_element(graph.cost[task].begin(), graph.cost[task].end());
    if (!std::isfinite(fastest[task]))
      return kInfinity;
    double start = 0;
    for (auto [pred, bytes] : adj.preds[task])
      start = std::max(start, pathEnd[pred]);
    pathEnd[task] = start + fastest[task];
    criticalPath = std::max(criticalPath, pathEnd[task]);
    totalWork += fastest[task];
  }
  unsigned resources = std::max(1u, graph.numResources());
  return std::max(criticalPath, totalWork / resources);
}
