# The c10d/Gloo communicator: ranks as threads of one test, then as separate
# processes (ddp_worker, and `salient-cli train` when the CLI has it), all on 127.0.0.1.
if(NOT TORCH_LIBRARIES)
  find_package(Torch REQUIRED)
endif()
find_package(Qt6 REQUIRED COMPONENTS Network)

salient_add_test(tst_distributed SOURCES tst_distributed.cpp
  LIBS salient_train ${TORCH_LIBRARIES} Qt6::Network)

# One rank of a small data-parallel training; the process test starts two.
add_executable(ddp_worker ddp_worker.cpp)
target_link_libraries(ddp_worker PRIVATE salient_train ${TORCH_LIBRARIES} Qt6::Core)
salient_add_test(tst_distributed_processes SOURCES tst_distributed_processes.cpp
  LIBS Qt6::Network)
target_compile_definitions(tst_distributed_processes PRIVATE
  SALIENT_DDP_WORKER="$<TARGET_FILE:ddp_worker>")
add_dependencies(tst_distributed_processes ddp_worker)

# The real thing: two `salient-cli train` ranks on the tiny project.
if(TARGET salient-cli)
  salient_add_test(tst_distributed_cli SOURCES tst_distributed_cli.cpp
    LIBS salient_core Qt6::Network)
  target_compile_definitions(tst_distributed_cli PRIVATE SALIENT_CLI_PATH="$<TARGET_FILE:salient-cli>")
  add_dependencies(tst_distributed_cli salient-cli)
  set_tests_properties(tst_distributed_cli PROPERTIES TIMEOUT ${salient_long_test_timeout})
endif()
