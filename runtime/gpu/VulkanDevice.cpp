//===- VulkanDevice.cpp - Any Vulkan 1.1+ device through the loader -------===//
//
// SPIR-V kernels run as compute pipelines. The loader is opened with
// dlopen("libvulkan.so.1") so the runtime loads where Vulkan is absent.
//
// Memory model: every buffer is one VkBuffer in host-visible, coherent
// memory, mapped for its lifetime; the "device pointer" generated code sees
// is the mapped address, so copies are memcpy and a kernel parameter finds
// its VkBuffer by address. Launches are recorded into a command buffer that
// is submitted when the host needs the results (a copy or a stream
// synchronization), with a compute-to-compute barrier between dispatches.
// That suits devices that share memory with the host (integrated GPUs,
// lavapipe); discrete GPUs work, reading host memory over the bus.
//
//===----------------------------------------------------------------------===//

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include "runtime/gpu/GpuDevice.h"
#include "runtime/gpu/JSONWriter.h"

#include "runtime/RunErrors.h"

#include <dlfcn.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace tessera::runtime {
namespace {

#define TESSERA_VK_INSTANCE_FUNCTIONS(X)                                       \
  X(vkDestroyInstance)                                                         \
  X(vkEnumeratePhysicalDevices)                                                \
  X(vkGetPhysicalDeviceProperties)                                             \
  X(vkGetPhysicalDeviceProperties2)                                            \
  X(vkGetPhysicalDeviceFeatures2)                                              \
  X(vkGetPhysicalDeviceQueueFamilyProperties)                                  \
  X(vkGetPhysicalDeviceMemoryProperties)                                       \
  X(vkCreateDevice)                                                            \
  X(vkGetDeviceProcAddr)

#define TESSERA_VK_DEVICE_FUNCTIONS(X)                                         \
  X(vkGetDeviceQueue)                                                          \
  X(vkCreateBuffer)                                                            \
  X(vkDestroyBuffer)                                                           \
  X(vkGetBufferMemoryRequirements)                                             \
  X(vkAllocateMemory)                                                          \
  X(vkFreeMemory)                                                              \
  X(vkBindBufferMemory)                                                        \
  X(vkMapMemory)                                                               \
  X(vkCreateShaderModule)                                                      \
  X(vkDestroyShaderModule)                                                     \
  X(vkCreateDescriptorSetLayout)                                               \
  X(vkDestroyDescriptorSetLayout)                                              \
  X(vkCreatePipelineLayout)                                                    \
  X(vkDestroyPipelineLayout)                                                   \
  X(vkCreateComputePipelines)                                                  \
  X(vkDestroyPipeline)                                                         \
  X(vkCreatePipelineCache)                                                     \
  X(vkCreateDescriptorPool)                                                    \
  X(vkResetDescriptorPool)                                                     \
  X(vkAllocateDescriptorSets)                                                  \
  X(vkUpdateDescriptorSets)                                                    \
  X(vkCreateCommandPool)                                                       \
  X(vkAllocateCommandBuffers)                                                  \
  X(vkResetCommandBuffer)                                                      \
  X(vkBeginCommandBuffer)                                                      \
  X(vkEndCommandBuffer)                                                        \
  X(vkCmdBindPipeline)                                                         \
  X(vkCmdBindDescriptorSets)                                                   \
  X(vkCmdDispatch)                                                             \
  X(vkCmdPipelineBarrier)                                                      \
  X(vkQueueSubmit)                                                             \
  X(vkCreateFence)                                                             \
  X(vkWaitForFences)                                                           \
  X(vkResetFences)

const char *resultName(VkResult result) {
  switch (result) {
  case VK_ERROR_INCOMPATIBLE_DRIVER:
    return "VK_ERROR_INCOMPATIBLE_DRIVER";
  case VK_ERROR_INITIALIZATION_FAILED:
    return "VK_ERROR_INITIALIZATION_FAILED";
  case VK_ERROR_OUT_OF_HOST_MEMORY:
    return "VK_ERROR_OUT_OF_HOST_MEMORY";
  case VK_ERROR_OUT_OF_DEVICE_MEMORY:
    return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
  case VK_ERROR_DEVICE_LOST:
    return "VK_ERROR_DEVICE_LOST";
  case VK_ERROR_EXTENSION_NOT_PRESENT:
    return "VK_ERROR_EXTENSION_NOT_PRESENT";
  case VK_ERROR_FEATURE_NOT_PRESENT:
    return "VK_ERROR_FEATURE_NOT_PRESENT";
  case VK_ERROR_LAYER_NOT_PRESENT:
    return "VK_ERROR_LAYER_NOT_PRESENT";
  default:
    return "VkResult error";
  }
}

struct Loader {
  void *library = nullptr;
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  PFN_vkCreateInstance vkCreateInstance = nullptr;
  VkInstance instance = VK_NULL_HANDLE;
#define DECLARE(name) PFN_##name name = nullptr;
  TESSERA_VK_INSTANCE_FUNCTIONS(DECLARE)
#undef DECLARE

