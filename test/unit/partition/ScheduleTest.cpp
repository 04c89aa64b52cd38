//===- ScheduleTest.cpp - HEFT on graphs with a known optimum -------------===//
//
// Synthetic dispatch graphs whose optimal placement is known by hand: a
// chain where transfers dominate (one device), independent heavy branches
// (one per device), a fork-join, unsupported tasks, pinned tasks; and the
// lower bound never above any schedule.
//
//===----------------------------------------------------------------------===//

#include "lib/Partition/Schedule.h"

#include <gtest/gtest.h>

#include <chrono>

using namespace tessera::partition;

namespace {

/// Two devices: 0 is the host CPU, 1 an accelerator behind a link of
/// `gbps` GB/s and `latencyUs`.
TaskGraph twoDevices(double gbps = 1, double latencyUs = 10) {
  TaskGraph graph;
  graph.linkGBps = {0, gbps};
  graph.linkLatencyUs = {0, latencyUs};
  return graph;
}

unsigned addTask(TaskGraph &graph, std::vector<double> costs,
                 int64_t inputBytes = 0, int64_t outputBytes = 0) {
  graph.cost.push_back(std::move(costs));
  graph.inputBytes.push_back(inputBytes);
  graph.outputBytes.push_back(outputBytes);
  return graph.cost.size() - 1;
}

void expectValid(const TaskGraph &graph, const Schedule &schedule) {
  ASSERT_EQ(schedule.device.size(), graph.numTasks());
  for (const TaskGraph::Edge &edge : graph.edges)
    EXPECT_LE(schedule.finish[edge.src], schedule.start[edge.dst] + 1e-9);
  // One task at a time per compute resource.
  for (unsigned a = 0; a < graph.numTasks(); ++a)
    for (unsigned b = a + 1; b < graph.numTasks(); ++b)
      if (graph.resourceOf(schedule.device[a]) ==
          graph.resourceOf(schedule.device[b]))
        EXPECT_TRUE(schedule.finish[a] <= schedule.start[b] + 1e-9 ||
                    schedule.finish[b] <= schedule.start[a] + 1e-9);
  EXPECT_LE(lowerBound(graph), schedule.makespan + 1e-9);
}

TEST(ScheduleTest, CommCostThroughHost) {
  TaskGraph graph;
  graph.linkGBps = {0, 1, 2};
  graph.linkLatencyUs = {0, 10, 5};
  EXPECT_EQ(graph.commUs(0, 0, 1000), 0);
  EXPECT_DOUBLE_EQ(graph.commUs(0, 1, 1000), 10 + 1);
  EXPECT_DOUBLE_EQ(graph.commUs(1, 0, 1000), 10 + 1);
  // Accelerator to accelerator goes through the host: both hops.
  EXPECT_DOUBLE_EQ(graph.commUs(1, 2, 1000), 10 + 1 + 5 + 0.5);
  EXPECT_DOUBLE_EQ(graph.commUs(TaskGraph::kHost, 2, 2000), 5 + 1);
}

// A chain whose tasks are a bit faster on the accelerator, but every value
// is large: moving it costs more than the accelerator saves, so the whole
// chain stays on the host.
TEST(ScheduleTest, ChainWithExpensiveTransfersStaysOnOneDevice) {
  TaskGraph graph = twoDevices(/*gbps=*/1, /*latencyUs=*/10);
  const int64_t bytes = 100000; // 100 us over the link.
  unsigned previous = addTask(graph, {50, 40}, bytes);
  for (int i = 0; i < 5; ++i) {
    unsigned task = addTask(graph, {50, 40}, 0, i == 4 ? bytes : 0);
    graph.edges.push_back({previous, task, bytes});
    previous = task;
  }
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  for (unsigned device : schedule.device)
    EXPECT_EQ(device, 0u);
  EXPECT_DOUBLE_EQ(schedule.makespan, 6 * 50);
  EXPECT_DOUBLE_EQ(scheduleOnDevice(graph, 0).makespan, 300);
  // All on the accelerator: in, 6 x 40, out.
  EXPECT_DOUBLE_EQ(scheduleOnDevice(graph, 1).makespan, 110 + 240 + 110);
}

// The same chain with free transfers moves to the faster device.
TEST(ScheduleTest, ChainWithCheapTransfersMovesToFasterDevice) {
  TaskGraph graph = twoDevices(/*gbps=*/1000, /*latencyUs=*/0);
  unsigned previous = addTask(graph, {50, 10}, 1000);
  for (int i = 0; i < 3; ++i) {
    unsigned task = addTask(graph, {50, 10}, 0, i == 2 ? 1000 : 0);
    graph.edges.push_back({previous, task, 1000});
    previous = task;
  }
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  for (unsigned device : schedule.device)
    EXPECT_EQ(device, 1u);
  EXPECT_NEAR(schedule.makespan, 40 + 2 * 0.001, 1e-9);
}

// Two independent heavy branches of equal cost on two equal devices: the
// optimum runs one per device, in parallel.
TEST(ScheduleTest, IndependentBranchesUseBothDevices) {
  TaskGraph graph = twoDevices(/*gbps=*/100, /*latencyUs=*/0);
  unsigned a = addTask(graph, {100, 100});
  unsigned b = addTask(graph, {100, 100});
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  EXPECT_NE(schedule.device[a], schedule.device[b]);
  EXPECT_DOUBLE_EQ(schedule.makespan, 100);
  EXPECT_DOUBLE_EQ(lowerBound(graph), 100);
  EXPECT_DOUBLE_EQ(scheduleOnDevice(graph, 0).makespan, 200);
}

// Fork-join: a source, two heavy middle tasks, a sink. With cheap links
// the middle tasks split over the devices and the sink joins on the
// accelerator: 10 + 1 (transfer) + 100 + 10.
TEST(ScheduleTest, ForkJoinSplitsTheMiddle) {
  TaskGraph graph = twoDevices(/*gbps=*/1, /*latencyUs=*/0);
  const int64_t bytes = 1000; // 1 us per hop.
  unsigned source = addTask(graph, {10, 10});
  unsigned left = addTask(graph, {100, 100});
  unsigned right = addTask(graph, {100, 100});
  unsigned sink = addTask(graph, {10, 10});
  graph.edges = {{source, left, bytes},
                 {source, right, bytes},
                 {left, sink, bytes},
                 {right, sink, bytes}};
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  EXPECT_NE(schedule.device[left], schedule.device[right]);
  EXPECT_DOUBLE_EQ(schedule.makespan, 10 + 1 + 100 + 10);
  EXPECT_LT(schedule.makespan, scheduleOnDevice(graph, 0).makespan);
}

// A task that only one device can run goes there; the rest follows the
// costs.
TEST(ScheduleTest, UnsupportedDeviceIsAvoided) {
  TaskGraph graph = twoDevices(/*gbps=*/1000, /*latencyUs=*/0);
  unsigned a = addTask(graph, {100, kInfinity});
  unsigned b = addTask(graph, {100, 1});
  graph.edges = {{a, b, 10}};
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  EXPECT_EQ(schedule.device[a], 0u);
  EXPECT_EQ(schedule.device[b], 1u);
  EXPECT_EQ(scheduleOnDevice(graph, 1).makespan, kInfinity);
}

// Pinned tasks (placement overrides) stay where they are pinned.
TEST(ScheduleTest, ForcedPlacementIsKept) {
  TaskGraph graph = twoDevices(/*gbps=*/1000, /*latencyUs=*/0);
  unsigned a = addTask(graph, {1, 100});
  unsigned b = addTask(graph, {1, 100});
  graph.edges = {{a, b, 10}};
  Schedule schedule = scheduleHEFT(graph, {1, -1});
  expectValid(graph, schedule);
  EXPECT_EQ(schedule.device[a], 1u);
  EXPECT_EQ(schedule.device[b], 0u);
}

// With one useful device the schedule is the sum of the latencies.
TEST(ScheduleTest, OneUsefulDeviceSerializes) {
  TaskGraph graph = twoDevices(/*gbps=*/0.001, /*latencyUs=*/0);
  // Device 1 is useless (slow and behind a slow link).
  unsigned a = addTask(graph, {10, 1000});
  unsigned b = addTask(graph, {10, 1000});
  unsigned c = addTask(graph, {10, 1000});
  graph.edges = {{a, b, 1}};
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  EXPECT_DOUBLE_EQ(schedule.makespan, 30);
  (void)c;
}

// The lower bound is below every schedule on random-ish graphs.
TEST(ScheduleTest, LowerBoundBelowMakespan) {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    TaskGraph graph;
    graph.linkGBps = {0, 2, 0.5};
    graph.linkLatencyUs = {0, 5, 20};
    unsigned state = seed;
    auto next = [&] { return (state = state * 1103515245u + 12345u) >> 8; };
    for (unsigned t = 0; t < 30; ++t) {
      addTask(graph,
              {double(next() % 100 + 1), double(next() % 50 + 1),
               next() % 7 ? double(next() % 200 + 1) : kInfinity},
              t < 3 ? 1000 : 0, t > 26 ? 1000 : 0);
      if (t > 0)
        graph.edges.push_back({next() % t, t, int64_t(next() % 100000)});
    }
    Schedule heft = scheduleHEFT(graph);
    expectValid(graph, heft);
    for (unsigned d = 0; d < 2; ++d)
      EXPECT_LE(lowerBound(graph), scheduleOnDevice(graph, d).makespan);
  }
}

} // namespace

