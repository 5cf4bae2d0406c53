// The checks the C++ tests share: CHECK counts a passed or failed condition
// (printing the file and line of a failure), EXPECT_ERROR runs a statement
// that must throw herald::Error with a given status and code. Each test
// prints `passed` and `failed` at its end and fails when `failed` is not 0.
#pragma once

#include "herald.hpp"

#include <cstdio>
#include <string>

namespace {

int passed = 0;
int failed = 0;

[[maybe_unused]] void check(bool condition, const char *what, const char *file, int line) {
    if (condition) {
        passed++;
    } else {
        failed++;
        std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, what);
    }
}

/// Runs `body`, expecting herald::Error with `status` and `code`.
template <typename Body>
void expect_error(Body body, herald::Status status, const char *code, const char *file, int line) {
    try {
        body();
        check(false, "expected herald::Error", file, line);
    } catch (const herald::Error &error) {
        check(error.status() == status, "status", file, line);
        check(error.code() == code, code, file, line);
        check(std::string(error.what()).size() > 0, "message", file, line);
    }
}

} // namespace

#define CHECK(condition) check((condition), #condition, __FILE__, __LINE__)
#define EXPECT_ERROR(body, status, code) expect_error([&] { body; }, status, code, __FILE__, __LINE__)
