//===- Workload.cpp - Workloads, tile sizes and the candidate space -------===//
//
// Serialization of workloads and tile sizes (JSON and a compact text form
// that keys the tuning database) and the candidate space. The candidates
// follow the structure of the CPU heuristic (lib/Target/CPU/TileConfig.cpp):
// divisors of the loop extents at each level, so that every candidate is
// something tessera-tile-and-vectorize handles, with several choices per
// level where the heuristic has one.
//
//===----------------------------------------------------------------------===//

#include "cost-model/Workload.h"
#include "cost-model/HardwareProfile.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <sstream>

using namespace tessera::costmodel;
namespace json = llvm::json;

const char *tessera::costmodel::toString(OpClass opClass) {
  switch (opClass) {
  case OpClass::Contraction:
    return "contraction";
  case OpClass::Depthwise:
    return "depthwise";
  case OpClass::Elementwise:
    return "elementwise";
  case OpClass::Reduction:
    return "reduction";
  }
  return "elementwise";
}

std::optional<OpClass> tessera::costmodel::parseOpClass(const std::string &name) {
  for (OpClass c : {OpClass::Contraction, OpClass::Depthwise,
                    OpClass::Elementwise, OpClass::Reduction})
    if (name == toString(c))
      return c;
  return std::nullopt;
}

double Workload::points() const {
  double points = 1;
  for (int64_t size : loopSizes)
    points *= static_cast<double>(size);
  return points;
}

double Workload::flops() const {
  return points() * (opClass == OpClass::Contraction ? 2.0 : 1.0);
}

static std::string joinInts(const std::vector<int64_t> &values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i)
    text += (i ? "," : "") + std::to_string(values[i]);
  return text;
}

std::string Workload::key() const {
  // Everything that changes the kernel, in a fixed order.
  std::string key = std::string(toString(opClass)) + ":" + joinInts(loopSizes);
  key += ":r=";
  for (bool r : reductionLoops)
    key += r ? '1' : '0';
  for (const std::vector<unsigned> &loops : operandLoops) {
    key += ":";
    for (unsigned loop : loops)
      key += std::to_string(loop) + ".";
  }
  key += ":e" + std::to_string(elementBytes) + ":m" + std::to_string(m) +
         "n" + std::to_string(n) + "k" + std::to_string(k);
  if (inputStride != 1)
    key += ":s" + std::to_string(inputStride);
  return key;
}

std::string Workload::toJSON() const {
  json::Array operands;
  for (const std::vector<unsigned> &loops : operandLoops)
    operands.push_back(json::Array(loops));
  json::Array reductions;
  for (bool r : reductionLoops)
    reductions.push_back(r);
  json::Object object{{"op_class", toString(opClass)},
                      {"loops", json::Array(loopSizes)},
                      {"reduction", std::move(reductions)},
                      {"operands", std::move(operands)},
                      {"element_bytes", elementBytes},
                      {"m", m},
                      {"n", n},
                      {"k", k}};
  if (inputStride != 1)
    object["input_stride"] = inputStride;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << json::Value(std::move(object));
  return text;
}