namespace {

// A device that shares the host's cores (a software Vulkan driver) cannot
// run a branch while the CPU runs the other: no parallel speed-up, so both
// independent tasks stay on the faster CPU.
TEST(ScheduleTest, SharedResourceDoesNotRunConcurrently) {
  TaskGraph graph = twoDevices(/*gbps=*/100, /*latencyUs=*/0);
  graph.resource = {0, 0};
  unsigned a = addTask(graph, {100, 150});
  unsigned b = addTask(graph, {100, 150});
  Schedule schedule = scheduleHEFT(graph);
  expectValid(graph, schedule);
  EXPECT_EQ(schedule.device[a], 0u);
  EXPECT_EQ(schedule.device[b], 0u);
  EXPECT_DOUBLE_EQ(schedule.makespan, 200);
  EXPECT_DOUBLE_EQ(lowerBound(graph), 200);
}

} // namespace

namespace {

// Placement must stay far below a second for real models (ResNet-50 has
// 56 dispatches): a 2000-task layered graph on 4 devices schedules in
// well under that.
TEST(ScheduleTest, LargeGraphIsFast) {
  TaskGraph graph;
  graph.linkGBps = {0, 25, 12, 12};
  graph.linkLatencyUs = {0, 10, 10, 20};
  for (unsigned t = 0; t < 2000; ++t) {
    addTask(graph, {100.0 + t % 7, 20.0 + t % 5, 50.0 + t % 3, 80},
            t == 0 ? 4096 : 0, t == 1999 ? 4096 : 0);
    if (t > 0)
      graph.edges.push_back({t - 1, t, 1 << 16});
    if (t > 3 && t % 4 == 0)
      graph.edges.push_back({t - 4, t, 1 << 12});
  }
  auto started = std::chrono::steady_clock::now();
  Schedule heft = scheduleHEFT(graph);
  for (unsigned d = 0; d < graph.numDevices(); ++d)
    scheduleOnDevice(graph, d);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  EXPECT_LT(seconds, 1.0);
  EXPECT_LE(lowerBound(graph), heft.makespan);
}

} // namespace

