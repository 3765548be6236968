// The .npy reader (examples/onnx/npy.hpp) on hostile files, then the checks the command-line
// tool makes of an accepted array: an accepted file holds exactly its shape's values, each
// finite unless the file's type is a float.

#include <cmath>
#include <cstddef>

#include "fuzz_support.hpp"
#include "npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto array = zkcnn::data::parse_npy(zkcnn_fuzz::input(data, size));
  if (!array) return 0;
  std::size_t count = 1;
  for (std::size_t d : array->shape) count *= d;
  zkcnn_fuzz::require(array->values.size() == count, "an accepted array holds its shape's values");
  if (array->type != zkcnn::data::NpyType::float32 && array->type != zkcnn::data::NpyType::float64) {
    for (double v : array->values) zkcnn_fuzz::require(std::isfinite(v) && v == std::trunc(v), "integers are whole");
  }
  (void)zkcnn::data::shape_text(array->shape);
  return 0;
}