std::optional<Workload> Workload::fromJSON(const std::string &text,
                                           std::string *error) {
  auto fail = [&](const std::string &why) -> std::optional<Workload> {
    if (error)
      *error = "bad workload JSON: " + why;
    return std::nullopt;
  };
  llvm::Expected<json::Value> value = json::parse(text);
  if (!value)
    return fail(llvm::toString(value.takeError()));
  const json::Object *object = value->getAsObject();
  if (!object)
    return fail("not an object");
  Workload w;
  std::optional<llvm::StringRef> cls = object->getString("op_class");
  std::optional<OpClass> opClass =
      cls ? parseOpClass(cls->str()) : std::nullopt;
  if (!opClass)
    return fail("missing or unknown op_class");
  w.opClass = *opClass;
  const json::Array *loops = object->getArray("loops");
  const json::Array *reductions = object->getArray("reduction");
  const json::Array *operands = object->getArray("operands");
  if (!loops || !reductions || !operands || loops->size() != reductions->size())
    return fail("loops, reduction and operands are required");
  for (const json::Value &v : *loops) {
    std::optional<int64_t> size = v.getAsInteger();
    if (!size || *size <= 0)
      return fail("loop sizes must be positive integers");
    w.loopSizes.push_back(*size);
  }
  for (const json::Value &v : *reductions)
    w.reductionLoops.push_back(v.getAsBoolean().value_or(false));
  for (const json::Value &v : *operands) {
    const json::Array *list = v.getAsArray();
    if (!list)
      return fail("operands must be lists of loops");
    std::vector<unsigned> indices;
    for (const json::Value &loop : *list) {
      std::optional<int64_t> index = loop.getAsInteger();
      if (!index || *index < 0 ||
          *index >= static_cast<int64_t>(w.loopSizes.size()))
        return fail("operand loop out of range");
      indices.push_back(static_cast<unsigned>(*index));
    }
    w.operandLoops.push_back(std::move(indices));
  }
  w.elementBytes = object->getInteger("element_bytes").value_or(4);
  auto role = [&](const char *name) -> int {
    int64_t r = object->getInteger(name).value_or(-1);
    return r < static_cast<int64_t>(w.loopSizes.size()) ? static_cast<int>(r)
                                                        : -1;
  };
  w.m = role("m");
  w.n = role("n");
  w.k = role("k");
  w.inputStride = object->getInteger("input_stride").value_or(1);
  if (w.inputStride <= 0)
    return fail("input_stride must be positive");
  return w;
}

bool TileSizes::operator==(const TileSizes &other) const {
  return parallel == other.parallel && reduction == other.reduction &&
         vector == other.vector && order == other.order;
}

std::string TileSizes::toString() const {
  if (empty())
    return "none";
  std::string text = "p=" + joinInts(parallel) + ";r=" + joinInts(reduction) +
                     ";v=" + joinInts(vector);
  if (!order.empty())
    text += ";o=" + joinInts(order);
  return text;
}

std::optional<TileSizes> TileSizes::parse(const std::string &text) {
  TileSizes sizes;
  if (text == "none")
    return sizes;
  std::stringstream fields(text);
  std::string field;
  while (std::getline(fields, field, ';')) {
    if (field.size() < 2 || field[1] != '=')
      return std::nullopt;
    std::vector<int64_t> *target = nullptr;
    switch (field[0]) {
    case 'p': target = &sizes.parallel; break;
    case 'r': target = &sizes.reduction; break;
    case 'v': target = &sizes.vector; break;
    case 'o': target = &sizes.order; break;
    default: return std::nullopt;
    }
    std::stringstream values(field.substr(2));
    std::string value;
    while (std::getline(values, value, ',')) {
      char *end = nullptr;
      long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < 0)
        return std::nullopt;
      target->push_back(v);
    }
  }
  size_t loops = sizes.parallel.size();
  if (loops == 0 || sizes.reduction.size() != loops ||
      sizes.vector.size() != loops ||
      (!sizes.order.empty() && sizes.order.size() != loops))
    return std::nullopt;
  return sizes;
}

//===----------------------------------------------------------------------===//
// Candidate space
//===----------------------------------------------------------------------===//

/// The largest divisor of `n` that is at most `limit` and a multiple of
/// `multipleOf`, or 0 if there is none.
static int64_t largestDivisor(int64_t n, int64_t limit, int64_t multipleOf) {
  for (int64_t d = std::min(n, limit); d >= 1; --d)
    if (n % d == 0 && d % multipleOf == 0)
      return d;
  return 0;
}

static void addUnique(std::vector<int64_t> &values, int64_t value) {
  if (value > 0 && std::find(values.begin(), values.end(), value) ==
                       values.end())
    values.push_back(value);
}

static void addUnique(std::vector<TileSizes> &values, TileSizes value) {
  if (std::find(values.begin(), values.end(), value) == values.end())
    values.push_back(std::move(value));
}

