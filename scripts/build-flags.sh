# Sourced by scripts/test and scripts/fuzz: how each configures its build folder, in one place, so that
# the sanitizer build of the tests and the libFuzzer targets are one build (build-asan/), not two.
#   build_flags         every build: unity, tests, warnings as errors
#   sanitizer_build_dir, sanitizer_flags
#                       clang, -O1 with line tables, ASan + UBSan, coverage for libFuzzer (MESHCTL_FUZZ)
build_flags=(-DCMAKE_UNITY_BUILD=ON -DMESHCTL_BUILD_TESTS=ON -DMESHCTL_WERROR=ON)
command -v ccache >/dev/null && build_flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
sanitizer_build_dir=build-asan
sanitizer_flags=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
                 -DMESHCTL_SANITIZE=ON -DMESHCTL_FUZZ=ON)
