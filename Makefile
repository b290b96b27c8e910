# Gatehouse: `make run` and `make test` are the whole set-up on a fresh Debian 12 machine.
.DEFAULT_GOAL := run
SHELL := /bin/bash

BUILD_DIR ?= build
ASAN_DIR  ?= build-asan
JOBS      ?= $(shell nproc)
LISTEN    ?= 127.0.0.1:8080
DATA_DIR  ?= ./data

# Debian 12 packages the build, the tests and the examples need.
DEBIAN_PACKAGES := build-essential cmake pkg-config clang-format \
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
  libssl-dev libsqlite3-dev libsodium-dev libcli11-dev libspdlog-dev libtomlplusplus-dev \
  libgtest-dev libgmock-dev libbenchmark-dev \
  python3 python3-yaml python3-pytest python3-requests python3-jsonschema \
  python3-authlib python3-jwt python3-jwcrypto \
  nginx-light wrk curl chromium

.PHONY: run test test-sanitize build deps bench format clean web

WEB_SOURCES := $(shell find web/src web/public web/index.html web/vite.config.ts web/tsconfig.json \
                 web/package.json web/package-lock.json -type f 2>/dev/null)

deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	  done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing Debian packages. Run:"; \
	    echo "  sudo apt-get install -y $$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps web
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The dashboard: built once into web/dist, served by `gatehouse serve` (no node at run time).
web: web/dist/index.html
web/dist/index.html: $(WEB_SOURCES)
	cd web && npm ci --no-audit --no-fund && npm run build

run: build
	$(BUILD_DIR)/gatehouse serve --listen $(LISTEN) --data-dir $(DATA_DIR)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The same tests against an AddressSanitizer + UndefinedBehaviorSanitizer build.
test-sanitize: deps web
	cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DGATEHOUSE_SANITIZE=ON
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

format:
	git ls-files '*.cc' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR)

# The product's whole flow, step by step, on a fresh temporary data dir: Gatehouse and the
# example Orders API on free ports, cleaned up afterwards (examples/demo.py).
.PHONY: demo
demo: build
	/usr/bin/python3 examples/demo.py --gatehouse $(BUILD_DIR)/gatehouse --orders-api $(BUILD_DIR)/orders_api

# Benchmarks (never part of `make test`): the Release build, the Google Benchmark
# micro-benchmarks built (run them by hand: build/bench/crypto_bench, build/bench/hot_path_bench), then the
# HTTP figures with wrk beside oidc-provider, nginx and openssl speed (bench/run.py,
# docs/performance.md). Results go to bench/results/.
bench: build
	cmake --build $(BUILD_DIR) -j $(JOBS) --target crypto_bench hot_path_bench verify_local_bench
	cd bench/peer && npm ci --no-audit --no-fund --silent
	/usr/bin/python3 bench/run.py --gatehouse $(BUILD_DIR)/gatehouse
