//===- Schedule.h - HEFT list scheduling of a task graph -------*- C++ -*-===//
//
// The scheduling core of the partitioner, free of MLIR so that it is unit
// tested on synthetic graphs: a DAG of tasks with a latency per device
// (+inf where a device cannot run a task), edges carrying bytes, and a
// link model per device. HEFT (Topcuoglu et al., 2002) ranks tasks by their
// upward rank with mean costs, then puts each on the device where it
// finishes earliest, filling idle gaps (insertion). Each device runs one
// task at a time; transfers overlap with compute and with each other.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_LIB_PARTITION_SCHEDULE_H
#define TESSERA_LIB_PARTITION_SCHEDULE_H

#include <cstdint>
#include <limits>
#include <vector>

namespace tessera::partition {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

/// A dispatch graph, tasks in a topological order (every edge goes from a
/// lower to a higher index: program order).
struct TaskGraph {
  /// cost[task][device] in microseconds; kInfinity = unsupported.
  std::vector<std::vector<double>> cost;
  struct Edge {
    unsigned src, dst;
    int64_t bytes;
  };
  std::vector<Edge> edges;
  /// Per task: bytes it reads from the model inputs and bytes it returns
  /// as model outputs; both live on the host.
  std::vector<int64_t> inputBytes, outputBytes;
  /// Per device: the link to the host. A device with linkGBps == 0 is the
  /// host (the CPU): moving data to or from it costs nothing.
  std::vector<double> linkGBps, linkLatencyUs;
  /// Per device: the compute resource it runs on. Devices that share one
  /// (a software Vulkan driver on the host's cores) never run tasks at the
  /// same time. Empty: every device is its own resource.
  std::vector<unsigned> resource;

  unsigned numTasks() const { return cost.size(); }
  unsigned numDevices() const { return linkGBps.size(); }
  /// Moving `bytes` from device `from` to device `to` (through the host
  /// when neither is the host). kHost names the host itself.
  double commUs(unsigned from, unsigned to, int64_t bytes) const;
  static constexpr unsigned kHost = ~0u;
  unsigned resourceOf(unsigned device) const {
    return resource.empty() ? device : resource[device];
  }
  unsigned numResources() const;
};

struct Schedule {
  std::vector<unsigned> device;
  std::vector<double> start, finish;
  /// Last finish, including moving the outputs back to the host.
  double makespan = kInfinity;
};

/// HEFT. `forced[task]` >= 0 pins a task to a device (placement
/// overrides); pass an empty vector for none. A task that no allowed device
/// can run gets makespan kInfinity.
Schedule scheduleHEFT(const TaskGraph &graph,
                      const std::vector<int> &forced = {});

/// Local search after HEFT, whose greedy choices can miss (a small task
/// kept on the host forces two transfers): moves one task at a time to
/// another device when the list schedule of the new assignment has a
/// smaller makespan, for at most `sweeps` passes over the tasks. Tasks
/// pinned in `forced` do not move. Never worse than `start`.
Schedule improveByMoves(const TaskGraph &graph, Schedule start,
                        const std::vector<int> &forced = {},
                        unsigned sweeps = 2);

/// Every task on `device` (kInfinity when it cannot run one of them).
Schedule scheduleOnDevice(const TaskGraph &graph, unsigned device);

/// A makespan no schedule can beat: the larger of the critical path with
/// each task on its fastest device and free transfers, and the total of
/// the fastest latencies spread over all compute resources.
double lowerBound(const TaskGraph &graph);

} // namespace tessera::partition

#endif // TESSERA_LIB_PARTITION_SCHEDULE_H
