# Run at every build (cli/CMakeLists.txt): writes OUTPUT, the build's commit and date, for `meshctl
# version`. configure_file rewrites it only when its content changes, so an unchanged tree relinks nothing.
# Inputs: SOURCE_DIR, TEMPLATE, OUTPUT. The date is SOURCE_DATE_EPOCH's when set (reproducible builds),
# else today's (UTC, day precision).
set(commit "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                  OUTPUT_VARIABLE described OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE failed ERROR_QUIET)
  if(NOT failed AND described)
    set(commit "${described}")
  endif()
endif()
string(TIMESTAMP build_date "%Y-%m-%d" UTC)
configure_file("${TEMPLATE}" "${OUTPUT}" @ONLY)
