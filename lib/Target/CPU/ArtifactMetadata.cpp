//===- ArtifactMetadata.cpp - Metadata text of a CPU artifact -------------===//
//
// Writes the metadata text (see include/tessera-c/Artifact.h) from the
// tensor-level model function, while names, dtypes and shapes are known.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Artifact.h"

#include "tessera-c/Artifact.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {

/// ONNX-style dtype name of a builtin element type.
std::optional<StringRef> dtypeName(Type type) {
  if (type.isF32())
    return StringRef("float32");
  if (type.isF64())
    return StringRef("float64");
  if (type.isF16())
    return StringRef("float16");
  if (type.isInteger(1))
    return StringRef("bool");
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return std::nullopt;
    static const char *signedNames[] = {"int8", "int16", "int32", "int64"};
    static const char *unsignedNames[] = {"uint8", "uint16", "uint32",
                                          "uint64"};
    unsigned index = llvm::Log2_32(width) - 3;
    return StringRef(integer.isUnsigned() ? unsignedNames[index]
                                          : signedNames[index]);
  }
  return std::nullopt;
}

/// Percent-encodes every byte outside [A-Za-z0-9_.:/-].
std::string encodeName(StringRef name) {
  std::string out;
  for (unsigned char c : name) {
    if (llvm::isAlnum(c) || StringRef("_.:/-").contains(c)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(llvm::hexdigit(c >> 4, /*LowerCase=*/false));
      out.push_back(llvm::hexdigit(c & 15, /*LowerCase=*/false));
    }
  }
  return out;
}

LogicalResult writeRecord(func::FuncOp func, llvm::raw_ostream &os,
                          StringRef kind, StringRef name, Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return func.emitError("model ") << kind << " '" << name
                                    << "' is not a ranked tensor: " << type;
  if (!tensor.hasStaticShape())
    return func.emitError("model ")
           << kind << " '" << name << "' has a dynamic shape " << type
           << "; fix it with --shape " << name << "=DIMS";
  std::optional<StringRef> dtype = dtypeName(tensor.getElementType());
  if (!dtype)
    return func.emitError("model ") << kind << " '" << name
                                    << "' has an unsupported element type "
                                    << tensor.getElementType();
  os << kind << ' ' << encodeName(name) << ' ' << *dtype << ' ';
  if (tensor.getRank() == 0)
    os << "scalar";
  else
    llvm::interleave(tensor.getShape(), os, "x");
  os << '\n';
  return success();
}

std::string nameAt(ArrayAttr names, unsigned i, StringRef fallback) {
  if (names && i < names.size())
    if (auto name = dyn_cast<StringAttr>(names[i]))
      return name.str();
  return (fallback + Twine(i)).str();
}

} // namespace

LogicalResult tessera::cpu::prepareArtifactEntry(func::FuncOp func,
                                                 StringRef targetLine) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "tessera-artifact " << TESSERA_ARTIFACT_ABI_VERSION << '\n';
  os << targetLine << '\n';
  auto inputNames = func->getAttrOfType<ArrayAttr>("tessera.input_names");
  auto outputNames = func->getAttrOfType<ArrayAttr>("tessera.output_names");
  FunctionType type = func.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    if (failed(writeRecord(func, os, "input", nameAt(inputNames, i, "input"),
                           t)))
      return failure();
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    if (failed(writeRecord(func, os, "output",
                           nameAt(outputNames, i, "output"), t)))
      return failure();
  func->setAttr(kArtifactMetadataAttr, StringAttr::get(func.getContext(), text));
  // Inputs are the caller's buffers: bufferization must copy before writing.
  auto readOnly = BoolAttr::get(func.getContext(), false);
  for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
    func.setArgAttr(i, "bufferization.writable", readOnly);
  return success();
}
