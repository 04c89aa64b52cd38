//===- JSONWriter.h - The flat JSON objects of device profiles --*- C++ -*-===//
//
// Device profiles are flat JSON objects of strings, integers, booleans and
// integer triples; this writes them (with string escaping) without pulling
// a JSON library into the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_GPU_JSONWRITER_H
#define TESSERA_RUNTIME_GPU_JSONWRITER_H

#include <cstdint>
#include <cstdio>
#include <string>

namespace tessera::runtime {

class JSONWriter {
public:
  void string(const char *key, const std::string &value) {
    field(key);
    text += '"';
    for (unsigned char c : value) {
      if (c == '"' || c == '\\') {
        text += '\\';
        text += static_cast<char>(c);
      } else if (c < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
        text += escaped;
      } else {
        text += static_cast<char>(c);
      }
    }
    text += '"';
  }

  void integer(const char *key, uint64_t value) {
    field(key);
    text += std::to_string(value);
  }

  void boolean(const char *key, bool value) {
    field(key);
    text += value ? "true" : "false";
  }

  void triple(const char *key, const uint32_t value[3]) {
    field(key);
    text += "[" + std::to_string(value[0]) + ", " + std::to_string(value[1]) +
            ", " + std::to_string(value[2]) + "]";
  }

  std::string finish() { return (text.empty() ? "{" : text) + "}"; }

private:
  void field(const char *key) {
    text += text.empty() ? "{\"" : ", \"";
    text += key;
    text += "\": ";
  }

  std::string text;
};

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_GPU_JSONWRITER_H
