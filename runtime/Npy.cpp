//===- Npy.cpp - numpy .npy files -----------------------------------------===//
//
// Layout of a .npy file: the magic "\x93NUMPY", a major and a minor version
// byte, the header length (uint16 for 1.0, uint32 for 2.0/3.0, little
// endian), a header that is a Python dict literal such as
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and a final newline, then the raw data.
//
//===----------------------------------------------------------------------===//

#include "runtime/Npy.h"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

namespace tessera::runtime {

namespace {

/// The fields of a .npy header that matter.
struct NpyHeader {
  std::string descr;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
};

/// A recursive-descent parser for the Python dict literal in a .npy header.
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : text(text) {}

  /// Parses the whole header; returns an error message or "".
  std::string parse(NpyHeader &header) {
    bool sawDescr = false, sawOrder = false, sawShape = false;
    if (!consume('{'))
      return "header is not a dict";
    while (!consume('}')) {
      std::string key;
      if (!parseString(key) || !consume(':'))
        return "malformed header dict";
      if (key == "descr") {
        if (!parseString(header.descr))
          return "'descr' is not a simple dtype string (structured arrays "
                 "are not supported)";
        sawDescr = true;
      } else if (key == "fortran_order") {
        if (!parseBool(header.fortranOrder))
          return "'fortran_order' is not True or False";
        sawOrder = true;
      } else if (key == "shape") {
        if (!parseShape(header.shape))
          return "'shape' is not a tuple of non-negative integers";
        sawShape = true;
      } else {
        return "unexpected header key '" + key + "'";
      }
      if (!consume(',')) {
        if (!consume('}'))
          return "malformed header dict";
        break;
      }
    }
    skipSpace();
    if (pos != text.size())
      return "trailing characters after the header dict";
    if (!sawDescr || !sawOrder || !sawShape)
      return "header lacks one of 'descr', 'fortran_order', 'shape'";
    return "";
  }

private:
  void skipSpace() {
    while (pos < text.size() &&
           std::isspace(static_cast<unsigned char>(text[pos])))
      ++pos;
  }
  bool consume(char c) {
    skipSpace();
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool consumeWord(std::string_view word) {
    skipSpace();
    if (text.substr(pos, word.size()) != word)
      return false;
    pos += word.size();
    return true;
  }
  bool parseString(std::string &value) {
    skipSpace();
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string_view::npos)
      return false;
    value = std::string(text.substr(pos, end - pos));
    pos = end + 1;
    return true;
  }
  bool parseBool(bool &value) {
    if (consumeWord("True"))
      value = true;
    else if (consumeWord("False"))
      value = false;
    else
      return false;
    return true;
  }
  bool parseInteger(int64_t &value) {
    skipSpace();
    size_t start = pos;
    value = 0;
    while (pos < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (pos - start >= 18)
        return false;
      value = value * 10 + (text[pos++] - '0');
    }
    if (pos == start)
      return false;
    if (pos < text.size() && text[pos] == 'L') // Python 2 long suffix.
      ++pos;
    return true;
  }
  bool parseShape(std::vector<int64_t> &shape) {
    shape.clear();
    if (!consume('('))
      return false;
    while (!consume(')')) {
      int64_t dim;
      if (!parseInteger(dim))
        return false;
      shape.push_back(dim);
      if (!consume(','))
        return consume(')');
    }
    return true;
  }

  std::string_view text;
  size_t pos = 0;
};

} // namespace

static uint32_t readLittleEndian(const unsigned char *bytes, int count) {
  uint32_t value = 0;
  for (int i = count - 1; i >= 0; --i)
    value = (value << 8) | bytes[i];
  return value;
}

