// Writes the seed corpora of the fuzz harnesses, one directory per harness, from the current
// code: every seed is bytes the library or the command-line tool writes (small instances of
// each encoding, the model proofs and files of model_fixture.hpp, small .npy arrays), or a
// real file (the ONNX importer's test models, the first Fashion-MNIST test images). A change of
// any format is one run away from fresh seeds:
//
//   zkcnn_fuzz_seeds [--check] CORPUS_DIR ONNX_MODELS_DIR FASHION_MNIST_DIR
//
// Without --check it replaces every harness's directory under CORPUS_DIR (scripts/fuzz
// --make-seeds). With --check it writes nothing and fails, naming the files, when the corpus
// differs from what the code makes now (the fuzz.seeds test); without the Fashion-MNIST files
// it then skips the IDX seeds.

#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <zkcnn/ec/bls12_381_g1.hpp>
#include <zkcnn/ec/bn254_g1.hpp>
#include <zkcnn/field/bls12_381.hpp>
#include <zkcnn/field/bn254.hpp>
#include <zkcnn/field/goldilocks.hpp>
#include <zkcnn/field/goldilocks_ext2.hpp>
#include <zkcnn/nn/zoo.hpp>
#include <zkcnn/nn/integer.hpp>
#include <zkcnn/pcs/hyrax.hpp>
#include <zkcnn/pcs/ligero.hpp>
#include <zkcnn/poly/multilinear.hpp>
#include <zkcnn/random/deterministic_rng.hpp>
#include <zkcnn/transcript/transcript.hpp>

#include "files.hpp"
#include "idx.hpp"
#include "idx_encoding.hpp"
#include "model_fixture.hpp"
#include "npy.hpp"
#include "sumcheck_instance.hpp"