/// Parallel tiles of the rows: multiples of 8 that divide M, else what the
/// heuristic falls back to.
static std::vector<int64_t> rowTiles(int64_t sizeM) {
  std::vector<int64_t> tiles;
  for (int64_t t : {8, 16, 32, 64, 128})
    if (t <= sizeM && sizeM % t == 0)
      addUnique(tiles, t);
  if (tiles.empty())
    addUnique(tiles, sizeM <= 64 ? sizeM : largestDivisor(sizeM, 64, 1));
  return tiles;
}

/// Parallel tiles of the contiguous dimension: multiples of the vector
/// width that divide N, else the heuristic's fallback.
static std::vector<int64_t> columnTiles(int64_t sizeN, int64_t width) {
  std::vector<int64_t> tiles;
  for (int64_t factor : {1, 2, 4, 8, 16})
    if (factor * width <= sizeN && sizeN % (factor * width) == 0)
      addUnique(tiles, factor * width);
  if (tiles.empty())
    addUnique(tiles, sizeN <= 32 * width ? sizeN
                                         : largestDivisor(sizeN, 16 * width, 1));
  return tiles;
}

bool tessera::costmodel::hasFewVectorRegisters(int64_t vectorRegisters) {
  return vectorRegisters < 32;
}

int64_t tessera::costmodel::reductionRegisterTile(int64_t vectorRegisters,
                                                 int64_t extent) {
  constexpr int64_t kAvx2Unroll = 4;
  return hasFewVectorRegisters(vectorRegisters) && extent >= kAvx2Unroll
             ? kAvx2Unroll
             : 1;
}

int64_t tessera::costmodel::registerOverflow(int64_t rows, int64_t vectors,
                                            int64_t registers) {
  return std::max<int64_t>(0, rows * vectors + vectors + 1 - registers);
}

static std::vector<TileSizes> contractionCandidates(const Workload &w,
                                                    int64_t width,
                                                    int64_t registers) {
  std::vector<TileSizes> candidates;
  size_t numLoops = w.loopSizes.size();
  if (w.n < 0 || w.k < 0)
    return candidates;
  int64_t sizeM = w.m >= 0 ? w.loopSizes[w.m] : 1;
  int64_t sizeN = w.loopSizes[w.n], sizeK = w.loopSizes[w.k];
  std::vector<int64_t> kTiles = {0};
  for (int64_t t : {64, 128, 256, 512})
    if (t < sizeK && sizeK % t == 0)
      addUnique(kTiles, t);
  for (int64_t tileM : rowTiles(sizeM)) {
    std::vector<int64_t> rows;
    if (w.m >= 0) {
      for (int64_t r : {4, 8})
        if (r <= tileM && tileM % r == 0)
          addUnique(rows, r);
      // With 16 registers, 6 rows (6 x 2 vectors: 12 accumulators, BLIS's
      // Haswell kernel) even where 6 does not divide the parallel tile: the
      // remainder rows are peeled (64 = 10 x 6 + 4 was ~5% faster than 16 x 4
      // on SGEMM 1024^3).
      if (hasFewVectorRegisters(registers) && tileM >= 12)
        addUnique(rows, 6);
      if (rows.empty()) {
        int64_t d = largestDivisor(tileM, 8, 1);
        addUnique(rows, d >= 4 ? d : std::min<int64_t>(8, tileM));
      }
    } else {
      rows.push_back(1);
    }
    for (int64_t tileN : columnTiles(sizeN, width)) {
      std::vector<int64_t> cols;
      if (tileN <= 2 * width) {
        cols.push_back(tileN);
      } else {
        for (int64_t c : {width, 2 * width})
          if (tileN % c == 0)
            addUnique(cols, c);
        if (cols.empty())
          cols.push_back(2 * width);
      }
      for (int64_t tileK : kTiles)
        for (int64_t vm : rows)
          for (int64_t vn : cols)
            for (bool nMajor : {true, false}) {
              int64_t vectors = (vn + width - 1) / width;
              if (vm > 4 && registerOverflow(vm, vectors, registers) > 0)
                continue;
              if (!nMajor && w.m < 0)
                continue;
              TileSizes t;
              t.parallel.assign(numLoops, 0);
              t.reduction.assign(numLoops, 0);
              t.vector.assign(numLoops, 0);
              for (size_t loop = 0; loop < numLoops; ++loop) {
                if (static_cast<int>(loop) == w.m ||
                    static_cast<int>(loop) == w.n ||
                    static_cast<int>(loop) == w.k)
                  continue;
                t.parallel[loop] = 1;
                t.vector[loop] = 1;
                t.order.push_back(loop);
              }
              if (w.m >= 0) {
                t.parallel[w.m] = tileM;
                t.vector[w.m] = vm;
              }
              t.parallel[w.n] = tileN;
              t.vector[w.n] = vn;
              t.reduction[w.k] = tileK;
              t.vector[w.k] =
                  reductionRegisterTile(registers, tileK ? tileK : sizeK);
              if (nMajor) {
                t.order.push_back(w.n);
                if (w.m >= 0)
                  t.order.push_back(w.m);
              } else {
                t.order.push_back(w.m);
                t.order.push_back(w.n);
              }
              t.order.push_back(w.k);
              addUnique(candidates, std::move(t));
            }
    }
  }
  return candidates;
}

