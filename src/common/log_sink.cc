#include "common/log_sink.h"

#include <spdlog/pattern_formatter.h>
#include <unistd.h>

#include <cerrno>

namespace gatehouse {

BufferedFdSink::BufferedFdSink(int fd, std::size_t capacity) : fd_(fd), capacity_(capacity) {
  buffer_.reserve(capacity_ + 1024);
  writing_.reserve(capacity_ + 1024);
}

BufferedFdSink::~BufferedFdSink() { flush_(); }

std::size_t BufferedFdSink::pending() const {
  std::lock_guard lock(buffer_mutex_);
  return pending_lines_;
}

void BufferedFdSink::sink_it_(const spdlog::details::log_msg& msg) {
  std::unique_lock lock(buffer_mutex_);
  spdlog::memory_buf_t line;
  formatter_->format(msg, line);
  buffer_.append(line.data(), line.size());
  ++pending_lines_;
  if (buffer_.size() >= capacity_) WriteOut(lock);
}

void BufferedFdSink::flush_() {
  std::unique_lock lock(buffer_mutex_);
  if (!buffer_.empty()) WriteOut(lock);
}

void BufferedFdSink::set_pattern_(const std::string& pattern) {
  set_formatter_(std::make_unique<spdlog::pattern_formatter>(pattern));
}

void BufferedFdSink::set_formatter_(std::unique_ptr<spdlog::formatter> formatter) {
  std::lock_guard lock(buffer_mutex_);
  formatter_ = std::move(formatter);
}

void BufferedFdSink::WriteOut(std::unique_lock<std::mutex>& buffer_lock) {
  // Taking the write lock before letting go of the buffer keeps batches in order; other
  // threads go on filling the (now empty) buffer while this one writes.
  std::lock_guard write_lock(write_mutex_);
  writing_.swap(buffer_);
  pending_lines_ = 0;
  buffer_lock.unlock();
  const char* data = writing_.data();
  std::size_t left = writing_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, data, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a closed or full output: the lines are lost, the server goes on
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  writing_.clear();
}

}  // namespace gatehouse
