//===- RunErrors.h - Failed run-time checks of generated code ---*- C++ -*-===//
//
// Generated code reports a failed run-time check (for example a shape input
// that disagrees with the compiled shape) with tessera_rt_set_error instead
// of aborting. The message is kept per thread; parallel loops carry worker
// errors back to the thread that started the run, and Model::run turns it
// into an error status.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_RUNERRORS_H
#define TESSERA_RUNTIME_RUNERRORS_H

#include <string>

namespace tessera::runtime {

/// Records `message` for this thread unless an earlier one is pending.
void setRunError(const std::string &message);

/// Returns and clears this thread's pending message ("" when none).
std::string takeRunError();

/// Whether this thread has a pending message (GPU services become no-ops).
bool hasRunError();

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_RUNERRORS_H
