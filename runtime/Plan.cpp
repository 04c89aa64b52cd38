//===- Plan.cpp - A model partitioned across devices ----------------------===//
//
// Loading parses the plan, loads each segment artifact and wires segment
// inputs to the model inputs or earlier segment outputs of the same name.
// Running is a small dependency-driven scheduler: a segment starts when its
// producers are done and no other segment runs on its device (a device
// runs one segment at a time, as the partitioner's schedule assumes);
// segments that overlap run on their own threads.
//
//===----------------------------------------------------------------------===//

#include "runtime/Plan.h"

#include "runtime/Model.h"
#include "runtime/Tensor.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace tessera::runtime {

ExecutionPlan::~ExecutionPlan() = default;

static bool sameSpec(const TensorSpec &a, const TensorSpec &b) {
  return a.dtype == b.dtype && a.shape == b.shape;
}

static std::string describe(const TensorSpec &spec) {
  return std::string(dtypeName(spec.dtype)) + " " + formatShape(spec.shape);
}

/// The directory part of `path`, with a trailing slash, or "".
static std::string directoryOf(const std::string &path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

Status ExecutionPlan::load(const std::string &path, std::string_view text,
                           std::unique_ptr<ExecutionPlan> &plan) {
  plan.reset();
  std::unique_ptr<ExecutionPlan> result(new ExecutionPlan());
  std::vector<std::pair<std::string, std::string>> segmentFiles;
  bool sawHeader = false;
  size_t lineNumber = 0, pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::vector<std::string_view> words = splitWords(text.substr(pos, end - pos));
    pos = end + 1;
    ++lineNumber;
    if (words.empty())
      continue;
    auto lineError = [&](const std::string &message) {
      return Status::error("plan line " + std::to_string(lineNumber) + ": " +
                           message);
    };
    if (!sawHeader) {
      if (words.size() != 2 || words[0] != kPlanMagic || words[1] != "1")
        return lineError("expected 'tessera-plan 1' (this runtime reads "
                         "plan version 1)");
      sawHeader = true;
      continue;
    }
    if (words[0] == "input" || words[0] == "output") {
      TensorSpec spec;
      if (Status status = parseTensorRecord(words, spec); !status)
        return lineError(status.message());
      (words[0] == "input" ? result->meta.inputs : result->meta.outputs)
          .push_back(std::move(spec));
      continue;
    }
    if (words[0] == "segment") {
      if (words.size() != 3)
        return lineError("expected 'segment <device> <artifact file>'");
      segmentFiles.emplace_back(std::string(words[1]), std::string(words[2]));
      continue;
    }
    return lineError("unknown record '" + std::string(words[0]) + "'");
  }
  if (segmentFiles.empty())
    return Status::error("the plan has no segments");
  result->meta.version = 1;
  result->meta.target.device = "plan";

  // Values by name: model inputs, then each segment's outputs.
  std::map<std::string, int> valueIds;
  for (const TensorSpec &spec : result->meta.inputs) {
    if (!valueIds.emplace(spec.name, result->values.size()).second)
      return Status::error("the plan lists input '" + spec.name + "' twice");
    result->values.push_back(spec);
  }
  std::vector<int> producerOf(result->values.size(), -1);
  std::string directory = directoryOf(path);
  for (auto &[device, file] : segmentFiles) {
    int index = result->segments.size();
    std::string segmentPath = file.front() == '/' ? file : directory + file;
    Segment segment;
    segment.device = device;
    std::string where =
        "segment " + std::to_string(index) + " ('" + segmentPath + "')";
    if (Status status = Model::load(segmentPath, segment.model); !status)
      return Status::error(where + ": " + status.message());
    const ArtifactMetadata &segmentMeta = segment.model->metadata();
    if (segmentMeta.target.device != device)
      return Status::error(where + " was compiled for '" +
                           segmentMeta.target.device + "', the plan says '" +
                           device + "'");
    std::set<int> producers;
    for (const TensorSpec &spec : segmentMeta.inputs) {
      auto it = valueIds.find(spec.name);
      if (it == valueIds.end())
        return Status::error(where + " reads '" + spec.name +
                             "', which no model input or earlier segment "
                             "provides");
      const TensorSpec &known = result->values[it->second];
      if (!sameSpec(known, spec))
        return Status::error(where + " reads '" + spec.name + "' as " +
                             describe(spec) + ", but it is " +
                             describe(known));
      segment.inputs.push_back(it->second);
      if (producerOf[it->second] >= 0)
        producers.insert(producerOf[it->second]);
    }
    segment.producers.assign(producers.begin(), producers.end());
    for (const TensorSpec &spec : segmentMeta.outputs) {
      int id = result->values.size();
      if (!valueIds.emplace(spec.name, id).second)
        return Status::error(where + " writes '" + spec.name +
                             "', which is already defined");
      result->values.push_back(spec);
      producerOf.push_back(index);
      segment.outputs.push_back(id);
    }
    result->segments.push_back(std::move(segment));
  }
  for (const TensorSpec &spec : result->meta.outputs) {
    auto it = valueIds.find(spec.name);
    if (it == valueIds.end())
      return Status::error("no segment writes the model output '" +
                           spec.name + "'");
    if (!sameSpec(result->values[it->second], spec))
      return Status::error("model output '" + spec.name + "' is " +
                           describe(spec) + " in the plan but " +
                           describe(result->values[it->second]) +
                           " in its segment");
    result->outputValues.push_back(it->second);
  }
  const char *trace = std::getenv("TESSERA_PLAN_TRACE");
  result->trace = trace && *trace && std::string_view(trace) != "0";
  result->readers.assign(result->values.size(), 0);
  for (const Segment &segment : result->segments)
    for (int value : segment.inputs)
      ++result->readers[value];
  plan = std::move(result);
  return Status::success();
}

