#pragma once
// A lower bound on a field's size in bits, for soundness bounds: a prime field of modulus
// p >= 2^(modulus_bits - 1), or an extension of degree d over such a base (p^d elements).

#include <cstddef>

namespace zkcnn {

/// floor(log2 |F|) or less: modulus_bits - 1 for a prime field, d times its base's for an
/// extension that names its Base and extension_degree (QuadraticExtension does).
template <class F>
constexpr std::size_t field_size_bits() {
  if constexpr (requires { F::modulus_bits; }) {
    return F::modulus_bits - 1;
  } else {
    static_assert(requires { typename F::Base; F::extension_degree; },
                  "field_size_bits: the field names neither its modulus_bits nor its Base and extension_degree");
    return F::extension_degree * field_size_bits<typename F::Base>();
  }
}

}  // namespace zkcnn
