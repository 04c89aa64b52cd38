//===- Suites.cpp - Named workload suites of tessera-tune -----------------===//
//
// Each workload is generated as text so that it goes through the same
// import-free path as any Graph-dialect input of tessera-compile. Weights
// are function arguments: `tessera-run --random-inputs` fills them.
//
//===----------------------------------------------------------------------===//

#include "Suites.h"

#include <cstdint>
#include <random>
#include <set>

using namespace tessera::tune;

namespace {

std::string tensor(const std::vector<long> &dims) {
  std::string text = "tensor<";
  for (long d : dims)
    text += std::to_string(d) + "x";
  return text + "f32>";
}

std::string function(const std::vector<std::string> &args,
                     const std::string &body, const std::string &result) {
  std::string text = "func.func @main(";
  for (size_t i = 0; i < args.size(); ++i)
    text += (i ? ", %a" : "%a") + std::to_string(i) + ": " + args[i];
  return text + ") -> " + result + " {\n" + body + "  return %r : " + result +
         "\n}\n";
}

/// A 2-D convolution, NCHW, batch 1; `group` = channels for depthwise;
/// `bias`: a per-channel bias operand.
SuiteWorkload conv(const std::string &suite, long c, long h, long k, long r,
                   long stride, long pad, long group = 1, bool bias = false) {
  long out = (h + 2 * pad - r) / stride + 1;
  std::string in = tensor({1, c, h, h}), w = tensor({k, c / group, r, r}),
              b = tensor({k}), res = tensor({1, k, out, out});
  std::string p = std::to_string(pad), s = std::to_string(stride);
  std::string body = "  %r = tg.conv %a0, %a1" +
                     std::string(bias ? ", %a2" : "") +
                     " {dilations = array<i64: 1, 1>, "
                     "group = " +
                     std::to_string(group) + " : i64, pads = array<i64: " + p +
                     ", " + p + ", " + p + ", " + p +
                     ">, strides = array<i64: " + s + ", " + s + ">} : (" +
                     in + ", " + w + (bias ? ", " + b : "") + ") -> " + res +
                     "\n";
  std::string name = (group > 1 ? "dwconv_c" : "conv_c") + std::to_string(c) +
                     "_h" + std::to_string(h) +
                     (group > 1 ? "" : "_k" + std::to_string(k)) + "_r" +
                     std::to_string(r) + "_s" + std::to_string(stride);
  std::vector<std::string> args = {in, w};
  if (bias)
    args.push_back(b);
  return {name, suite, function(args, body, res)};
}

/// A 3x3 depthwise convolution with a bias, like those of MobileNetV2 once
/// their batch norms are folded: the bias is an operand of the decomposed
/// depthwise op, so without it the workload's key differed from the
/// models' and `--tile-policy=tune` never found these measurements.
SuiteWorkload depthwise(const std::string &suite, long c, long h, long stride) {
  return conv(suite, c, h, c, 3, stride, 1, c, /*bias=*/true);
}

/// `a` times `b` with their own ranks (a 3-D activation times a 2-D
/// weight, as the Transformer's projections are imported), named `name`.
SuiteWorkload matmulOf(const std::string &suite, const std::string &name,
                       const std::vector<long> &a, const std::vector<long> &b) {
  std::vector<long> r(a.begin(), a.end() - 1);
  r.push_back(b.back());
  std::string body = "  %r = tg.matmul %a0, %a1 : (" + tensor(a) + ", " +
                     tensor(b) + ") -> " + tensor(r) + "\n";
  return {name, suite, function({tensor(a), tensor(b)}, body, tensor(r))};
}

/// [batch x] M x K times [batch x] K x N.
SuiteWorkload matmul(const std::string &suite, long m, long k, long n,
                     long batch = 0) {
  std::vector<long> a = {m, k}, b = {k, n};
  if (batch) {
    a.insert(a.begin(), batch);
    b.insert(b.begin(), batch);
  }
  std::string name = "matmul_" + (batch ? "b" + std::to_string(batch) + "_" : "") +
                     std::to_string(m) + "x" + std::to_string(k) + "x" +
                     std::to_string(n);
  return matmulOf(suite, name, a, b);
}

SuiteWorkload maxPool(const std::string &suite, long c, long h, long r,
                      long stride, long pad) {
  long out = (h + 2 * pad - r) / stride + 1;
  std::string p = std::to_string(pad), s = std::to_string(stride),
              k = std::to_string(r);
  std::string body =
      "  %r = tg.max_pool %a0 {ceil_mode = false, dilations = array<i64: 1, "
      "1>, kernel_shape = array<i64: " +
      k + ", " + k + ">, pads = array<i64: " + p + ", " + p + ", " + p + ", " +
      p + ">, strides = array<i64: " + s + ", " + s + ">} : (" +
      tensor({1, c, h, h}) + ") -> " + tensor({1, c, out, out}) + "\n";
  return {"maxpool_c" + std::to_string(c) + "_h" + std::to_string(h), suite,
          function({tensor({1, c, h, h})}, body, tensor({1, c, out, out}))};
}

SuiteWorkload globalAvgPool(const std::string &suite, long c, long h) {
  std::string body = "  %r = tg.global_average_pool %a0 : (" +
                     tensor({1, c, h, h}) + ") -> " + tensor({1, c, 1, 1}) +
                     "\n";
  return {"gavgpool_c" + std::to_string(c) + "_h" + std::to_string(h), suite,
          function({tensor({1, c, h, h})}, body, tensor({1, c, 1, 1}))};
}

/// relu(a + b): the residual add of a ResNet block (fused into one op).
SuiteWorkload addRelu(const std::string &suite, std::vector<long> dims) {
  std::string t = tensor(dims);
  std::string body = "  %s = tg.add %a0, %a1 : (" + t + ", " + t + ") -> " +
                     t + "\n  %r = tg.relu %s : " + t + "\n";
  std::string name = "addrelu";
  for (long d : dims)
    name += "_" + std::to_string(d);
  return {name, suite, function({t, t}, body, t)};
}

// The model suites: every distinct convolution, depthwise convolution and
// pool of test/e2e/zoo.py's ONNX exports, in the order the models run
// them, so that `--tile-policy=tune` finds a measurement for each (the
// 1000-class Gemms are matmuls here: the compiler pads their constant
// weights, which argument weights do not get).
std::vector<SuiteWorkload> resnet18() {
  const std::string s = "resnet18";
  return {conv(s, 3, 224, 64, 7, 2, 3),
          maxPool(s, 64, 112, 3, 2, 1),
          conv(s, 64, 56, 64, 3, 1, 1),
          conv(s, 64, 56, 128, 3, 2, 1),
          conv(s, 128, 28, 128, 3, 1, 1),
          conv(s, 64, 56, 128, 1, 2, 0),
          conv(s, 128, 28, 256, 3, 2, 1),
          conv(s, 256, 14, 256, 3, 1, 1),
          conv(s, 128, 28, 256, 1, 2, 0),
          conv(s, 256, 14, 512, 3, 2, 1),
          conv(s, 512, 7, 512, 3, 1, 1),
          conv(s, 256, 14, 512, 1, 2, 0),
          globalAvgPool(s, 512, 7),
          matmul(s, 1, 512, 1000),
          addRelu(s, {1, 64, 56, 56}),
          addRelu(s, {1, 128, 28, 28}),
          addRelu(s, {1, 256, 14, 14}),
          addRelu(s, {1, 512, 7, 7})};
}

std::vector<SuiteWorkload> resnet50() {
  const std::string s = "resnet50";
  return {conv(s, 3, 224, 64, 7, 2, 3),
          maxPool(s, 64, 112, 3, 2, 1),
          conv(s, 64, 56, 64, 1, 1, 0),
          conv(s, 64, 56, 64, 3, 1, 1),
          conv(s, 64, 56, 256, 1, 1, 0),
          conv(s, 256, 56, 64, 1, 1, 0),
          conv(s, 256, 56, 128, 1, 1, 0),
          conv(s, 128, 56, 128, 3, 2, 1),
          conv(s, 128, 28, 512, 1, 1, 0),
          conv(s, 256, 56, 512, 1, 2, 0),
          conv(s, 512, 28, 128, 1, 1, 0),
          conv(s, 128, 28, 128, 3, 1, 1),
          conv(s, 512, 28, 256, 1, 1, 0),
          conv(s, 256, 28, 256, 3, 2, 1),
          conv(s, 256, 14, 1024, 1, 1, 0),
          conv(s, 512, 28, 1024, 1, 2, 0),
          conv(s, 1024, 14, 256, 1, 1, 0),
          conv(s, 256, 14, 256, 3, 1, 1),
          conv(s, 1024, 14, 512, 1, 1, 0),
          conv(s, 512, 14, 512, 3, 2, 1),
          conv(s, 512, 7, 2048, 1, 1, 0),
          conv(s, 1024, 14, 2048, 1, 2, 0),
          conv(s, 2048, 7, 512, 1, 1, 0),
          conv(s, 512, 7, 512, 3, 1, 1),
          globalAvgPool(s, 2048, 7),
          matmul(s, 1, 2048, 1000),
          addRelu(s, {1, 256, 56, 56}),
          addRelu(s, {1, 512, 28, 28}),
          addRelu(s, {1, 1024, 14, 14}),
          addRelu(s, {1, 2048, 7, 7})};
}

std::vector<SuiteWorkload> mobilenetV2() {
  const std::string s = "mobilenet_v2";
  return {conv(s, 3, 224, 32, 3, 2, 1),
          depthwise(s, 32, 112, 1),
          conv(s, 32, 112, 16, 1, 1, 0),
          conv(s, 16, 112, 96, 1, 1, 0),
          depthwise(s, 96, 112, 2),
          conv(s, 96, 56, 24, 1, 1, 0),
          conv(s, 24, 56, 144, 1, 1, 0),
          depthwise(s, 144, 56, 1),
          conv(s, 144, 56, 24, 1, 1, 0),
          depthwise(s, 144, 56, 2),
          conv(s, 144, 28, 32, 1, 1, 0),
          conv(s, 32, 28, 192, 1, 1, 0),
          depthwise(s, 192, 28, 1),
          conv(s, 192, 28, 32, 1, 1, 0),
          depthwise(s, 192, 28, 2),
          conv(s, 192, 14, 64, 1, 1, 0),
          conv(s, 64, 14, 384, 1, 1, 0),
          depthwise(s, 384, 14, 1),
          conv(s, 384, 14, 64, 1, 1, 0),
          conv(s, 384, 14, 96, 1, 1, 0),
          conv(s, 96, 14, 576, 1, 1, 0),
          depthwise(s, 576, 14, 1),
          conv(s, 576, 14, 96, 1, 1, 0),
          depthwise(s, 576, 14, 2),
          conv(s, 576, 7, 160, 1, 1, 0),
          conv(s, 160, 7, 960, 1, 1, 0),
          depthwise(s, 960, 7, 1),
          conv(s, 960, 7, 160, 1, 1, 0),
          conv(s, 960, 7, 320, 1, 1, 0),
          conv(s, 320, 7, 1280, 1, 1, 0),
          globalAvgPool(s, 1280, 7),
          matmul(s, 1, 1280, 1000),
          addRelu(s, {1, 24, 56, 56})};
}

std::vector<SuiteWorkload> squeezenet() {
  const std::string s = "squeezenet1_1";
  return {conv(s, 3, 224, 64, 3, 2, 0),
          maxPool(s, 64, 111, 3, 2, 0),
          conv(s, 64, 55, 16, 1, 1, 0),
          conv(s, 16, 55, 64, 1, 1, 0),
          conv(s, 16, 55, 64, 3, 1, 1),
          conv(s, 128, 55, 16, 1, 1, 0),
          maxPool(s, 128, 55, 3, 2, 0),
          conv(s, 128, 27, 32, 1, 1, 0),
          conv(s, 32, 27, 128, 1, 1, 0),
          conv(s, 32, 27, 128, 3, 1, 1),
          conv(s, 256, 27, 32, 1, 1, 0),
          maxPool(s, 256, 27, 3, 2, 0),
          conv(s, 256, 13, 48, 1, 1, 0),
          conv(s, 48, 13, 192, 1, 1, 0),
          conv(s, 48, 13, 192, 3, 1, 1),
          conv(s, 384, 13, 48, 1, 1, 0),
          conv(s, 384, 13, 64, 1, 1, 0),
          conv(s, 64, 13, 256, 1, 1, 0),
          conv(s, 64, 13, 256, 3, 1, 1),
          conv(s, 512, 13, 64, 1, 1, 0),
          conv(s, 512, 13, 1000, 1, 1, 0),
          globalAvgPool(s, 1000, 13)};
}

std::vector<SuiteWorkload> transformer() {
  // test/e2e/zoo.py's encoder: 128 tokens, d = 128, 2 heads of 64, a
  // feed-forward of 512, 10 classes.
  const std::string s = "transformer";
  return {matmulOf(s, "matmul_qkv_128x128x384", {128, 1, 128}, {128, 384}),
          matmul(s, 128, 64, 128, 2),
          matmul(s, 128, 128, 64, 2),
          matmul(s, 128, 128, 128),
          matmulOf(s, "matmul_ff1_128x128x512", {1, 128, 128}, {128, 512}),
          matmulOf(s, "matmul_ff2_128x512x128", {1, 128, 512}, {512, 128}),
          matmul(s, 1, 128, 10),
          addRelu(s, {1, 128, 128}),
          addRelu(s, {1, 128, 512})};
}

std::vector<SuiteWorkload> smoke() {
  const std::string s = "smoke";
  return {matmul(s, 32, 64, 64), addRelu(s, {1, 16, 32, 32}),
          conv(s, 8, 16, 32, 3, 1, 1)};
}

/// The five benchmark models' workloads, without duplicates.
std::vector<SuiteWorkload> models() {
  std::vector<SuiteWorkload> all;
  std::set<std::string> seen;
  for (const auto &list :
       {resnet18(), resnet50(), mobilenetV2(), squeezenet(), transformer()})
    for (const SuiteWorkload &w : list)
      if (seen.insert(w.name).second)
        all.push_back(w);
  return all;
}

//===----------------------------------------------------------------------===//
// The generated suite
//===----------------------------------------------------------------------===//

/// Draws from std::mt19937, whose output the standard fixes; the
/// distributions of <random> are not portable, so picks are modulo draws
/// (their small bias does not matter here).
class Draw {
public:
  explicit Draw(unsigned seed) : engine(seed) {}
  long below(long n) { return static_cast<long>(engine() % n); }
  bool chance(unsigned percent) { return below(100) < percent; }
  long of(const std::vector<long> &values) {
    return values[below(values.size())];
  }

private:
  std::mt19937 engine;
};

/// Kernels above this many flops (or elementwise points x 100) are not
/// drawn: every workload is measured --trials times, each with repeats.
constexpr double kMaxFlops = 4e8;

double convFlops(long c, long h, long k, long r, long stride, long group) {
  long out = (h + 2 * (r / 2) - r) / stride + 1;
  return 2.0 * out * out * k * (c / group) * r * r;
}

/// One workload of a family picked by weight, or std::nullopt when the
/// draw is too large (the caller draws again).
std::optional<SuiteWorkload> drawWorkload(Draw &draw) {
  const std::string s = "generated";
  // Channel counts of ResNet, MobileNetV2, SqueezeNet and their neighbours.
  const std::vector<long> channels = {16,  24,  32,  48,  64,  96,  128,
                                      144, 160, 192, 256, 320, 384, 512};
  const std::vector<long> wideChannels = {64,  96,  128, 256, 384,  512,
                                          576, 960, 1024, 1280, 2048};
  const std::vector<long> spatial = {7, 13, 14, 27, 28, 55, 56};
  // Hidden sizes of transformer encoders (BERT-like, ViT-like) and MLPs.
  const std::vector<long> hidden = {64,  128, 256,  384,  512,
                                    768, 1024, 1536, 2048, 3072};
  long pick = draw.below(100);
  if (pick < 22) { // 3x3 convolution
    long c = draw.of(channels), k = draw.of(channels), h = draw.of(spatial);
    long stride = draw.chance(25) ? 2 : 1;
    if (convFlops(c, h, k, 3, stride, 1) > kMaxFlops)
      return std::nullopt;
    return conv(s, c, h, k, 3, stride, 1);
  }
  if (pick < 44) { // 1x1 convolution (ResNet-50 bottleneck, MobileNet)
    bool wide = draw.chance(40);
    long c = wide ? draw.of(wideChannels) : draw.of(channels);
    long k = draw.chance(50) ? draw.of(wideChannels) : draw.of(channels);
    long h = draw.chance(10) ? 112 : draw.of(spatial);
    long stride = draw.chance(15) ? 2 : 1;
    if (convFlops(c, h, k, 1, stride, 1) > kMaxFlops)
      return std::nullopt;
    return conv(s, c, h, k, 1, stride, 0);
  }
  if (pick < 48) { // stem: 3 input channels, stride 2, 3x3 or 7x7
    long h = draw.of({96, 112, 128, 160, 192, 224});
    long k = draw.of({16, 24, 32, 48, 64});
    long r = draw.chance(50) ? 7 : 3;
    if (convFlops(3, h, k, r, 2, 1) > kMaxFlops)
      return std::nullopt;
    return conv(s, 3, h, k, r, 2, r / 2);
  }
  if (pick < 60) { // depthwise 3x3
    long c = draw.of({16, 32, 64, 96, 144, 192, 240, 384, 480, 576, 672, 960});
    long h = draw.of({7, 14, 28, 56, 112});
    long stride = draw.chance(30) ? 2 : 1;
    if (convFlops(c, h, c, 3, stride, c) * 20 > kMaxFlops)
      return std::nullopt;
    return depthwise(s, c, h, stride);
  }
  if (pick < 66) { // fully connected classifier or MLP layer, batch 1
    long k = draw.of({256, 512, 768, 1024, 1280, 1536, 2048, 4096});
    long n = draw.of({10, 100, 128, 256, 512, 1000, 1024});
    return matmul(s, 1, k, n);
  }
  if (pick < 78) { // transformer projections: tokens x hidden x hidden
    long m = draw.of({16, 32, 49, 64, 128, 196, 197, 256});
    long k = draw.of(hidden), n = draw.of(hidden);
    if (2.0 * m * k * n > kMaxFlops)
      return std::nullopt;
    return matmul(s, m, k, n);
  }
  if (pick < 84) { // attention: Q K^T or softmax(Q K^T) V per head
    long heads = draw.of({4, 6, 8, 12, 16});
    long tokens = draw.of({32, 49, 64, 128, 196, 256});
    long dim = draw.of({32, 64, 96});
    bool scores = draw.chance(50);
    long k = scores ? dim : tokens, n = scores ? tokens : dim;
    if (2.0 * heads * tokens * k * n > kMaxFlops)
      return std::nullopt;
    return matmul(s, tokens, k, n, heads);
  }
  if (pick < 88) { // 3x3 stride-2 max pool
    long c = draw.of({16, 24, 32, 64, 96, 128, 256});
    long h = draw.of({28, 55, 56, 111, 112});
    if (100.0 * c * h * h > kMaxFlops)
      return std::nullopt;
    return maxPool(s, c, h, 3, 2, 1);
  }
  if (pick < 92) { // global average pool before a classifier
    long c = draw.of({128, 256, 512, 576, 960, 1000, 1024, 1280, 2048});
    long h = draw.of({7, 13, 14, 28});
    return globalAvgPool(s, c, h);
  }
  // residual add + relu, NCHW or tokens x hidden
  if (draw.chance(60)) {
    long c = draw.of(wideChannels), h = draw.of({7, 14, 28, 56, 112});
    if (100.0 * c * h * h > kMaxFlops)
      return std::nullopt;
    return addRelu(s, {1, c, h, h});
  }
  return addRelu(s, {draw.of({32, 64, 128, 196, 256}), draw.of(hidden)});
}

} // namespace

