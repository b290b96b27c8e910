#pragma once

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include <cstddef>
#include <mutex>
#include <string>

namespace gatehouse {

// An spdlog sink that writes whole lines to a file descriptor in batches, as nginx's
// `access_log ... buffer= flush=` does: a line is formatted into a buffer under a short lock,
// and the buffer reaches the descriptor with one write(2) when it holds `capacity` bytes or
// when flush() is called (spdlog's periodic flusher, flush_on(level), shutdown, destruction).
// spdlog's own stdout sink takes a global lock and calls fflush() for every line: one write(2)
// per request, serialised across the I/O threads. Lines keep their order; a line is never
// split between two writes. Thread-safe.
class BufferedFdSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  explicit BufferedFdSink(int fd, std::size_t capacity = 64 * 1024);
  ~BufferedFdSink() override;

  // Lines not written yet (for tests).
  std::size_t pending() const;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;
  void set_pattern_(const std::string& pattern) override;
  void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  // Called with buffer_mutex_ held; returns with it released.
  void WriteOut(std::unique_lock<std::mutex>& buffer_lock);

  const int fd_;
  const std::size_t capacity_;
  mutable std::mutex buffer_mutex_;  // formatter_ and buffer_
  std::mutex write_mutex_;           // the descriptor: writes in buffer order
  std::string buffer_;
  std::string writing_;  // under write_mutex_
  std::size_t pending_lines_ = 0;
};

}  // namespace gatehouse
