//===- Runtime.h - C API of libtessera_runtime --------------------*- C -*-===//
//
// The public C API of the Tessera runtime: load a compiled artifact (see
// Artifact.h), query its inputs and outputs, run it on caller memory, and
// size the runtime's thread pool.
//
// Conventions:
//  - Handles are opaque; every call that can fail returns a tessera_status.
//  - On failure, tessera_last_error() returns a message for the calling
//    thread; it stays valid until the next failing call on that thread.
//  - No C++ exception ever crosses this boundary.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_C_RUNTIME_H
#define TESSERA_C_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

/// Marks a symbol exported from libtessera_runtime.so (which is built with
/// -fvisibility=hidden).
#if defined(_WIN32)
#define TESSERA_RT_EXPORT
#else
#define TESSERA_RT_EXPORT __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/// Result of a runtime call. TESSERA_OK is zero; any other value is an error
/// whose text is available from tessera_last_error().
typedef enum tessera_status {
  TESSERA_OK = 0,
  TESSERA_ERROR_INVALID_ARGUMENT = 1,
  TESSERA_ERROR_LOAD = 2,
  TESSERA_ERROR_RUN = 3,
  TESSERA_ERROR_OUT_OF_MEMORY = 4,
  TESSERA_ERROR_INTERNAL = 5,
} tessera_status;

/// Element types. The values are the ONNX TensorProto.DataType numbers.
typedef enum tessera_dtype {
  TESSERA_DTYPE_INVALID = 0,
  TESSERA_DTYPE_FLOAT32 = 1,
  TESSERA_DTYPE_UINT8 = 2,
  TESSERA_DTYPE_INT8 = 3,
  TESSERA_DTYPE_UINT16 = 4,
  TESSERA_DTYPE_INT16 = 5,
  TESSERA_DTYPE_INT32 = 6,
  TESSERA_DTYPE_INT64 = 7,
  TESSERA_DTYPE_BOOL = 9,
  TESSERA_DTYPE_FLOAT16 = 10,
  TESSERA_DTYPE_FLOAT64 = 11,
  TESSERA_DTYPE_UINT32 = 12,
  TESSERA_DTYPE_UINT64 = 13,
} tessera_dtype;

/// A loaded artifact.
typedef struct tessera_model tessera_model;

/// Description of one model input or output. The pointers are owned by the
/// model and stay valid until tessera_model_free().
typedef struct tessera_tensor_info {
  const char *name;     ///< Decoded name, NUL-terminated.
  tessera_dtype dtype;  ///< Element type.
  int32_t rank;         ///< Number of dimensions; 0 for a scalar.
  const int64_t *dims;  ///< `rank` dimension sizes (NULL when rank is 0).
  int64_t num_elements; ///< Product of the dims (1 for a scalar).
  uint64_t size_bytes;  ///< num_elements * element size.
} tessera_tensor_info;

/// Returns the message of the last failed call on this thread ("" if none).
TESSERA_RT_EXPORT const char *tessera_last_error(void);

/// Returns the runtime version as "MAJOR.MINOR.PATCH".
TESSERA_RT_EXPORT const char *tessera_runtime_version(void);

/// Loads the artifact at `path` (dlopen) and validates its metadata. On
/// success stores a new handle in `*model`; on failure stores NULL.
TESSERA_RT_EXPORT tessera_status tessera_model_load(const char *path,
                                                    tessera_model **model);

/// Unloads the artifact. Accepts NULL.
TESSERA_RT_EXPORT void tessera_model_free(tessera_model *model);

/// Returns the path the model was loaded from.
TESSERA_RT_EXPORT const char *tessera_model_path(const tessera_model *model);

/// Number of inputs / outputs (0 when `model` is NULL).
TESSERA_RT_EXPORT int32_t tessera_model_num_inputs(const tessera_model *model);
TESSERA_RT_EXPORT int32_t tessera_model_num_outputs(const tessera_model *model);

/// Describes input / output `index` (model order).
TESSERA_RT_EXPORT tessera_status tessera_model_input_info(
    const tessera_model *model, int32_t index, tessera_tensor_info *info);
TESSERA_RT_EXPORT tessera_status tessera_model_output_info(
    const tessera_model *model, int32_t index, tessera_tensor_info *info);

/// The `target` record of the artifact: device (e.g. "cpu"), CPU name and
/// comma-separated feature list (each may be "" when absent). Any out
/// pointer may be NULL.
TESSERA_RT_EXPORT tessera_status
tessera_model_target(const tessera_model *model, const char **device,
                     const char **cpu, const char **features);

/// Runs the model. `inputs` holds tessera_model_num_inputs() pointers to
/// dense row-major data of the declared dtype and shape; `outputs` holds
/// tessera_model_num_outputs() pointers to caller memory of the declared
/// size, which receives the results. Any alignment is accepted (64-byte
/// aligned memory avoids a copy). Input data is not modified. Safe to call
/// from several threads at once on the same model.
TESSERA_RT_EXPORT tessera_status tessera_model_run(tessera_model *model,
                                                   const void *const *inputs,
                                                   void *const *outputs);

/// Sets the number of threads used by tessera_rt_parallel_for (the calling
/// thread counts as one). 0 means one per hardware thread. The default is 1,
/// or the value of the environment variable TESSERA_NUM_THREADS. Must not be
/// called from inside a parallel region.
TESSERA_RT_EXPORT tessera_status tessera_runtime_set_num_threads(int32_t n);

/// Returns the current number of threads of the pool.
TESSERA_RT_EXPORT int32_t tessera_runtime_get_num_threads(void);

/// Chooses the device of `kind` ("cuda" or "vulkan") that models compiled
/// for it run on: `selector` is an index or a substring of the device name
/// (NULL or "" = the first). The default comes from the environment
/// variables TESSERA_CUDA_DEVICE / TESSERA_VULKAN_DEVICE. Call it before
/// loading a model for that device.
TESSERA_RT_EXPORT tessera_status
tessera_runtime_select_device(const char *kind, const char *selector);

/// The devices this machine offers, one per line: "<kind> <index> <name>"
/// (kind cpu, cuda or vulkan). Valid until the next call on this thread.
TESSERA_RT_EXPORT const char *tessera_runtime_list_devices(void);

/// The hardware profile (a JSON object) of the selected device of `kind`;
/// fails with the reason when there is no such device.
TESSERA_RT_EXPORT tessera_status
tessera_runtime_device_profile(const char *kind, const char **json);

/// Name of a dtype as used in artifact metadata ("float32", ...), or
/// "invalid".
TESSERA_RT_EXPORT const char *tessera_dtype_name(tessera_dtype dtype);

/// Size in bytes of one element of `dtype` (0 for an invalid dtype).
TESSERA_RT_EXPORT size_t tessera_dtype_size(tessera_dtype dtype);

#ifdef __cplusplus
}
#endif

#endif // TESSERA_C_RUNTIME_H
