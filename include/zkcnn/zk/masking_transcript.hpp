#pragma once
// The transcript of a zero-knowledge proof: it carries the proof's committed masks, which every
// sumcheck step run with it draws from (gkr/sumcheck_step.hpp, docs/protocol.md section 8).

#include <string_view>

#include "zkcnn/transcript/transcript.hpp"

namespace zkcnn::zk {

/// A SHA-256 transcript that carries a mask commitment: the steps of a proof run with it are
/// zero-knowledge (gkr::masks_of); with a null mask commitment they are plain.
template <class Masks>
class MaskingTranscript : public Sha256Transcript {
 public:
  MaskingTranscript(std::string_view domain_separator, Masks* masks)
      : Sha256Transcript(domain_separator), masks_(masks) {}

  Masks* masks() const { return masks_; }

 private:
  Masks* masks_;
};

}  // namespace zkcnn::zk