  /// "" on success, else why there is no Vulkan.
  std::string open() {
    library = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *why = dlerror();
      return std::string("no Vulkan loader (dlopen libvulkan.so.1: ") +
             (why ? why : "failed") + ")";
    }
    vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(
        dlsym(library, "vkGetInstanceProcAddr"));
    if (!vkGetInstanceProcAddr)
      return "the Vulkan loader lacks vkGetInstanceProcAddr";
    vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(
        vkGetInstanceProcAddr(VK_NULL_HANDLE, "vkCreateInstance"));
    VkApplicationInfo app = {VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.pApplicationName = "tessera";
    app.apiVersion = VK_API_VERSION_1_1;
    VkInstanceCreateInfo info = {VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    info.pApplicationInfo = &app;
    if (!vkCreateInstance)
      return "the Vulkan loader lacks vkCreateInstance";
    if (VkResult r = vkCreateInstance(&info, nullptr, &instance))
      return std::string("no Vulkan driver: vkCreateInstance failed (") +
             resultName(r) + ")";
#define LOAD(name)                                                             \
  name = reinterpret_cast<PFN_##name>(vkGetInstanceProcAddr(instance, #name)); \
  if (!name)                                                                   \
    return "the Vulkan loader lacks " #name;
    TESSERA_VK_INSTANCE_FUNCTIONS(LOAD)
#undef LOAD
    return "";
  }

  std::vector<VkPhysicalDevice> physicalDevices() const {
    uint32_t count = 0;
    vkEnumeratePhysicalDevices(instance, &count, nullptr);
    std::vector<VkPhysicalDevice> devices(count);
    vkEnumeratePhysicalDevices(instance, &count, devices.data());
    devices.resize(count);
    return devices;
  }
};

Loader *getLoader(std::string &error) {
  static std::once_flag once;
  static Loader *loader = nullptr;
  static std::string failure;
  std::call_once(once, [] {
    auto l = std::make_unique<Loader>();
    failure = l->open();
    if (failure.empty())
      loader = l.release(); // never freed: devices outlive main
    else if (l->library)
      dlclose(l->library); // an instance exists only on success
  });
  error = failure;
  return loader;
}

const char *typeName(VkPhysicalDeviceType type) {
  switch (type) {
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU:
    return "integrated-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU:
    return "discrete-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU:
    return "virtual-gpu";
  case VK_PHYSICAL_DEVICE_TYPE_CPU:
    return "cpu";
  default:
    return "other";
  }
}

struct Buffer {
  VkBuffer buffer;
  VkDeviceMemory memory;
  size_t size;
};

/// A kernel: its pipeline is created at the first launch, when the number
/// of bindings (kernel parameters) is known, and reused by later ones.
struct Function {
  VkShaderModule shader;
  std::string entry;
  std::array<uint32_t, 3> localSize; ///< {0, 0, 0}: not a literal
  uint32_t numBindings = 0;
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
};

struct Module {
  VkShaderModule shader;
  /// GLCompute entry points and their LocalSize.
  std::map<std::string, std::array<uint32_t, 3>> entryPoints;
  std::map<std::string, std::unique_ptr<Function>> functions;
};

/// The compute entry points of a SPIR-V module and their workgroup sizes
/// (OpExecutionMode LocalSize); "" or why the module is malformed.
std::string
parseEntryPoints(const uint32_t *words, size_t numWords,
                 std::map<std::string, std::array<uint32_t, 3>> &entries) {
  constexpr uint32_t kOpEntryPoint = 15, kOpExecutionMode = 16;
  constexpr uint32_t kGLCompute = 5, kLocalSize = 17;
  std::map<uint32_t, std::string> names; // function id -> entry name
  std::map<uint32_t, std::array<uint32_t, 3>> sizes;
  for (size_t i = 5; i < numWords;) {
    uint32_t count = words[i] >> 16, opcode = words[i] & 0xffff;
    if (count == 0 || i + count > numWords)
      return "truncated SPIR-V instruction";
    if (opcode == kOpEntryPoint && count >= 4 && words[i + 1] == kGLCompute) {
      const char *name = reinterpret_cast<const char *>(&words[i + 3]);
      size_t maxLength = (count - 3) * 4;
      names[words[i + 2]] = std::string(name, strnlen(name, maxLength));
    } else if (opcode == kOpExecutionMode && count >= 6 &&
               words[i + 2] == kLocalSize) {
      sizes[words[i + 1]] = {words[i + 3], words[i + 4], words[i + 5]};
    }
    i += count;
  }
  for (auto &[id, name] : names) {
    auto it = sizes.find(id);
    entries[name] =
        it == sizes.end() ? std::array<uint32_t, 3>{0, 0, 0} : it->second;
  }
  return "";
}

class VulkanDevice final : public GpuDevice {
public:
  VulkanDevice(Loader &loader, VkPhysicalDevice physical)
      : l(loader), physical(physical) {}

