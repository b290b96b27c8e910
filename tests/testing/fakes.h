#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "common/clock.h"
#include "common/random.h"

namespace gatehouse::test {

// Time stands still until a test moves it.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = FromUnixSeconds(1'800'000'000)) : now_(start) {}
  TimePoint Now() const override { return now_; }
  void Advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  TimePoint now_;
};

// Deterministic bytes: a simple counter-based stream, distinct per seed.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed = 1) : state_(seed) {}
  void Fill(std::span<std::byte> out) override {
    for (auto& b : out) {
      state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
      b = static_cast<std::byte>(state_ >> 56);
    }
  }

 private:
  uint64_t state_;
};

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace gatehouse::test
