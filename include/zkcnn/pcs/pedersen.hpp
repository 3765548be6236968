#pragma once
// Pedersen vector commitments <m, G> + r H with nothing-up-my-sleeve generators
// (docs/protocol.md section 7): every generator is hash_to_group of a domain string and an index,
// so nobody knows a discrete-log relation between them.

#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/ec/msm.hpp"

namespace zkcnn {

template <CommitmentGroup G>
class PedersenKey {
 public:
  using Scalar = scalar_of<G>;

  /// `size` message generators G_i, a blinding generator H and a value generator U (the base
  /// for inner-product values), all derived from `domain`.
  PedersenKey(std::string_view domain, std::size_t size) : domain_(domain) {
    const std::string message_domain = domain_ + "/message";
    generators_.reserve(size);
    for (std::size_t i = 0; i < size; ++i) {
      generators_.push_back(group_traits<G>::hash_to_group(message_domain, i));
    }
    group_traits<G>::batch_normalize(generators_);
    blinding_ = group_traits<G>::hash_to_group(domain_ + "/blinding", 0);
    value_base_ = group_traits<G>::hash_to_group(domain_ + "/value", 0);
  }

  std::string_view domain() const { return domain_; }
  std::size_t size() const { return generators_.size(); }
  std::span<const G> generators() const { return generators_; }
  const G& blinding_generator() const { return blinding_; }
  const G& value_generator() const { return value_base_; }

  /// <message, G[0..len)> + blind * H; the message may be shorter than the key.
  G commit(std::span<const Scalar> message, const Scalar& blind,
           std::size_t threads = detail::default_thread_count()) const {
    if (message.size() > generators_.size()) throw std::invalid_argument("PedersenKey::commit: message longer than the key");
    const G body = msm<G>(std::span<const G>(generators_).first(message.size()), message, threads);
    return group_traits<G>::add(body, group_traits<G>::scalar_mul(blinding_, blind));
  }

 private:
  std::string domain_;
  std::vector<G> generators_;
  G blinding_{};
  G value_base_{};
};

}  // namespace zkcnn