namespace {

namespace fs = std::filesystem;
using zkcnn::testing::DeterministicRng;
using Bytes = std::vector<std::uint8_t>;
/// One harness's seeds: file name -> contents.
using Seeds = std::map<std::string, Bytes>;
/// Every harness's seeds, by harness name (its directory).
using Corpus = std::map<std::string, Seeds>;

constexpr std::string_view seed_domain = "zkcnn fuzz seeds";

template <class Range>
Bytes bytes_of(const Range& range) {
  return Bytes(std::begin(range), std::end(range));
}

template <class F>
void add_field(Seeds& seeds, const std::string& name) {
  DeterministicRng rng(1);
  seeds[name + "_zero"] = bytes_of(F::zero().to_bytes());
  seeds[name + "_one"] = bytes_of(F::one().to_bytes());
  seeds[name + "_minus_one"] = bytes_of((-F::one()).to_bytes());  // the largest canonical value
  Bytes sequence;
  for (int i = 0; i < 3; ++i) {
    const auto element = F::random(rng).to_bytes();
    sequence.insert(sequence.end(), element.begin(), element.end());
  }
  seeds[name + "_sequence"] = std::move(sequence);
}

template <class G>
void add_curve(Seeds& seeds, const std::string& name) {
  seeds[name + "_identity"] = bytes_of(G::identity().encode());
  seeds[name + "_generator"] = bytes_of(G::generator().encode());
  seeds[name + "_minus_generator"] = bytes_of((-G::generator()).encode());  // the other parity of y
  Bytes sequence;
  for (std::uint64_t i = 0; i < 3; ++i) {
    const auto point = G::hash_to_group(seed_domain, i).encode();
    sequence.insert(sequence.end(), point.begin(), point.end());
  }
  seeds[name + "_sequence"] = std::move(sequence);
}

/// A Hyrax commitment to a random polynomial in five variables, its evaluation proofs (public
/// and hidden value) and a batch opening of three claims.
void add_hyrax(Corpus& corpus) {
  using Pcs = zkcnn::Hyrax<zkcnn::bn254::G1>;
  using F = Pcs::Scalar;
  constexpr std::size_t num_vars = 5;
  const Pcs pcs(seed_domain, 3);
  DeterministicRng rng(3);
  std::vector<F> table(std::size_t{1} << num_vars);
  for (F& v : table) v = F::random(rng);
  const auto random_point = [&] {
    std::vector<F> point(num_vars);
    for (F& v : point) v = F::random(rng);
    return point;
  };

  const auto [commitment, opening] = pcs.commit(std::span<const F>(table), num_vars, rng);
  corpus["hyrax_commitment"]["balanced"] = Pcs::encode_commitment(commitment);
  corpus["hyrax_commitment"]["one_column_variable"] =
      Pcs::encode_commitment(pcs.commit(std::span<const F>(table), num_vars, rng, std::size_t{1}).first);

  const auto point = random_point();
  const F value = zkcnn::evaluate_multilinear(std::span<const F>(table), std::span<const F>(point));
  zkcnn::Sha256Transcript public_transcript(seed_domain);
  corpus["hyrax_proof"]["public_value"] = Pcs::encode_proof(
      pcs.prove(std::span<const F>(table), opening, commitment, std::span<const F>(point), value, public_transcript, rng));
  zkcnn::Sha256Transcript hidden_transcript(seed_domain);
  corpus["hyrax_proof"]["hidden_value"] = Pcs::encode_proof(
      pcs.prove_hidden(std::span<const F>(table), opening, commitment, std::span<const F>(point), value, hidden_transcript, rng)
          .first);

  std::vector<zkcnn::EvaluationClaim<F>> claims;
  for (int k = 0; k < 3; ++k) {
    auto claim_point = random_point();
    const F claim_value = zkcnn::evaluate_multilinear(std::span<const F>(table), std::span<const F>(claim_point));
    claims.push_back({std::move(claim_point), claim_value});
  }
  zkcnn::Sha256Transcript batch_transcript(seed_domain);
  corpus["hyrax_batch_proof"]["three_claims"] = Pcs::encode_batch_proof(
      pcs.prove_batch(std::span<const F>(table), opening, commitment,
                      std::span<const zkcnn::EvaluationClaim<F>>(claims), batch_transcript, rng));
}

/// The hash-based scheme: a commitment, an opening of two claims, and the final opening of a
/// model proof (claims on a weights table and a narrower witness, one with a mask term, and a
/// linear claim on the masks), all over Goldilocks with Goldilocks^2 challenges and a code of
/// 2^10 columns.
void add_ligero(Corpus& corpus) {
  using F = zkcnn::Goldilocks;
  using EF = zkcnn::GoldilocksExt2;
  using Pcs = zkcnn::pcs::Ligero<F, EF>;
  const Pcs pcs(zkcnn::pcs::LigeroParameters{100, 2, 1});
  DeterministicRng rng(4);
  const auto random_point = [&](std::size_t vars) {
    std::vector<EF> point(vars);
    for (EF& v : point) v = EF::random(rng);
    return point;
  };
  const auto evaluate = [](std::span<const F> table, std::span<const EF> point) {
    std::vector<EF> lifted(table.size());
    for (std::size_t i = 0; i < table.size(); ++i) lifted[i] = EF::from_base(table[i]);
    return zkcnn::evaluate_multilinear(std::span<const EF>(lifted), point);
  };
  constexpr std::size_t weights_vars = 11, witness_vars = 6;
  std::vector<std::int64_t> weights(std::size_t{1} << weights_vars);
  for (auto& w : weights) w = static_cast<std::int64_t>(rng() % 255) - 127;
  const std::vector<F> weights_field = zkcnn::nn::to_field<F>(weights);
  std::vector<F> witness(std::size_t{1} << witness_vars);
  for (F& w : witness) w = F::from_u64(rng() % 16);

  const auto [commitment, opening] = pcs.commit_model(std::span<const std::int64_t>(weights), weights_vars, rng);
  corpus["ligero_commitment"]["model"] = Pcs::encode_commitment(commitment);
  std::vector<zkcnn::EvaluationClaim<EF>> claims;
  for (int k = 0; k < 2; ++k) {
    auto point = random_point(weights_vars);
    const EF value = evaluate(std::span<const F>(weights_field), std::span<const EF>(point));
    claims.push_back({std::move(point), value});
  }
  zkcnn::Sha256Transcript batch_transcript(seed_domain);
  corpus["ligero_proof"]["two_claims"] = Pcs::encode_proof(pcs.prove_batch(
      std::span<const F>(weights_field), opening, commitment,
      std::span<const zkcnn::EvaluationClaim<EF>>(claims), batch_transcript, rng));

  const auto [witness_commitment, witness_opening] =
      pcs.commit_witness(std::span<const F>(witness), witness_vars, commitment, true, rng);
  corpus["ligero_commitment"]["witness"] = Pcs::encode_commitment(witness_commitment);
  zkcnn::Sha256Transcript transcript(seed_domain);
  auto masks = pcs.mask_prover(witness_commitment, rng);
  const std::size_t first = masks.draw(4, transcript);
  auto weights_point = random_point(weights_vars);
  zkcnn::CommittedClaim<EF> on_weights =
      zkcnn::CommittedClaim<EF>::at(0, weights_point, {evaluate(std::span<const F>(weights_field), std::span<const EF>(weights_point))});
  on_weights.value.masks.push_back({EF::one(), first});
  on_weights.value.value += zkcnn::gkr::line_sum(masks, first);
  auto witness_point = random_point(witness_vars);
  const zkcnn::CommittedClaim<EF> on_witness = zkcnn::CommittedClaim<EF>::at(
      0, witness_point, {evaluate(std::span<const F>(witness), std::span<const EF>(witness_point))});
  masks.claim({{{first + 2, EF::one()}}, masks.value(first + 2)});
  zkcnn::io::ByteWriter out;
  pcs.prove_hidden_claims({commitment, opening, std::span<const std::int64_t>(weights)},
                          {witness_commitment, witness_opening, std::span<const F>(witness)}, masks, {on_weights},
                          {on_witness}, transcript, rng, out);
  corpus["ligero_model_opening"]["weights_witness_masks"] = std::move(out).take();
}

/// The model fixture's proofs, and the command-line tool's files for its model and statements.
void add_model(Corpus& corpus) {
  namespace cli = zkcnn::cli;
  const auto& f = zkcnn_fuzz::model_fixture();
  corpus["model_proof"]["prediction_zero_knowledge"] = f.prediction_zk.bytes;
  corpus["model_proof"]["prediction_plain"] = f.prediction_plain.bytes;
  corpus["model_proof"]["accuracy_zero_knowledge"] = f.accuracy_zk.bytes;
  corpus["model_proof"]["accuracy_plain"] = f.accuracy_plain.bytes;

  const cli::CommitmentFile commitment{f.key_column_vars, f.model.architecture, f.commitment};
  corpus["cli_commitment"]["commitment"] = cli::encode(commitment);
  corpus["cli_secret"]["secret"] =
      cli::encode(cli::SecretFile{f.model, f.state.opening, 2, cli::commitment_digest(commitment)});
  {
    // The same model in the hash-based backend: its commitment and its secret's hiding rows and
    // salts.
    using Backend = cli::GoldilocksHash;
    zkcnn::testing::DeterministicRng rng(11);
    auto committed = zkcnn::zk::commit_model(Backend::scheme(0, 2), f.model, rng);
    if (!committed) {
      std::fprintf(stderr, "zkcnn seeds: the hash-based commitment: %s\n", committed.error().message.c_str());
      std::abort();
    }
    const auto& [hashed, state] = *committed;
    const cli::CommitmentFile file{0, f.model.architecture, hashed};
    corpus["cli_commitment"]["commitment_goldilocks_hash"] = cli::encode(file);
    corpus["cli_secret"]["secret_goldilocks_hash"] =
        cli::encode(cli::SecretFile{f.model, Backend::randomness(state.opening), 1, cli::commitment_digest(file)});
  }
  const auto predicted = static_cast<std::size_t>(std::max_element(f.output.begin(), f.output.end()) - f.output.begin());
  corpus["cli_statement"]["statement"] = cli::encode(cli::StatementFile{f.input, f.output, predicted});
  corpus["cli_accuracy_statement"]["accuracy_statement"] =
      cli::encode(cli::AccuracyStatementFile{f.samples, f.labels, f.correct});
  corpus["cli_proof"]["prediction"] = cli::encode(f.prediction_zk);
  corpus["cli_proof"]["accuracy"] = cli::encode(f.accuracy_zk);
  // The fixture's accuracy batch as two shards of one dataset (the counts split as they may).
  zkcnn::zk::DatasetDigest digest;
  digest.absorb({f.samples, f.labels});
  const std::size_t half = f.samples.size() / 2;
  const zkcnn::zk::ShardedAccuracyStatement sharded{
      digest.finalize(), f.samples.size(),
      {{0, half, std::min(half, f.correct)}, {half, f.samples.size() - half, f.correct - std::min(half, f.correct)}},
      f.correct};
  corpus["cli_sharded"]["statement"] = cli::encode(sharded);
  corpus["cli_sharded"]["proof"] = cli::encode(zkcnn::zk::ShardedAccuracyProof{{f.accuracy_zk, f.accuracy_plain}});

  corpus["architecture"]["fuzz_tiny"] = f.model.architecture.serialize();
  corpus["architecture"]["lenet5"] = zkcnn::nn::zoo::lenet5().serialize();
  corpus["architecture"]["vgg11"] = zkcnn::nn::zoo::vgg11().serialize();
  corpus["architecture"]["resnet20"] = zkcnn::nn::zoo::resnet20().serialize();
}

Bytes read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool add_onnx(Corpus& corpus, const fs::path& models) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(models, error)) {
    if (entry.path().extension() == ".onnx") corpus["onnx_import"][entry.path().filename().string()] = read_bytes(entry.path());
  }
  if (corpus["onnx_import"].empty()) {
    std::fprintf(stderr, "zkcnn_fuzz_seeds: no .onnx file in %s\n", models.c_str());
    return false;
  }
  return true;
}