/// Ops without register tiles: parallel tiles along one loop, from 2 to 64
/// tiles, or no tiling at all.
static std::vector<TileSizes> parallelCandidates(const Workload &w) {
  std::vector<TileSizes> candidates = {TileSizes()};
  if (w.m < 0)
    return candidates;
  int64_t size = w.loopSizes[w.m];
  for (int64_t tiles : {2, 4, 8, 16, 32, 64}) {
    int64_t tile = largestDivisor(size, std::max<int64_t>(1, size / tiles), 1);
    if (tile <= 0 || tile == size)
      continue;
    TileSizes t;
    t.parallel.assign(w.loopSizes.size(), 0);
    t.reduction.assign(w.loopSizes.size(), 0);
    t.vector.assign(w.loopSizes.size(), 0);
    t.parallel[w.m] = tile;
    addUnique(candidates, std::move(t));
  }
  return candidates;
}

/// Decomposed depthwise convolutions (loops n, c, oh, ow): channel tiles
/// for the thread pool and a register tile along `ow`.
static std::vector<TileSizes> depthwiseCandidates(const Workload &w,
                                                  int64_t width) {
  std::vector<TileSizes> candidates;
  if (w.loopSizes.size() != 4)
    return candidates;
  int64_t channels = w.loopSizes[1], row = w.loopSizes[3];
  std::vector<int64_t> rowTiles;
  if (row <= 2 * width)
    addUnique(rowTiles, row);
  for (int64_t r : {width / 2, width, 2 * width})
    if (r < row)
      addUnique(rowTiles, r);
  std::vector<int64_t> channelTiles;
  for (int64_t tiles : {1, 2, 4, 8, 16, 32, 64})
    addUnique(channelTiles,
              largestDivisor(channels, std::max<int64_t>(1, channels / tiles),
                             1));
  for (int64_t c : channelTiles)
    for (int64_t r : rowTiles) {
      TileSizes t;
      t.parallel = {1, c, 0, 0};
      t.reduction = {0, 0, 0, 0};
      t.vector = {1, 1, 1, r};
      addUnique(candidates, std::move(t));
    }
  return candidates;
}

std::vector<TileSizes>
tessera::costmodel::enumerateCandidates(const Workload &workload,
                                        int64_t vectorWidth) {
  return enumerateCandidates(workload, vectorWidth,
                             defaultVectorRegisters(vectorWidth));
}

std::vector<TileSizes>
tessera::costmodel::enumerateCandidates(const Workload &workload,
                                        int64_t vectorWidth,
                                        int64_t vectorRegisters) {
  switch (workload.opClass) {
  case OpClass::Contraction:
    return contractionCandidates(workload, vectorWidth, vectorRegisters);
  case OpClass::Depthwise:
    return depthwiseCandidates(workload, vectorWidth);
  case OpClass::Elementwise:
  case OpClass::Reduction:
    return parallelCandidates(workload);
  }
  return {};
}
