#pragma once
// Where a prover's time goes, by kind of work. The model prover opens a ProfileSession on its
// thread; the code below it marks its work with PhaseScope, and each interval of wall-clock time
// is charged to the innermost open scope (an FFT inside a convolution counts as FFT, a mask row
// committed during a layer counts as a commitment). Without a session a scope costs a
// thread-local read. Profiling observes only: proofs do not depend on it.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace zkcnn {

/// The kinds of work a model prover's time is split into.
enum class ProverPhase : std::uint8_t {
  witness,      ///< integer inference, field tables, digit decompositions
  commitments,  ///< the auxiliary witness's and the masks' commitments
  convolution,  ///< convolution layers' sumchecks, outside their transforms
  fft,          ///< the convolutions' transforms: their NTTs and the FFT sumchecks
  dense,        ///< fully connected layers
  relu,         ///< rescale-ReLU layers
  pooling,      ///< max and sum pooling
  wiring,       ///< bias layers, merging claims on one tensor, claims on the public input, the output claim
  range_check,  ///< the lookup argument on every digit
  openings,     ///< opening the claims on the weights, the auxiliary witness and the masks
};

inline constexpr std::size_t prover_phase_count = static_cast<std::size_t>(ProverPhase::openings) + 1;

/// A phase's name, as benchmarks and the command-line tool report it.
constexpr std::string_view phase_name(ProverPhase phase) {
  constexpr std::array<std::string_view, prover_phase_count> names = {
      "witness", "commitments", "convolution", "fft", "dense", "relu", "pooling", "wiring", "range_check", "openings"};
  return names[static_cast<std::size_t>(phase)];
}

/// Wall-clock seconds per phase.
struct ProverProfile {
  std::array<double, prover_phase_count> seconds{};

  double& operator[](ProverPhase phase) { return seconds[static_cast<std::size_t>(phase)]; }
  double operator[](ProverPhase phase) const { return seconds[static_cast<std::size_t>(phase)]; }

  double total() const {
    double sum = 0;
    for (double s : seconds) sum += s;
    return sum;
  }

  ProverProfile& operator+=(const ProverProfile& other) {
    for (std::size_t i = 0; i < prover_phase_count; ++i) seconds[i] += other.seconds[i];
    return *this;
  }
};

/// Every phase, in order.
constexpr std::array<ProverPhase, prover_phase_count> all_prover_phases() {
  std::array<ProverPhase, prover_phase_count> phases{};
  for (std::size_t i = 0; i < prover_phase_count; ++i) phases[i] = static_cast<ProverPhase>(i);
  return phases;
}

namespace detail {

/// The profile being recorded on this thread, if any, and the phase time is charged to.
struct ProfileRecorder {
  using Clock = std::chrono::steady_clock;

  ProverProfile* profile = nullptr;
  ProverPhase phase = ProverPhase::witness;
  Clock::time_point since{};

  /// Charges the time since the last switch to the current phase, then switches to `next`.
  void switch_to(ProverPhase next) {
    const auto now = Clock::now();
    (*profile)[phase] += std::chrono::duration<double>(now - since).count();
    since = now;
    phase = next;
  }

  static ProfileRecorder& current() {
    thread_local ProfileRecorder recorder;
    return recorder;
  }
};

/// Records this thread's time into `profile` (added to what it holds) until destroyed, charging
/// time outside any PhaseScope to `base`. Sessions nest: an inner one suspends the outer.
class ProfileSession {
 public:
  ProfileSession(ProverProfile& profile, ProverPhase base) : saved_(ProfileRecorder::current()) {
    ProfileRecorder& recorder = ProfileRecorder::current();
    if (recorder.profile != nullptr) recorder.switch_to(recorder.phase);  // close the outer interval
    recorder = {&profile, base, ProfileRecorder::Clock::now()};
  }
  ~ProfileSession() {
    ProfileRecorder& recorder = ProfileRecorder::current();
    recorder.switch_to(recorder.phase);
    saved_.since = ProfileRecorder::Clock::now();
    recorder = saved_;
  }
  ProfileSession(const ProfileSession&) = delete;
  ProfileSession& operator=(const ProfileSession&) = delete;

 private:
  ProfileRecorder saved_;
};

/// Charges the time until its destruction to `phase` (in the thread's session, if any).
class PhaseScope {
 public:
  explicit PhaseScope(ProverPhase phase) {
    ProfileRecorder& recorder = ProfileRecorder::current();
    if (recorder.profile == nullptr) return;
    active_ = true;
    outer_ = recorder.phase;
    recorder.switch_to(phase);
  }
  ~PhaseScope() {
    if (active_) ProfileRecorder::current().switch_to(outer_);
  }
  PhaseScope(const PhaseScope&) = delete;
  PhaseScope& operator=(const PhaseScope&) = delete;

 private:
  bool active_ = false;
  ProverPhase outer_ = ProverPhase::witness;
};

}  // namespace detail
}  // namespace zkcnn