/// A gzip stream (one member, no file name or time), as gunzip reads it.
Bytes gzip(const Bytes& data) {
  z_stream stream{};
  // 16 + MAX_WBITS: a gzip header and trailer rather than zlib's.
  if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  Bytes out(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = const_cast<Bytef*>(data.data());  // zlib's API is not const-correct; it only reads
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return status == Z_STREAM_END ? out : Bytes{};
}

/// The first `count` entries of an IDX array (images or labels).
zkcnn::data::IdxArray first_entries(const zkcnn::data::IdxArray& array, std::size_t count) {
  zkcnn::data::IdxArray out{array.dims, {}};
  out.dims[0] = count;
  const std::size_t entry = array.values.size() / array.dims[0];
  out.values.assign(array.values.begin(), array.values.begin() + static_cast<std::ptrdiff_t>(count * entry));
  return out;
}

/// The first two Fashion-MNIST test images and labels, raw and gzipped; nothing when the data
/// set is missing.
bool add_idx(Corpus& corpus, const fs::path& fashion_mnist) {
  Seeds seeds;
  for (const char* name : {"t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
    auto array = zkcnn::data::read_idx_file(fashion_mnist / name);
    if (!array) {
      std::fprintf(stderr, "zkcnn_fuzz_seeds: %s\n", array.error().message.c_str());
      return false;
    }
    const std::string stem = array->dims.size() == 3 ? "images_2" : "labels_2";
    const Bytes raw = zkcnn_fuzz::encode_idx(first_entries(*array, 2));
    seeds[stem + ".idx"] = raw;
    seeds[stem + ".idx.gz"] = gzip(raw);
  }
  corpus["idx"] = std::move(seeds);
  return true;
}

/// Small arrays of every supported type: a batch of two float images, pixels, labels.
void add_npy(Corpus& corpus) {
  using zkcnn::data::NpyArray;
  using zkcnn::data::NpyType;
  NpyArray images{NpyType::float32, {2, 1, 4, 4}, {}};
  for (int i = 0; i < 2 * 4 * 4; ++i) images.values.push_back(i / 31.0);
  NpyArray pixels{NpyType::uint8, {2, 3, 3}, {}};
  for (int i = 0; i < 2 * 3 * 3; ++i) pixels.values.push_back(i * 15);
  Seeds& seeds = corpus["npy"];
  seeds["float32_2x1x4x4.npy"] = zkcnn::data::encode_npy(images);
  seeds["uint8_2x3x3.npy"] = zkcnn::data::encode_npy(pixels);
  seeds["int64_labels_3.npy"] = zkcnn::data::encode_npy({NpyType::int64, {3}, {3, 0, 9}});
  seeds["float64_scalar.npy"] = zkcnn::data::encode_npy({NpyType::float64, {}, {0.5}});
}

/// The files of `directory`, by name.
Seeds read_directory(const fs::path& directory) {
  Seeds out;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (entry.is_regular_file()) out[entry.path().filename().string()] = read_bytes(entry.path());
  }
  return out;
}

bool write_corpus(const Corpus& corpus, const fs::path& root) {
  for (const auto& [harness, seeds] : corpus) {
    const fs::path directory = root / harness;
    fs::remove_all(directory);
    fs::create_directories(directory);
    for (const auto& [name, bytes] : seeds) {
      std::ofstream out(directory / name, std::ios::binary);
      out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      if (!out) {
        std::fprintf(stderr, "zkcnn_fuzz_seeds: cannot write %s\n", (directory / name).c_str());
        return false;
      }
    }
    std::printf("%-24s %2zu seeds\n", harness.c_str(), seeds.size());
  }
  return true;
}

/// Whether every harness's directory holds exactly its seeds; names the differences.
bool check_corpus(const Corpus& corpus, const fs::path& root) {
  bool current = true;
  for (const auto& [harness, seeds] : corpus) {
    const Seeds found = read_directory(root / harness);
    for (const auto& [name, bytes] : seeds) {
      const auto it = found.find(name);
      if (it == found.end() || it->second != bytes) {
        std::printf("stale: %s/%s %s\n", harness.c_str(), name.c_str(), it == found.end() ? "is missing" : "differs");
        current = false;
      }
    }
    for (const auto& [name, bytes] : found) {
      if (!seeds.contains(name)) {
        std::printf("stale: %s/%s is no longer a seed\n", harness.c_str(), name.c_str());
        current = false;
      }
    }
  }
  if (!current) std::printf("the seeds are stale: run scripts/fuzz --make-seeds\n");
  return current;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  const bool check = !args.empty() && args.front() == "--check";
  if (check) args.erase(args.begin());
  if (args.size() != 3) {
    std::fprintf(stderr, "usage: zkcnn_fuzz_seeds [--check] CORPUS_DIR ONNX_MODELS_DIR FASHION_MNIST_DIR\n");
    return 2;
  }
  const fs::path root(args[0]);

  Corpus corpus;
  add_field<zkcnn::bn254::Fr>(corpus["scalar"], "bn254_fr");
  add_field<zkcnn::bn254::Fq>(corpus["scalar"], "bn254_fq");
  add_field<zkcnn::bls12_381::Fr>(corpus["scalar"], "bls12_381_fr");
  add_field<zkcnn::bls12_381::Fq>(corpus["scalar"], "bls12_381_fq");
  add_field<zkcnn::Goldilocks>(corpus["scalar"], "goldilocks");
  add_field<zkcnn::GoldilocksExt2>(corpus["scalar"], "goldilocks_ext2");
  add_curve<zkcnn::bn254::G1>(corpus["point"], "bn254_g1");
  add_curve<zkcnn::bls12_381::G1>(corpus["point"], "bls12_381_g1");
  corpus["sumcheck_proof"]["three_variables_degree_2"] = zkcnn_fuzz::honest_sumcheck_proof();
  add_hyrax(corpus);
  add_ligero(corpus);
  add_model(corpus);
  add_npy(corpus);
  if (!add_onnx(corpus, fs::path(args[1]))) return 2;
  if (!add_idx(corpus, fs::path(args[2]))) {
    if (!check) return 2;
    std::printf("note: without Fashion-MNIST, the IDX seeds are not checked\n");
  }

  if (check) return check_corpus(corpus, root) ? 0 : 1;
  return write_corpus(corpus, root) ? 0 : 2;
}
