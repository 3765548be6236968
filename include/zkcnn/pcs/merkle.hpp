#pragma once
// Merkle trees over SHA-256 with openings of many leaves at once, for the hash-based
// commitment scheme (pcs/ligero.hpp), which commits to a matrix by its columns and opens a few
// hundred of them per proof.
//
// Leaves and inner nodes are hashed with different prefixes, SHA-256(0x00 || leaf bytes) and
// SHA-256(0x01 || left || right), so that no leaf hashes like a node. The tree is complete: its
// width is a power of two, fixed by the statement, so every path has the same, known length.
//
// An opening of a set of leaves carries the fewest digests from which the root can be
// recomputed: level by level from the leaves up, the sibling of every node on the way that the
// opened leaves do not determine themselves, each level in increasing index order. Opening t
// of n leaves takes at most t log2(n / t) + t digests rather than t log2(n) for separate paths.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "zkcnn/detail/parallel.hpp"
#include "zkcnn/error.hpp"
#include "zkcnn/transcript/sha256.hpp"

namespace zkcnn::merkle {

using Digest = Sha256::Digest;

/// The digest of a leaf's bytes.
inline Digest hash_leaf(std::span<const std::uint8_t> bytes) {
  Sha256 hasher;
  const std::array<std::uint8_t, 1> prefix{0x00};
  hasher.update(prefix);
  hasher.update(bytes);
  return hasher.finalize();
}

/// The digest of an inner node from its children's.
inline Digest hash_node(const Digest& left, const Digest& right) {
  std::array<std::uint8_t, 1 + 2 * Sha256::digest_size> bytes{0x01};
  std::copy(left.begin(), left.end(), bytes.begin() + 1);
  std::copy(right.begin(), right.end(), bytes.begin() + 1 + Sha256::digest_size);
  return Sha256::hash(bytes);
}

/// Whether `indices` are strictly increasing and below `leaf_count`: the form openings take.
inline bool valid_leaf_indices(std::span<const std::size_t> indices, std::size_t leaf_count) {
  for (std::size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] >= leaf_count || (k > 0 && indices[k] <= indices[k - 1])) return false;
  }
  return true;
}

/// A tree over digests of leaves, kept whole by the committer to open any set of leaves later.
class Tree {
 public:
  /// Builds the tree over `leaves`, whose count must be a power of two; the levels are hashed
  /// on all threads.
  explicit Tree(std::span<const Digest> leaves) : leaf_count_(leaves.size()) {
    if (leaf_count_ == 0 || (leaf_count_ & (leaf_count_ - 1)) != 0) {
      throw std::invalid_argument("merkle: the number of leaves must be a power of two");
    }
    // Heap order: node 1 is the root, node i has children 2i and 2i + 1, the leaves are nodes
    // leaf_count .. 2 leaf_count - 1.
    nodes_.resize(2 * leaf_count_);
    std::copy(leaves.begin(), leaves.end(), nodes_.begin() + static_cast<std::ptrdiff_t>(leaf_count_));
    for (std::size_t level_begin = leaf_count_ / 2; level_begin >= 1; level_begin /= 2) {
      detail::parallel_for(
          level_begin, 2 * level_begin,
          [&](std::size_t lo, std::size_t hi) {
            for (std::size_t i = lo; i < hi; ++i) nodes_[i] = hash_node(nodes_[2 * i], nodes_[2 * i + 1]);
          },
          detail::threads_for(level_begin, 1024));
    }
  }

  const Digest& root() const { return nodes_[1]; }
  std::size_t leaf_count() const { return leaf_count_; }

  /// The digests that open the leaves at `indices` (strictly increasing, each below the leaf
  /// count), in the order verify_opening reads them.
  std::vector<Digest> open(std::span<const std::size_t> indices) const;

 private:
  std::size_t leaf_count_;
  std::vector<Digest> nodes_;
};

/// The nodes (heap indices: 1 is the root, leaves start at `leaf_count`) whose digests open
/// the leaves at `indices`, in the order an opening carries them. `indices` must be valid.
inline std::vector<std::size_t> opening_nodes(std::span<const std::size_t> indices, std::size_t leaf_count) {
  std::vector<std::size_t> siblings;
  std::vector<std::size_t> level(indices.begin(), indices.end());
  for (auto& node : level) node += leaf_count;
  while (!level.empty() && level.front() > 1) {
    std::size_t parents = 0;
    for (std::size_t k = 0; k < level.size(); ++k) {
      if (k + 1 < level.size() && level[k + 1] == (level[k] ^ 1)) {
        ++k;  // both children opened: their parent needs no digest
      } else {
        siblings.push_back(level[k] ^ 1);
      }
      level[parents++] = level[k] / 2;
    }
    level.resize(parents);
  }
  return siblings;
}

/// The number of digests in an opening of `indices` (valid as for Tree::open) in a tree of
/// `leaf_count` leaves: what a decoder expects before reading any.
inline std::size_t opening_size(std::span<const std::size_t> indices, std::size_t leaf_count) {
  return opening_nodes(indices, leaf_count).size();
}

inline std::vector<Digest> Tree::open(std::span<const std::size_t> indices) const {
  if (!valid_leaf_indices(indices, leaf_count_)) {
    throw std::invalid_argument("merkle: opened leaves must be increasing and within the tree");
  }
  std::vector<Digest> digests;
  for (std::size_t node : opening_nodes(indices, leaf_count_)) digests.push_back(nodes_[node]);
  return digests;
}

/// Checks that the leaves with digests `leaves` sit at `indices` under `root`, given an
/// opening made by Tree::open. Every argument may be hostile: a malformed opening is an error,
/// not an assertion.
inline Status verify_opening(const Digest& root, std::size_t leaf_count, std::span<const std::size_t> indices,
                             std::span<const Digest> leaves, std::span<const Digest> siblings) {
  if (leaf_count == 0 || (leaf_count & (leaf_count - 1)) != 0) {
    return make_error(Errc::invalid_argument, "merkle: the number of leaves must be a power of two");
  }
  if (indices.empty() || indices.size() != leaves.size() || !valid_leaf_indices(indices, leaf_count)) {
    return make_error(Errc::malformed_proof, "merkle: opened leaves must be non-empty, increasing and within the tree");
  }
  std::vector<std::pair<std::size_t, Digest>> level;
  level.reserve(indices.size());
  for (std::size_t k = 0; k < indices.size(); ++k) level.emplace_back(leaf_count + indices[k], leaves[k]);
  std::size_t next_sibling = 0;
  while (level.front().first > 1) {
    std::size_t parents = 0;
    for (std::size_t k = 0; k < level.size(); ++k) {
      const auto [node, digest] = level[k];
      Digest parent;
      if (k + 1 < level.size() && level[k + 1].first == (node ^ 1)) {
        parent = hash_node(digest, level[k + 1].second);
        ++k;
      } else {
        if (next_sibling == siblings.size()) {
          return make_error(Errc::malformed_proof, "merkle: the opening has too few digests");
        }
        const Digest& sibling = siblings[next_sibling++];
        parent = (node & 1) == 0 ? hash_node(digest, sibling) : hash_node(sibling, digest);
      }
      level[parents++] = {node / 2, parent};
    }
    level.resize(parents);
  }
  if (next_sibling != siblings.size()) {
    return make_error(Errc::malformed_proof, "merkle: the opening has " + std::to_string(siblings.size() - next_sibling) +
                                                 " digests to spare");
  }
  if (level.front().second != root) return make_error(Errc::verification_failed, "merkle: the opened leaves are not under the root");
  return {};
}

}  // namespace zkcnn::merkle
