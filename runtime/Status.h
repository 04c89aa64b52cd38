//===- Status.h - Success or an error message -------------------*- C++ -*-===//
//
// A tiny result type used inside the runtime and by its tools: either success
// or a human-readable error message. The runtime does not use exceptions for
// errors; the C API turns a Status into a tessera_status plus last-error text.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_STATUS_H
#define TESSERA_RUNTIME_STATUS_H

#include <string>
#include <utility>

namespace tessera::runtime {

/// Success, or failure with a message meant for the user.
class [[nodiscard]] Status {
public:
  /// Returns a successful status.
  static Status success() { return Status(); }
  /// Returns a failed status carrying `message`.
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = std::move(message);
    return status;
  }

  bool ok() const { return !failed; }
  explicit operator bool() const { return ok(); }
  const std::string &message() const { return text; }

private:
  Status() = default;
  bool failed = false;
  std::string text;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_STATUS_H
