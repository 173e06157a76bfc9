# The hostile HTTP catalogue (issue 8): raw malformed and abusive requests, HTTP/1.1 and h2c,
# against the real binary, through the integration harness (linked, not copied). One ctest
# test per case, plus the gauntlet that runs them all against one server.
add_executable(hostile_http_tests hostile_http_test.cc hostile_client.cc
               ${PROJECT_SOURCE_DIR}/tests/integration/harness.cc
               ${PROJECT_SOURCE_DIR}/tests/integration/test_backend.cc
               ${PROJECT_SOURCE_DIR}/tests/integration/h2_client.cc)
target_include_directories(hostile_http_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/integration)
target_link_libraries(hostile_http_tests PRIVATE hookgate_gateway GTest::gtest_main)
target_compile_definitions(hostile_http_tests PRIVATE
  HOOKGATE_BINARY="$<TARGET_FILE:hookgate>"
  HOOKGATE_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
add_dependencies(hostile_http_tests hookgate)
gtest_discover_tests(hostile_http_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "reliability.hostile."
                     PROPERTIES LABELS reliability TIMEOUT 600)
# And on PostgreSQL (../integration/test_backend.h): what was acked or refused must not depend
# on the backend behind the HTTP layer.
gtest_discover_tests(hostile_http_tests DISCOVERY_TIMEOUT 60 TEST_PREFIX "reliability.hostile.postgres."
                     PROPERTIES LABELS reliability TIMEOUT 600 FIXTURES_REQUIRED postgres
                                ENVIRONMENT HOOKGATE_TEST_BACKEND=postgres)
