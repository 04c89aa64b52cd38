//===- Float16.h - IEEE half precision conversions --------------*- C++ -*-===//
//
// Bit-exact conversions between IEEE 754 binary16 (stored as uint16_t) and
// float, for tools that print or generate float16 tensors. Header-only.
//
//===----------------------------------------------------------------------===//

#ifndef TESSERA_RUNTIME_FLOAT16_H
#define TESSERA_RUNTIME_FLOAT16_H

#include <cstdint>
#include <cstring>

namespace tessera::runtime {

/// Converts binary16 bits to float (exact).
inline float halfToFloat(uint16_t half) {
  uint32_t sign = static_cast<uint32_t>(half & 0x8000) << 16;
  uint32_t exponent = (half >> 10) & 0x1f;
  uint32_t mantissa = half & 0x3ff;
  uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000 | (mantissa << 13); // Inf or NaN.
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign; // Signed zero.
  } else {
    // Subnormal: normalize.
    int shift = 0;
    while ((mantissa & 0x400) == 0) {
      mantissa <<= 1;
      ++shift;
    }
    mantissa &= 0x3ff;
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | (mantissa << 13);
  }
  float result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

/// Converts float to binary16 bits, rounding to nearest even.
inline uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t absBits = bits & 0x7fffffff;
  if (absBits >= 0x7f800000) // Inf or NaN (keep NaN quiet).
    return sign | 0x7c00 | (absBits > 0x7f800000 ? 0x200 : 0);
  if (absBits >= 0x477ff000) // Rounds to a value beyond the half range.
    return sign | 0x7c00;
  if (absBits < 0x38800000) { // Result is subnormal or zero.
    if (absBits < 0x33000000)
      return sign;
    uint32_t exponent = absBits >> 23;
    uint32_t mantissa = (absBits & 0x7fffff) | 0x800000;
    uint32_t shift = 126 - exponent; // In [14, 24].
    uint32_t result = mantissa >> shift;
    uint32_t remainder = mantissa & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (result & 1)))
      ++result;
    return sign | static_cast<uint16_t>(result);
  }
  uint32_t result = ((absBits >> 13) - (112u << 10)) & 0xffff;
  uint32_t remainder = absBits & 0x1fff;
  if (remainder > 0x1000 || (remainder == 0x1000 && (result & 1)))
    ++result;
  return sign | static_cast<uint16_t>(result);
}

} // namespace tessera::runtime

#endif // TESSERA_RUNTIME_FLOAT16_H
