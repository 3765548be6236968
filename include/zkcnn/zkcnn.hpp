#pragma once
// The umbrella header: everything zkcnn offers.

#include "zkcnn/version.hpp"
#include "zkcnn/error.hpp"

#include "zkcnn/concepts/field.hpp"
#include "zkcnn/concepts/group.hpp"
#include "zkcnn/concepts/hash.hpp"
#include "zkcnn/concepts/model_commitment.hpp"
#include "zkcnn/concepts/pcs.hpp"
#include "zkcnn/concepts/random.hpp"

#include "zkcnn/field/batch_inverse.hpp"
#include "zkcnn/field/bls12_381.hpp"
#include "zkcnn/field/bn254.hpp"
#include "zkcnn/field/goldilocks.hpp"
#include "zkcnn/field/goldilocks_ext2.hpp"
#include "zkcnn/field/montgomery.hpp"
#include "zkcnn/field/ntt.hpp"
#include "zkcnn/field/pow.hpp"
#include "zkcnn/field/quadratic_extension.hpp"

#include "zkcnn/ec/bls12_381_g1.hpp"
#include "zkcnn/ec/bn254_g1.hpp"
#include "zkcnn/ec/fixed_base.hpp"
#include "zkcnn/ec/msm.hpp"
#include "zkcnn/ec/short_weierstrass.hpp"

#include "zkcnn/gkr/circuit.hpp"
#include "zkcnn/gkr/claim.hpp"
#include "zkcnn/gkr/claim_merge.hpp"
#include "zkcnn/gkr/fraction_sum.hpp"
#include "zkcnn/gkr/gate_layer.hpp"
#include "zkcnn/gkr/layer.hpp"
#include "zkcnn/gkr/sumcheck_step.hpp"

#include "zkcnn/io/byte_stream.hpp"

#include "zkcnn/precompiled.hpp"

#include "zkcnn/nn/architecture.hpp"
#include "zkcnn/nn/bias.hpp"
#include "zkcnn/nn/conv2d_direct.hpp"
#include "zkcnn/nn/conv2d_fft.hpp"
#include "zkcnn/nn/conv2d_shape.hpp"
#include "zkcnn/nn/dense.hpp"
#include "zkcnn/nn/digits.hpp"
#include "zkcnn/nn/integer.hpp"
#include "zkcnn/nn/pooling.hpp"
#include "zkcnn/nn/quantized_model.hpp"
#include "zkcnn/nn/relu.hpp"
#include "zkcnn/nn/tensor_shape.hpp"
#include "zkcnn/nn/zoo.hpp"

#include "zkcnn/pcs/batch_opening.hpp"
#include "zkcnn/pcs/claims.hpp"
#include "zkcnn/pcs/hiding_opening.hpp"
#include "zkcnn/pcs/hyrax.hpp"
#include "zkcnn/pcs/hyrax_masks.hpp"
#include "zkcnn/pcs/hyrax_model_opening.hpp"
#include "zkcnn/pcs/inner_product.hpp"
#include "zkcnn/pcs/ligero.hpp"
#include "zkcnn/pcs/merkle.hpp"
#include "zkcnn/pcs/pedersen.hpp"
#include "zkcnn/pcs/reed_solomon.hpp"

#include "zkcnn/poly/eq.hpp"
#include "zkcnn/poly/multilinear.hpp"
#include "zkcnn/poly/univariate.hpp"

#include "zkcnn/process/memory.hpp"

#include "zkcnn/transcript/sha256.hpp"
#include "zkcnn/transcript/transcript.hpp"

#include "zkcnn/random/os_rng.hpp"

#include "zkcnn/gkr/fft.hpp"
#include "zkcnn/sumcheck/proof.hpp"
#include "zkcnn/sumcheck/prover.hpp"
#include "zkcnn/sumcheck/sum_of_products.hpp"
#include "zkcnn/sumcheck/verifier.hpp"

#include "zkcnn/zk/accuracy.hpp"
#include "zkcnn/zk/argmax.hpp"
#include "zkcnn/zk/block_layout.hpp"
#include "zkcnn/zk/masking_transcript.hpp"
#include "zkcnn/zk/model_circuit.hpp"
#include "zkcnn/zk/model_proof.hpp"
#include "zkcnn/zk/prediction.hpp"
#include "zkcnn/zk/range_check.hpp"

