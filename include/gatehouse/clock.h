// Seam for time in the verification library: production uses SystemClock, tests a fake one.
#pragma once

#include <chrono>

namespace gatehouse::verifier {

class Clock {
 public:
  virtual ~Clock() = default;
  // REQUIRES: thread-safe; the verifier calls it from every verifying thread.
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

}  // namespace gatehouse::verifier
