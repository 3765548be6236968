#pragma once
// The committed bias after a linear layer (convolution, dense): its weight block and its
// step, shared by the two kinds (docs/protocol.md section 5).

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <variant>
#include <vector>

#include "zkcnn/detail/bits.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/nn/bias.hpp"
#include "zkcnn/nn/layer_kind.hpp"

namespace zkcnn::nn::detail {

/// Adds the bias to the products in tensor `products` (one bias per output channel), giving the
/// layer's output. The witness recovers the products from the output, so the linear layer
/// itself is never evaluated over the field.
template <class Compiler>
void compile_bias(Compiler& b, std::size_t products) {
  using F = typename Compiler::Field;
  const auto bias = b.add_weights(zkcnn::detail::ceil_log2(b.output_shape().channels),
                                  [](const LayerWeights& weights, std::span<std::int64_t> block) {
                                    if (weights.bias.size() > block.size()) throw std::invalid_argument("bias: too many entries");
                                    std::copy(weights.bias.begin(), weights.bias.end(), block.begin());
                                  });
  const std::size_t output = b.output_tensor();
  b.add_step(BiasLayer<F>(b.layout(products).physical, 1), {b.table_ref(products), bias}, output,
             [](const auto& step, std::span<std::vector<F>> tensors, const LayerWeights& weights) -> Status {
               std::vector<F>& z = tensors[step.inputs[0].index];
               z = tensors[step.output];
               const TensorShape& shape = std::get<BiasLayer<F>>(step.layer).shape();
               const std::size_t channel_bits = shape.dimension_bits()[1];
               const std::size_t inner = shape.num_vars() - shape.dimension_bits()[0] - channel_bits;
               for (std::size_t position = 0; position < z.size(); ++position) {
                 const std::size_t channel = (position >> inner) & ((std::size_t{1} << channel_bits) - 1);
                 if (channel < weights.bias.size() && shape.is_real(position)) z[position] -= F::from_i64(weights.bias[channel]);
               }
               return {};
             });
}

}  // namespace zkcnn::nn::detail