Status parseNpy(std::string_view bytes, std::string_view sourceName,
                HostTensor &tensor) {
  std::string prefix(sourceName);
  prefix += ": ";
  auto error = [&](const std::string &message) {
    return Status::error(prefix + message);
  };
  if (bytes.size() < 10 || bytes.substr(0, 6) != kNpyMagic)
    return error("not a .npy file (bad magic)");
  auto *raw = reinterpret_cast<const unsigned char *>(bytes.data());
  int major = raw[6], minor = raw[7];
  if (major < 1 || major > 3 || minor != 0)
    return error("unsupported .npy format version " + std::to_string(major) +
                 "." + std::to_string(minor));
  size_t preamble = major == 1 ? 10 : 12;
  if (bytes.size() < preamble)
    return error("truncated .npy header");
  size_t headerSize = readLittleEndian(raw + 8, major == 1 ? 2 : 4);
  if (bytes.size() - preamble < headerSize)
    return error("truncated .npy header");

  NpyHeader header;
  std::string headerError =
      HeaderParser(bytes.substr(preamble, headerSize)).parse(header);
  if (!headerError.empty())
    return error("invalid .npy header: " + headerError);
  if (header.fortranOrder)
    return error("Fortran-ordered arrays are not supported (save the array "
                 "with numpy.ascontiguousarray)");
  std::optional<DType> dtype = dtypeFromNpyDescr(header.descr);
  if (!dtype)
    return error("unsupported .npy dtype '" + header.descr +
                 "' (supported: little-endian bool, int, uint, float16/32/64)");

  int64_t numElements;
  if (!computeNumElements(header.shape, dtypeSize(*dtype), numElements))
    return error("array is too large");
  size_t dataSize = static_cast<size_t>(numElements) * dtypeSize(*dtype);
  size_t available = bytes.size() - preamble - headerSize;
  if (available != dataSize)
    return error("data size mismatch: header says " + std::to_string(dataSize) +
                 " bytes, file has " + std::to_string(available) +
                 " (truncated or corrupted file)");

  tensor.dtype = *dtype;
  tensor.shape = std::move(header.shape);
  if (!tensor.allocate())
    return error("out of memory");
  if (dataSize)
    std::memcpy(tensor.data(), bytes.data() + preamble + headerSize, dataSize);
  return Status::success();
}

Status readNpyFile(const std::string &path, HostTensor &tensor) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return Status::error("cannot open '" + path + "': " + std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(file)),
                    std::istreambuf_iterator<char>());
  if (file.bad())
    return Status::error("cannot read '" + path + "'");
  return parseNpy(bytes, path, tensor);
}

/// Formats a shape as a Python tuple: "()", "(3,)", "(2, 3)".
static std::string formatShapeTuple(const std::vector<int64_t> &shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i != 0)
      text += ", ";
    text += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    text += ',';
  return text + ")";
}

std::string serializeNpy(DType dtype, const std::vector<int64_t> &shape,
                         const void *data) {
  std::string dict =
      "{'descr': '" + std::string(dtypeNpyDescr(dtype)) +
      "', 'fortran_order': False, 'shape': " + formatShapeTuple(shape) + ", }";
  // Pad with spaces so that the data starts at a multiple of 64 bytes, as
  // numpy does; the header ends with '\n'.
  size_t preamble = 10;
  size_t total = preamble + dict.size() + 1;
  if (total + (64 - total % 64) % 64 - preamble > 0xffff) {
    preamble = 12;
    total = preamble + dict.size() + 1;
  }
  size_t padding = (64 - total % 64) % 64;
  std::string header = dict + std::string(padding, ' ') + '\n';

  std::string out(kNpyMagic);
  out += static_cast<char>(preamble == 10 ? 1 : 2);
  out += '\0';
  size_t headerSize = header.size();
  for (size_t i = 0; i < preamble - 8; ++i)
    out += static_cast<char>((headerSize >> (8 * i)) & 0xff);
  out += header;

  int64_t numElements = 1;
  for (int64_t dim : shape)
    numElements *= dim;
  size_t dataSize = static_cast<size_t>(numElements) * dtypeSize(dtype);
  if (dataSize)
    out.append(static_cast<const char *>(data), dataSize);
  return out;
}

Status writeNpyFile(const std::string &path, DType dtype,
                    const std::vector<int64_t> &shape, const void *data) {
  std::string bytes = serializeNpy(dtype, shape, data);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file)
    return Status::error("cannot create '" + path +
                         "': " + std::strerror(errno));
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file)
    return Status::error("cannot write '" + path + "'");
  return Status::success();
}

} // namespace tessera::runtime
