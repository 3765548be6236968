#pragma once
// Errors that a caller can act on. Everything that reads untrusted data (proof bytes,
// encodings, commitments, model files) reports failure through Result, never by asserting.

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace zkcnn {

/// What kind of failure occurred; the message says the specifics in words.
enum class Errc {
  invalid_encoding,     ///< bytes that are not the canonical encoding of a value
  malformed_proof,      ///< a proof whose shape does not match the statement
  verification_failed,  ///< a well-formed proof that does not verify
  invalid_argument,     ///< a caller-supplied argument outside the documented domain
  resource_limit,       ///< work a verifier refuses: beyond the limits it was given
};

struct Error {
  Errc code;
  std::string message;
};

/// Thrown by Result::value() when the result holds an error: using a failed result's value
/// is a programming mistake, so the message of the original error travels with it.
class BadResultAccess : public std::logic_error {
 public:
  explicit BadResultAccess(const Error& error) : std::logic_error(error.message) {}
};

/// A value or an Error (std::expected is C++23; this is the subset the library needs).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { check(); return std::get<0>(state_); }
  const T& value() const& { check(); return std::get<0>(state_); }
  T&& value() && { check(); return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  /// Precondition: !has_value().
  const Error& error() const { return std::get<1>(state_); }

 private:
  void check() const {
    if (!has_value()) throw BadResultAccess(std::get<1>(state_));
  }
  std::variant<T, Error> state_;
};

/// Success or an Error, for checks such as verification.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool has_value() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (error_) throw BadResultAccess(*error_);
  }
  /// Precondition: !has_value().
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace zkcnn
