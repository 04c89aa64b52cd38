//===- Workload.h - What the cost model is asked about ----------*- C++ -*-===//
//
// Plain C++ descriptions of one kernel (a Workload: its loops, which of them
// reduce, which loops index each operand) and of one way to tile it
// (TileSizes, the same fields as lib/Target/CPU/TileConfig.h), plus the
// candidate space of tile sizes that the `model` and `tune` policies search.
// Nothing here includes MLIR: the compiler converts linalg ops into these
// structs (lib/Target/CPU/TileConfig.cpp), the tuner stores them as JSON.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_COST_MODEL_WORKLOAD_H
#define TESSERA_COST_MODEL_WORKLOAD_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tessera::costmodel {

/// The kind of kernel, as the CPU backend sees it after its rewrites
/// (convolutions are contractions after im2col; depthwise convolutions are
/// elementwise ops over windows).
enum class OpClass { Contraction, Depthwise, Elementwise, Reduction };

/// `contraction`, `depthwise`, `elementwise`, `reduction`.
const char *toString(OpClass opClass);
std::optional<OpClass> parseOpClass(const std::string &name);

/// One kernel: its iteration space and how operands are indexed.
struct Workload {
  OpClass opClass = OpClass::Elementwise;
  /// Extent of every loop of the iteration space.
  std::vector<int64_t> loopSizes;
  /// Whether each loop is a reduction.
  std::vector<bool> reductionLoops;
  /// For each operand (inputs, then the output last), the loops its
  /// indexing map reads; they decide the bytes a tile moves.
  std::vector<std::vector<unsigned>> operandLoops;
  /// Bytes of one element (4 for f32).
  int64_t elementBytes = 4;
  /// Loop roles of a contraction: m (rows of the output), n (the
  /// contiguous output dimension), k (the reduction); -1 when absent. For
  /// other classes `n` is the innermost loop and `m` the loop that parallel
  /// tiles split.
  int m = -1, n = -1, k = -1;
  /// The stride with which the inputs' windows step through their source
  /// along the output's spatial loops: 2 for a stride-2 decomposed depthwise
  /// convolution (its input windows are strided slices), 1 otherwise. It
  /// changes the kernel (strided loads, twice the input rows per output
  /// row), so it is part of the key; 1 adds nothing to the key, which keeps
  /// the keys of every unstrided workload as they were.
  int64_t inputStride = 1;

  /// Floating-point operations (2 per point for contractions, 1 otherwise).
  double flops() const;
  /// Product of all loop extents.
  double points() const;
  /// A stable text that identifies the workload (same kernel, same key).
  std::string key() const;
  std::string toJSON() const;
  static std::optional<Workload> fromJSON(const std::string &text,
                                          std::string *error = nullptr);
};

/// Tile sizes per level, one entry per loop (see lib/Target/CPU/TileConfig.h).
/// All vectors empty means "no tile config" (the op keeps its scalar
/// lowering, untiled).
struct TileSizes {
  std::vector<int64_t> parallel, reduction, vector, order;

  bool empty() const { return parallel.empty(); }
  bool operator==(const TileSizes &other) const;
  /// Compact text form, `p=64,256,0;r=0,0,256;v=8,32,1;o=1,0,2` (or `none`);
  /// also the key of a config in the tuning database.
  std::string toString() const;
  static std::optional<TileSizes> parse(const std::string &text);
};

/// How many vector registers a register tile of `rows` x `vectors`
/// accumulators needs beyond `registers`, counting the B vectors and a
/// broadcast beside the accumulators (0 when it fits: 8 x 2 needs 19 of
/// AVX2's 16 and spilled, 1.65x slower on SGEMM).
int64_t registerOverflow(int64_t rows, int64_t vectors, int64_t registers);

/// Whether a CPU with `vectorRegisters` vector registers takes the rules
/// measured with AVX2's 16 (register tiles of at most 6 rows of two vectors,
/// 6-row candidates, 4 k steps per micro-kernel iteration) rather than those
/// of AVX-512's 32. The heuristic (lib/Target/CPU/TileConfig.cpp) and the
/// candidates here both ask this one question.
bool hasFewVectorRegisters(int64_t vectorRegisters);

/// The register tile along a contraction's reduction loop, i.e. how many k
/// steps one iteration of the micro-kernel's loop takes (outer products
/// unrolled), for a reduction loop of `extent` steps inside a cache tile.
/// 4 with 16 vector registers: AVX2's 6 x 16 micro-kernel with one step per
/// iteration ran 4-15% slower (interleaved pairs, docs/perf.md); 1 with 32
/// (the AVX-512 kernel, not measured unrolled) and where `extent` < 4.
int64_t reductionRegisterTile(int64_t vectorRegisters, int64_t extent);

/// The candidate tile sizes of `workload` for a CPU with `vectorWidth` f32
/// lanes and `vectorRegisters` vector registers: register tiles that fit
/// the registers (4 or 8 rows with 32 registers; 4, 6 or 8 rows of one
/// vector and 4 or 6 of two with 16), cache tiles and parallel tiles built
/// from divisors of the loop extents (so tiles stay static; register rows
/// need not divide a parallel tile, tessera-tile-and-vectorize peels the
/// remainder), and both loop orders of the register tiles. Deterministic;
/// never empty for a contraction with static sizes. The heuristic's own
/// choice is added by the caller (it may lie outside this space).
std::vector<TileSizes> enumerateCandidates(const Workload &workload,
                                           int64_t vectorWidth,
                                           int64_t vectorRegisters);
/// The same with defaultVectorRegisters(vectorWidth) (HardwareProfile.h).
std::vector<TileSizes> enumerateCandidates(const Workload &workload,
                                           int64_t vectorWidth);

} // namespace tessera::costmodel

#endif // TESSERA_COST_MODEL_WORKLOAD_H
