#include "common/log_sink.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/logger.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace gatehouse {
namespace {

// The read end of a pipe, non-blocking: what the sink has written so far.
class Pipe {
 public:
  Pipe() {
    EXPECT_EQ(::pipe(fds_), 0);
    fcntl(fds_[0], F_SETFL, O_NONBLOCK);
  }
  ~Pipe() {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int write_fd() const { return fds_[1]; }
  std::string Drain() {
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = ::read(fds_[0], buf, sizeof buf)) > 0;) out.append(buf, n);
    return out;
  }

 private:
  int fds_[2];
};

std::shared_ptr<spdlog::logger> MakeLogger(std::shared_ptr<BufferedFdSink> sink) {
  auto logger = std::make_shared<spdlog::logger>("test", std::move(sink));
  logger->set_pattern("%v");
  return logger;
}

TEST(BufferedFdSinkTest, HoldsLinesUntilFlushedThenWritesThemInOrder) {
  Pipe pipe;
  auto sink = std::make_shared<BufferedFdSink>(pipe.write_fd(), 1 << 20);
  auto logger = MakeLogger(sink);
  logger->info("one");
  logger->info("two");
  EXPECT_EQ(pipe.Drain(), "");
  EXPECT_EQ(sink->pending(), 2u);
  logger->flush();
  EXPECT_EQ(pipe.Drain(), "one\ntwo\n");
  EXPECT_EQ(sink->pending(), 0u);
  logger->flush();  // nothing waiting: nothing written
  EXPECT_EQ(pipe.Drain(), "");
}

TEST(BufferedFdSinkTest, WritesWholeLinesWhenTheBufferIsFull) {
  Pipe pipe;
  auto sink = std::make_shared<BufferedFdSink>(pipe.write_fd(), 16);
  auto logger = MakeLogger(sink);
  logger->info("0123456789");  // 11 bytes: under capacity
  EXPECT_EQ(pipe.Drain(), "");
  logger->info("abcdefghij");  // 22 bytes: over, both lines go out whole
  EXPECT_EQ(pipe.Drain(), "0123456789\nabcdefghij\n");
}

TEST(BufferedFdSinkTest, FlushOnLevelWritesAtOnce) {
  Pipe pipe;
  auto logger = MakeLogger(std::make_shared<BufferedFdSink>(pipe.write_fd()));
  logger->flush_on(spdlog::level::warn);
  logger->info("request");
  logger->warn("trouble");
  EXPECT_EQ(pipe.Drain(), "request\ntrouble\n");
}

TEST(BufferedFdSinkTest, WritesWhatIsLeftWhenDestroyed) {
  Pipe pipe;
  {
    auto logger = MakeLogger(std::make_shared<BufferedFdSink>(pipe.write_fd()));
    logger->info("last words");
  }
  EXPECT_EQ(pipe.Drain(), "last words\n");
}

TEST(BufferedFdSinkTest, LinesFromManyThreadsArriveWholeAndNoneIsLost) {
  Pipe pipe;
  std::string out;
  {
    auto sink = std::make_shared<BufferedFdSink>(pipe.write_fd(), 512);
    auto logger = MakeLogger(sink);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 500; ++i) logger->info("thread {} line {:04d} end", t, i);
      });
    }
    for (auto& th : threads) th.join();  // 2000 lines of 25 bytes: within the pipe's 64 KiB
  }
  out += pipe.Drain();
  std::vector<int> next(4, 0);
  std::size_t lines = 0;
  for (std::size_t pos = 0; pos < out.size();) {
    std::size_t nl = out.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    std::string line = out.substr(pos, nl - pos);
    int t = -1, i = -1;
    char end[4] = {};
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d %3s", &t, &i, end), 3) << line;
    ASSERT_STREQ(end, "end") << line;
    ASSERT_TRUE(t >= 0 && t < 4) << line;
    EXPECT_EQ(i, next[t]++) << "lines of one thread stay in order";
    ++lines;
    pos = nl + 1;
  }
  EXPECT_EQ(lines, 2000u);
}

}  // namespace
}  // namespace gatehouse