  std::string init() {
    l.vkGetPhysicalDeviceProperties(physical, &properties);
    uint32_t count = 0;
    l.vkGetPhysicalDeviceQueueFamilyProperties(physical, &count, nullptr);
    std::vector<VkQueueFamilyProperties> families(count);
    l.vkGetPhysicalDeviceQueueFamilyProperties(physical, &count,
                                               families.data());
    queueFamily = UINT32_MAX;
    for (uint32_t i = 0; i < count && queueFamily == UINT32_MAX; ++i)
      if (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT)
        queueFamily = i;
    if (queueFamily == UINT32_MAX)
      return std::string("Vulkan device '") + properties.deviceName +
             "' has no compute queue";

    // Enable every feature the kernels may use that the device has.
    storage16 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_16BIT_STORAGE_FEATURES};
    storage8 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
    float16int8 = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
    storage16.pNext = &storage8;
    storage8.pNext = &float16int8;
    features = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    features.pNext = &storage16;
    l.vkGetPhysicalDeviceFeatures2(physical, &features);
    VkPhysicalDeviceFeatures2 enabled = features;
    enabled.features = {};
    enabled.features.shaderInt64 = features.features.shaderInt64;
    enabled.features.shaderInt16 = features.features.shaderInt16;
    enabled.features.shaderFloat64 = features.features.shaderFloat64;

