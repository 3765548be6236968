#pragma once
// 1/2 in a field of odd characteristic, computed once per field type: masked sumcheck rounds,
// masked steps and multi-scalar multiplications all halve, and an inversion costs about 300
// multiplications.

#include "zkcnn/concepts/field.hpp"

namespace zkcnn {

template <Field F>
const F& one_half() {
  static const F half = *F::from_u64(2).inverse();
  return half;
}

}  // namespace zkcnn