namespace {

// Local search never makes a schedule worse, keeps pinned tasks, and
// reaches the known optimum of the fork-join graph from a bad start.
TEST(ScheduleTest, MovesNeverWorsen) {
  TaskGraph graph = twoDevices(/*gbps=*/1, /*latencyUs=*/0);
  unsigned source = addTask(graph, {10, 10});
  unsigned left = addTask(graph, {100, 100});
  unsigned right = addTask(graph, {100, 100});
  unsigned sink = addTask(graph, {10, 10});
  graph.edges = {{source, left, 1000},
                 {source, right, 1000},
                 {left, sink, 1000},
                 {right, sink, 1000}};
  Schedule allOnHost = scheduleOnDevice(graph, 0);
  Schedule improved = improveByMoves(graph, allOnHost);
  expectValid(graph, improved);
  EXPECT_DOUBLE_EQ(improved.makespan, 10 + 1 + 100 + 10);
  Schedule pinned = improveByMoves(graph, allOnHost, {0, 0, 0, 0});
  EXPECT_DOUBLE_EQ(pinned.makespan, allOnHost.makespan);

  for (unsigned seed = 1; seed <= 10; ++seed) {
    TaskGraph random;
    random.linkGBps = {0, 2, 0.5};
    random.linkLatencyUs = {0, 5, 20};
    unsigned state = seed;
    auto next = [&] { return (state = state * 1103515245u + 12345u) >> 8; };
    for (unsigned t = 0; t < 30; ++t) {
      addTask(random,
              {double(next() % 100 + 1), double(next() % 50 + 1),
               double(next() % 200 + 1)},
              t < 3 ? 1000 : 0, t > 26 ? 1000 : 0);
      if (t > 0)
        random.edges.push_back({next() % t, t, int64_t(next() % 100000)});
    }
    Schedule heft = scheduleHEFT(random);
    Schedule better = improveByMoves(random, heft);
    expectValid(random, better);
    EXPECT_LE(better.makespan, heft.makespan);
  }
}

} // namespace
