#pragma once

#include <cstdio>
#include <cstdlib>

// Guards invariants of our own code, never input: a failure is a bug, so abort loudly.
#define GH_CHECK(cond)                                                                 \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: GH_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)
