#pragma once
// Pedersen vector commitments <m, G> + r H with nothing-up-my-sleeve generators
// (docs/protocol.md section 7): every generator is hash_to_group of a domain string and an index,
// so nobody knows a discrete-log relation between them.

#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "zkcnn/concepts/group.hpp"
#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/ec/fixed_base.hpp"
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
    return group_traits<G>::add(body, blinding_multiple(blind));
  }

  /// blind * H, from a table of H's multiples built on first use (committers make one per
  /// row; verifiers never need it).
  G blinding_multiple(const Scalar& blind) const {
    std::call_once(blinding_table_->built, [&] { blinding_table_->table.emplace(blinding_); });
    return blinding_table_->table->multiply(blind);
  }

 private:
  struct LazyTable {
    std::once_flag built;
    std::optional<FixedBaseTable<G>> table;
  };
  std::string domain_;
  std::vector<G> generators_;
  G blinding_{};
  G value_base_{};
  // Shared by copies of the key: they have the same H.
  std::shared_ptr<LazyTable> blinding_table_ = std::make_shared<LazyTable>();
};

}  // namespace zkcnn