std::vector<SuiteWorkload>
tessera::tune::getGeneratedSuite(const GeneratedSuiteOptions &options) {
  // Names of the models' own workloads are skipped: the generated suite
  // adds shapes around them, and held-out evaluation on a model stays
  // about shapes the model has not seen.
  std::set<std::string> seen;
  for (const SuiteWorkload &w : models())
    seen.insert(w.name);
  Draw draw(options.seed);
  std::vector<SuiteWorkload> suite;
  // The shape space holds thousands of distinct workloads; the bound on
  // draws only keeps an absurd --suite-size from looping for ever.
  for (unsigned tries = 0; suite.size() < options.size && tries < 1000000;
       ++tries)
    if (std::optional<SuiteWorkload> w = drawWorkload(draw))
      if (seen.insert(w->name).second)
        suite.push_back(std::move(*w));
  return suite;
}

std::vector<std::string> tessera::tune::getSuiteNames() {
  return {"resnet18", "resnet50",    "mobilenet_v2", "squeezenet1_1",
          "transformer", "smoke", "all", "generated"};
}

std::optional<std::vector<SuiteWorkload>>
tessera::tune::getSuite(const std::string &suite,
                        const GeneratedSuiteOptions &generated) {
  if (suite == "resnet18")
    return resnet18();
  if (suite == "resnet50")
    return resnet50();
  if (suite == "mobilenet_v2")
    return mobilenetV2();
  if (suite == "squeezenet1_1")
    return squeezenet();
  if (suite == "transformer")
    return transformer();
  if (suite == "smoke")
    return smoke();
  if (suite == "all")
    return models();
  if (suite == "generated")
    return getGeneratedSuite(generated);
  return std::nullopt;
}