std::vector<std::string> ExecutionPlan::segmentDevices() const {
  std::vector<std::string> devices;
  for (const Segment &segment : segments)
    devices.push_back(segment.device);
  return devices;
}

Status ExecutionPlan::run(const void *const *inputs,
                          void *const *outputs) const {
  size_t numInputs = meta.inputs.size();
  if (numInputs && !inputs)
    return Status::error("inputs array is NULL (model has " +
                         std::to_string(numInputs) + " inputs)");
  if (!meta.outputs.empty() && !outputs)
    return Status::error("outputs array is NULL (model has " +
                         std::to_string(meta.outputs.size()) + " outputs)");

  // Where each value lives: caller buffers for model inputs and for model
  // outputs that a segment writes, owned buffers for the rest.
  std::vector<void *> pointers(values.size(), nullptr);
  std::vector<AlignedBuffer> owned(values.size());
  std::vector<bool> keep(values.size(), false);
  for (size_t i = 0; i < numInputs; ++i)
    pointers[i] = const_cast<void *>(inputs[i]);
  for (size_t j = 0; j < outputValues.size(); ++j) {
    int value = outputValues[j];
    keep[value] = true;
    if (static_cast<size_t>(value) >= numInputs && !pointers[value])
      pointers[value] = outputs[j];
  }

  std::mutex mutex;
  std::condition_variable finished;
  std::vector<int> remainingReaders = readers;
  enum class State { Waiting, Running, Done };
  std::vector<State> states(segments.size(), State::Waiting);
  std::set<std::string> busyDevices;
  Status firstError = Status::success();
  int running = 0;
  std::vector<std::thread> threads;

  using Clock = std::chrono::steady_clock;
  Clock::time_point runStart = Clock::now();
  auto sinceStart = [&] {
    return std::chrono::duration<double, std::milli>(Clock::now() - runStart)
        .count();
  };

  // Runs segment `s` with `mutex` not held; records the result under it.
  auto execute = [&](size_t s) {
    const Segment &segment = segments[s];
    std::vector<const void *> in;
    std::vector<void *> out;
    {
      std::lock_guard<std::mutex> lock(mutex);
      for (int value : segment.inputs)
        in.push_back(pointers[value]);
      for (int value : segment.outputs)
        out.push_back(pointers[value]);
    }
    double start = sinceStart();
    Status status = segment.model->run(in.data(), out.data());
    if (trace)
      std::fprintf(stderr, "plan: segment %zu (%s) ran from %.3f to %.3f ms\n",
                   s, segment.device.c_str(), start, sinceStart());
    std::lock_guard<std::mutex> lock(mutex);
    if (!status && firstError)
      firstError = Status::error("segment " + std::to_string(s) + " (" +
                                 segment.device + "): " + status.message());
    states[s] = State::Done;
    busyDevices.erase(segment.device);
    --running;
    for (int value : segment.inputs)
      if (--remainingReaders[value] == 0 && !keep[value])
        owned[value] = AlignedBuffer();
    finished.notify_all();
  };

  std::unique_lock<std::mutex> lock(mutex);
  while (true) {
    std::vector<size_t> ready;
    for (size_t s = 0; s < segments.size() && firstError; ++s) {
      const Segment &segment = segments[s];
      if (states[s] != State::Waiting || busyDevices.count(segment.device))
        continue;
      bool inputsReady = true;
      for (int producer : segment.producers)
        inputsReady &= states[producer] == State::Done;
      if (!inputsReady)
        continue;
      for (int value : segment.outputs) {
        if (pointers[value])
          continue;
        size_t size = values[value].sizeInBytes();
        if (!owned[value].allocate(size ? size : 1)) {
          firstError = Status::error("out of memory for '" +
                                     values[value].name + "' (" +
                                     std::to_string(size) + " bytes)");
          break;
        }
        pointers[value] = owned[value].data();
      }
      if (!firstError)
        break;
      states[s] = State::Running;
      busyDevices.insert(segment.device);
      ++running;
      ready.push_back(s);
    }
    if (ready.empty()) {
      if (running == 0)
        break;
      finished.wait(lock);
      continue;
    }
    // A segment that runs alone runs on this thread (nothing can become
    // ready while it runs); otherwise each gets a thread, and this one
    // waits to start the next segments as soon as their inputs exist.
    if (running == 1) {
      lock.unlock();
      execute(ready.front());
      lock.lock();
      continue;
    }
    for (size_t s : ready)
      threads.emplace_back(execute, s);
  }
  lock.unlock();
  for (std::thread &thread : threads)
    thread.join();
  if (!firstError)
    return firstError;
  for (size_t s = 0; s < segments.size(); ++s)
    if (states[s] != State::Done)
      return Status::error("segment " + std::to_string(s) + " never ran");

  // Model outputs that are model inputs, or repeat another output.
  for (size_t j = 0; j < outputValues.size(); ++j) {
    int value = outputValues[j];
    if (pointers[value] != outputs[j] && values[value].sizeInBytes())
      std::memcpy(outputs[j], pointers[value], values[value].sizeInBytes());
  }
  return Status::success();
}

} // namespace tessera::runtime