    float priority = 1.0f;
    VkDeviceQueueCreateInfo queueInfo = {
        VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queueInfo.queueFamilyIndex = queueFamily;
    queueInfo.queueCount = 1;
    queueInfo.pQueuePriorities = &priority;
    std::vector<const char *> extensions = {"VK_KHR_8bit_storage",
                                            "VK_KHR_shader_float16_int8"};
    VkDeviceCreateInfo info = {VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    info.pNext = &enabled;
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queueInfo;
    info.enabledExtensionCount = extensions.size();
    info.ppEnabledExtensionNames = extensions.data();
    if (l.vkCreateDevice(physical, &info, nullptr, &device) != VK_SUCCESS) {
      // Without the optional extensions (features stay off).
      storage8 = {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_8BIT_STORAGE_FEATURES};
      float16int8 = {
          VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_FLOAT16_INT8_FEATURES};
      storage16.pNext = nullptr;
      info.enabledExtensionCount = 0;
      if (l.vkCreateDevice(physical, &info, nullptr, &device) != VK_SUCCESS)
        return std::string("cannot create a Vulkan device on '") +
               properties.deviceName + "'";
    }
#define LOAD(name)                                                             \
  name = reinterpret_cast<PFN_##name>(l.vkGetDeviceProcAddr(device, #name));   \
  if (!name)                                                                   \
    return "the Vulkan driver lacks " #name;
    TESSERA_VK_DEVICE_FUNCTIONS(LOAD)
#undef LOAD
    vkGetDeviceQueue(device, queueFamily, 0, &queue);

    VkPhysicalDeviceMemoryProperties memory;
    l.vkGetPhysicalDeviceMemoryProperties(physical, &memory);
    memoryType = UINT32_MAX;
    const VkMemoryPropertyFlags wanted = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                         VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
      VkMemoryPropertyFlags flags = memory.memoryTypes[i].propertyFlags;
      if ((flags & wanted) != wanted)
        continue;
      // Prefer memory that is also device-local (shared-memory devices).
      if (memoryType == UINT32_MAX ||
          (flags & VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT))
        memoryType = i;
    }
    if (memoryType == UINT32_MAX)
      return "Vulkan device has no host-visible coherent memory";

    VkCommandPoolCreateInfo poolInfo = {
        VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
    poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    poolInfo.queueFamilyIndex = queueFamily;
    VkCommandBufferAllocateInfo allocInfo = {
        VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
    allocInfo.commandBufferCount = 1;
    VkFenceCreateInfo fenceInfo = {VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkPipelineCacheCreateInfo cacheInfo = {
        VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
    if (vkCreateCommandPool(device, &poolInfo, nullptr, &commandPool) ||
        (allocInfo.commandPool = commandPool,
         vkAllocateCommandBuffers(device, &allocInfo, &commands)) ||
        vkCreateFence(device, &fenceInfo, nullptr, &fence) ||
        vkCreatePipelineCache(device, &cacheInfo, nullptr, &pipelineCache))
      return "cannot create Vulkan command buffers";
    return "";
  }

  const char *kind() const override { return "vulkan"; }

  std::string describe() const override {
    return std::string(properties.deviceName) + " (" +
           typeName(properties.deviceType) + ", Vulkan " +
           std::to_string(VK_API_VERSION_MAJOR(properties.apiVersion)) + "." +
           std::to_string(VK_API_VERSION_MINOR(properties.apiVersion)) + ")";
  }

  std::string profileJSON() const override {
    VkPhysicalDeviceSubgroupProperties subgroup = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES};
    VkPhysicalDeviceProperties2 props = {
        VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
    props.pNext = &subgroup;
    l.vkGetPhysicalDeviceProperties2(physical, &props);
    VkPhysicalDeviceMemoryProperties memory;
    l.vkGetPhysicalDeviceMemoryProperties(physical, &memory);
    uint64_t deviceLocalBytes = 0;
    for (uint32_t i = 0; i < memory.memoryHeapCount; ++i)
      if (memory.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT)
        deviceLocalBytes += memory.memoryHeaps[i].size;

    const VkPhysicalDeviceLimits &limits = properties.limits;
    JSONWriter json;
    json.string("kind", "vulkan");
    json.string("name", properties.deviceName);
    json.string("device_type", typeName(properties.deviceType));
    json.integer("vendor_id", properties.vendorID);
    json.integer("device_id", properties.deviceID);
    json.string(
        "api_version",
        std::to_string(VK_API_VERSION_MAJOR(properties.apiVersion)) + "." +
            std::to_string(VK_API_VERSION_MINOR(properties.apiVersion)));
    json.integer("max_workgroup_invocations",
                 limits.maxComputeWorkGroupInvocations);
    json.triple("max_workgroup_size", limits.maxComputeWorkGroupSize);
    json.triple("max_workgroup_count", limits.maxComputeWorkGroupCount);
    json.integer("max_shared_memory_bytes", limits.maxComputeSharedMemorySize);
    json.integer("max_storage_buffer_range", limits.maxStorageBufferRange);
    json.integer("max_bound_descriptor_sets", limits.maxBoundDescriptorSets);
    json.integer("max_storage_buffers_per_stage",
                 limits.maxPerStageDescriptorStorageBuffers);
    json.integer("min_storage_buffer_offset_alignment",
                 limits.minStorageBufferOffsetAlignment);
    json.integer("subgroup_size", subgroup.subgroupSize);
    json.integer("subgroup_operations", subgroup.supportedOperations);
    json.integer("device_local_memory_bytes", deviceLocalBytes);
    json.boolean("shader_int64", features.features.shaderInt64);
    json.boolean("shader_int16", features.features.shaderInt16);
    json.boolean("shader_float64", features.features.shaderFloat64);
    json.boolean("shader_float16", float16int8.shaderFloat16);
    json.boolean("shader_int8", float16int8.shaderInt8);
    json.boolean("storage_buffer_16bit", storage16.storageBuffer16BitAccess);
    json.boolean("storage_buffer_8bit", storage8.storageBuffer8BitAccess);
    return json.finish();
  }

  void *loadModule(const void *data, size_t size, bool isPTX) override {
    if (isPTX || size % 4) {
      setRunError("vulkan: not a SPIR-V module");
      return nullptr;
    }
    VkShaderModuleCreateInfo info = {
        VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
    info.codeSize = size;
    info.pCode = static_cast<const uint32_t *>(data);
    auto module = std::make_unique<Module>();
    std::string error =
        parseEntryPoints(info.pCode, size / 4, module->entryPoints);
    if (!error.empty()) {
      setRunError("vulkan: malformed SPIR-V module: " + error);
      return nullptr;
    }
    std::lock_guard<std::recursive_mutex> lock(mutex);
    if (vkCreateShaderModule(device, &info, nullptr, &module->shader) !=
        VK_SUCCESS) {
      setRunError("vulkan: the driver rejected a SPIR-V module");
      return nullptr;
    }
    return module.release();
  }

  void unloadModule(void *module) override {
    auto *m = static_cast<Module *>(module);
    std::lock_guard<std::recursive_mutex> lock(mutex);
    flush(); // recorded launches may use its pipelines
    for (auto &entry : m->functions) {
      Function &f = *entry.second;
      if (f.pipeline)
        vkDestroyPipeline(device, f.pipeline, nullptr);
      if (f.layout)
        vkDestroyPipelineLayout(device, f.layout, nullptr);
      if (f.setLayout)
        vkDestroyDescriptorSetLayout(device, f.setLayout, nullptr);
    }
    vkDestroyShaderModule(device, m->shader, nullptr);
    delete m;
  }

  void *getFunction(void *module, const char *name) override {
    auto *m = static_cast<Module *>(module);
    std::lock_guard<std::recursive_mutex> lock(mutex);
    std::unique_ptr<Function> &function = m->functions[name];
    if (function)
      return function.get();
    auto entry = m->entryPoints.find(name);
    if (entry == m->entryPoints.end()) {
      m->functions.erase(name);
      setRunError(std::string("vulkan: the SPIR-V module has no compute "
                              "entry point '") +
                  name + "'");
      return nullptr;
    }
    function = std::make_unique<Function>();
    function->shader = m->shader;
    function->entry = name;
    function->localSize = entry->second;
    return function.get();
  }

  /// "" if the launch fits the kernel and the device, else why not.
  std::string checkLaunch(const Function &f, const int64_t grid[3],
                          const int64_t block[3]) const {
    auto triple = [](auto v) {
      return "(" + std::to_string(v[0]) + ", " + std::to_string(v[1]) + ", " +
             std::to_string(v[2]) + ")";
    };
    if (f.localSize[0] &&
        (block[0] != f.localSize[0] || block[1] != f.localSize[1] ||
         block[2] != f.localSize[2]))
      return "vulkan: kernel '" + f.entry + "' launched with block " +
             triple(block) + " but its SPIR-V workgroup size is " +
             triple(f.localSize);
    for (int i = 0; i < 3; ++i)
      if (grid[i] > properties.limits.maxComputeWorkGroupCount[i])
        return "vulkan: kernel '" + f.entry + "' launched with grid " +
               triple(grid) + ", beyond the device's limit " +
               triple(properties.limits.maxComputeWorkGroupCount);
    return "";
  }

  bool buildPipeline(Function &f, uint32_t numBindings) {
    std::vector<VkDescriptorSetLayoutBinding> bindings(numBindings);
    for (uint32_t i = 0; i < numBindings; ++i)
      bindings[i] = {i, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1,
                     VK_SHADER_STAGE_COMPUTE_BIT, nullptr};
    VkDescriptorSetLayoutCreateInfo setInfo = {
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
    setInfo.bindingCount = numBindings;
    setInfo.pBindings = bindings.data();
    VkPipelineLayoutCreateInfo layoutInfo = {
        VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
    layoutInfo.setLayoutCount = 1;
    VkComputePipelineCreateInfo info = {
        VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO};
    info.stage = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO};
    info.stage.stage = VK_SHADER_STAGE_COMPUTE_BIT;
    info.stage.module = f.shader;
    info.stage.pName = f.entry.c_str();
    if (vkCreateDescriptorSetLayout(device, &setInfo, nullptr, &f.setLayout) ||
        (layoutInfo.pSetLayouts = &f.setLayout,
         vkCreatePipelineLayout(device, &layoutInfo, nullptr, &f.layout)) ||
        (info.layout = f.layout,
         vkCreateComputePipelines(device, pipelineCache, 1, &info, nullptr,
                                  &f.pipeline))) {
      setRunError("vulkan: cannot create the pipeline of kernel '" + f.entry +
                  "'");
      return false;
    }
    f.numBindings = numBindings;
    return true;
  }

  /// The buffer holding `address`, the offset into it and the bytes left.
  bool findBuffer(const void *address, VkBuffer &buffer, VkDeviceSize &offset,
                  VkDeviceSize &range) {
    auto *p = const_cast<char *>(static_cast<const char *>(address));
    auto it = buffers.upper_bound(p);
    if (it == buffers.begin())
      return false;
    --it;
    if (p >= it->first + std::max<size_t>(it->second.size, 1))
      return false;
    buffer = it->second.buffer;
    offset = p - it->first;
    range = std::max<size_t>(it->second.size, 1) - offset;
    return true;
  }

  void launch(void *function, const int64_t grid[3], const int64_t block[3],
              int32_t sharedMemoryBytes, void *, void **params,
              size_t numParams) override {
    auto &f = *static_cast<Function *>(function);
    std::string error = checkLaunch(f, grid, block);
    if (error.empty() && sharedMemoryBytes != 0)
      error = "vulkan: dynamic shared memory is not supported (kernel '" +
              f.entry + "')";
    if (!error.empty())
      return setRunError(error);
    std::lock_guard<std::recursive_mutex> lock(mutex);
    if (!f.pipeline && !buildPipeline(f, numParams))
      return;
    if (f.numBindings != numParams) {
      setRunError("vulkan: kernel '" + f.entry + "' launched with " +
                  std::to_string(numParams) + " arguments, built with " +
                  std::to_string(f.numBindings));
      return;
    }
    VkDescriptorSet set;
    if (!allocateSet(f.setLayout, numParams, set))
      return;
    std::vector<VkDescriptorBufferInfo> infos(numParams);
    std::vector<VkWriteDescriptorSet> writes(numParams);
    for (size_t i = 0; i < numParams; ++i) {
      const void *address = *static_cast<void **>(params[i]);
      VkDeviceSize offset, range;
      if (!findBuffer(address, infos[i].buffer, offset, range) ||
          offset % properties.limits.minStorageBufferOffsetAlignment) {
        setRunError("vulkan: argument " + std::to_string(i) + " of kernel '" +
                    f.entry + "' is not a device buffer");
        return;
      }
      // A binding cannot reach further: refuse rather than read garbage.
      if (range > properties.limits.maxStorageBufferRange) {
        setRunError("vulkan: argument " + std::to_string(i) + " of kernel '" +
                    f.entry + "' spans " + std::to_string(range) +
                    " bytes, more than the device can bind (" +
                    std::to_string(properties.limits.maxStorageBufferRange) +
                    ")");
        return;
      }
      infos[i].offset = offset;
      infos[i].range = VK_WHOLE_SIZE;
      writes[i] = {VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
      writes[i].dstSet = set;
      writes[i].dstBinding = i;
      writes[i].descriptorCount = 1;
      writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
      writes[i].pBufferInfo = &infos[i];
    }
    vkUpdateDescriptorSets(device, numParams, writes.data(), 0, nullptr);
    if (!recording && !begin())
      return;
    if (pendingDispatches) {
      VkMemoryBarrier barrier = {VK_STRUCTURE_TYPE_MEMORY_BARRIER};
      barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
      barrier.dstAccessMask =
          VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT;
      vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                           VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0, 1, &barrier,
                           0, nullptr, 0, nullptr);
    }
    vkCmdBindPipeline(commands, VK_PIPELINE_BIND_POINT_COMPUTE, f.pipeline);
    vkCmdBindDescriptorSets(commands, VK_PIPELINE_BIND_POINT_COMPUTE, f.layout,
                            0, 1, &set, 0, nullptr);
    vkCmdDispatch(commands, grid[0], grid[1], grid[2]);
    ++pendingDispatches;
  }

  void *createStream() override { return this; }
  void synchronize(void *) override {
    std::lock_guard<std::recursive_mutex> lock(mutex);
    flush();
  }
  void destroyStream(void *) override {}

  void *allocate(uint64_t size, void *) override {
    VkBufferCreateInfo info = {VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    // Round up: bindings cover whole 4-byte words.
    info.size = std::max<uint64_t>((size + 15) & ~uint64_t(15), 16);
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT |
                 VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    Buffer buffer = {VK_NULL_HANDLE, VK_NULL_HANDLE, size};
    VkMemoryRequirements requirements;
    void *mapped = nullptr;
    std::lock_guard<std::recursive_mutex> lock(mutex);
    if (vkCreateBuffer(device, &info, nullptr, &buffer.buffer) != VK_SUCCESS) {
      setRunError("vulkan: cannot create a buffer of " + std::to_string(size) +
                  " bytes");
      return nullptr;
    }
    vkGetBufferMemoryRequirements(device, buffer.buffer, &requirements);
    VkMemoryAllocateInfo allocInfo = {VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    allocInfo.allocationSize = requirements.size;
    allocInfo.memoryTypeIndex = memoryType;
    if (vkAllocateMemory(device, &allocInfo, nullptr, &buffer.memory) ||
        vkBindBufferMemory(device, buffer.buffer, buffer.memory, 0) ||
        vkMapMemory(device, buffer.memory, 0, VK_WHOLE_SIZE, 0, &mapped)) {
      setRunError("vulkan: out of device memory (" + std::to_string(size) +
                  " bytes)");
      vkDestroyBuffer(device, buffer.buffer, nullptr);
      if (buffer.memory)
        vkFreeMemory(device, buffer.memory, nullptr);
      return nullptr;
    }
    buffers[static_cast<char *>(mapped)] = buffer;
    return mapped;
  }

  void deallocate(void *pointer, void *) override {
    std::lock_guard<std::recursive_mutex> lock(mutex);
    // Kernels recorded but not submitted may still use it.
    flush();
    auto it = buffers.find(static_cast<char *>(pointer));
    if (it == buffers.end())
      return;
    vkDestroyBuffer(device, it->second.buffer, nullptr);
    vkFreeMemory(device, it->second.memory, nullptr);
    buffers.erase(it);
  }

  void copy(void *dst, const void *src, size_t size, void *) override {
    std::lock_guard<std::recursive_mutex> lock(mutex);
    flush(); // the source may be a kernel's result
    std::memmove(dst, src, size);
  }

  void fill32(void *dst, uint32_t value, size_t count, void *) override {
    fill(static_cast<uint32_t *>(dst), value, count);
  }

  void fill16(void *dst, uint16_t value, size_t count, void *) override {
    fill(static_cast<uint16_t *>(dst), value, count);
  }

private:
  template <typename T> void fill(T *dst, T value, size_t count) {
    std::lock_guard<std::recursive_mutex> lock(mutex);
    flush(); // earlier kernels may still use it
    for (size_t i = 0; i < count; ++i)
      dst[i] = value;
  }

  bool allocateSet(VkDescriptorSetLayout layout, size_t numBindings,
                   VkDescriptorSet &set) {
    // One pool per command buffer's worth of launches; reset after a flush.
    if (!descriptorPool) {
      VkDescriptorPoolSize size = {VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 16384};
      VkDescriptorPoolCreateInfo info = {
          VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
      info.maxSets = 2048;
      info.poolSizeCount = 1;
      info.pPoolSizes = &size;
      if (vkCreateDescriptorPool(device, &info, nullptr, &descriptorPool)) {
        setRunError("vulkan: cannot create a descriptor pool");
        return false;
      }
    }
    VkDescriptorSetAllocateInfo info = {
        VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
    info.descriptorPool = descriptorPool;
    info.descriptorSetCount = 1;
    info.pSetLayouts = &layout;
    if (vkAllocateDescriptorSets(device, &info, &set) != VK_SUCCESS) {
      // The pool is full: run what is recorded, then reuse it.
      flush();
      if (vkAllocateDescriptorSets(device, &info, &set) != VK_SUCCESS) {
        setRunError("vulkan: cannot allocate a descriptor set (" +
                    std::to_string(numBindings) + " bindings)");
        return false;
      }
    }
    return true;
  }

  bool begin() {
    VkCommandBufferBeginInfo info = {
        VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    info.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    if (vkResetCommandBuffer(commands, 0) ||
        vkBeginCommandBuffer(commands, &info)) {
      setRunError("vulkan: cannot record commands");
      return false;
    }
    recording = true;
    pendingDispatches = 0;
    return true;
  }

  /// Submits what is recorded and waits for it.
  void flush() {
    if (!recording)
      return;
    recording = false;
    // Make the kernels' writes visible to the host, which reads the mapped
    // memory after the fence (a fence alone does not).
    VkMemoryBarrier barrier = {VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    barrier.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT;
    barrier.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                         VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &barrier, 0, nullptr,
                         0, nullptr);
    VkSubmitInfo submit = {VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &commands;
    if (vkEndCommandBuffer(commands) ||
        vkQueueSubmit(queue, 1, &submit, fence) ||
        vkWaitForFences(device, 1, &fence, VK_TRUE, UINT64_MAX) ||
        vkResetFences(device, 1, &fence))
      setRunError("vulkan: running the kernels failed (device lost?)");
    pendingDispatches = 0;
    if (descriptorPool)
      vkResetDescriptorPool(device, descriptorPool, 0);
  }

  Loader &l;
  VkPhysicalDevice physical;
  VkPhysicalDeviceProperties properties = {};
  VkPhysicalDeviceFeatures2 features = {};
  VkPhysicalDevice16BitStorageFeatures storage16 = {};
  VkPhysicalDevice8BitStorageFeatures storage8 = {};
  VkPhysicalDeviceShaderFloat16Int8Features float16int8 = {};
  uint32_t queueFamily = 0;
  uint32_t memoryType = 0;
  VkDevice device = VK_NULL_HANDLE;
  VkQueue queue = VK_NULL_HANDLE;
  VkCommandPool commandPool = VK_NULL_HANDLE;
  VkCommandBuffer commands = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  VkPipelineCache pipelineCache = VK_NULL_HANDLE;
  VkDescriptorPool descriptorPool = VK_NULL_HANDLE;
  bool recording = false;
  size_t pendingDispatches = 0;
  std::map<char *, Buffer> buffers;
  std::recursive_mutex mutex;
#define DECLARE(name) PFN_##name name = nullptr;
  TESSERA_VK_DEVICE_FUNCTIONS(DECLARE)
#undef DECLARE
};

} // namespace

GpuDevice *createVulkanDevice(const std::string &selector, std::string &error) {
  Loader *l = getLoader(error);
  if (!l)
    return nullptr;
  std::vector<VkPhysicalDevice> devices = l->physicalDevices();
  if (devices.empty()) {
    error = "no Vulkan device: vkEnumeratePhysicalDevices found none";
    return nullptr;
  }
  size_t index = 0;
  if (!selector.empty()) {
    char *end = nullptr;
    long value = std::strtol(selector.c_str(), &end, 10);
    index = SIZE_MAX;
    if (end && *end == 0 && value >= 0 &&
        static_cast<size_t>(value) < devices.size()) {
      index = value;
    } else {
      for (size_t i = 0; i < devices.size() && index == SIZE_MAX; ++i) {
        VkPhysicalDeviceProperties p;
        l->vkGetPhysicalDeviceProperties(devices[i], &p);
        if (std::strstr(p.deviceName, selector.c_str()))
          index = i;
      }
    }
    if (index == SIZE_MAX) {
      error =
          "no Vulkan device matches '" + selector + "' (see --list-devices)";
      return nullptr;
    }
  }
  auto device = std::make_unique<VulkanDevice>(*l, devices[index]);
  error = device->init();
  return error.empty() ? device.release() : nullptr;
}

std::string listVulkanDevices() {
  std::string error;
  Loader *l = getLoader(error);
  if (!l)
    return "";
  std::string text;
  std::vector<VkPhysicalDevice> devices = l->physicalDevices();
  for (size_t i = 0; i < devices.size(); ++i) {
    VkPhysicalDeviceProperties p;
    l->vkGetPhysicalDeviceProperties(devices[i], &p);
    text += "vulkan " + std::to_string(i) + " " + p.deviceName + " (" +
            typeName(p.deviceType) + ")\n";
  }
  return text;
}

} // namespace tessera::runtime
