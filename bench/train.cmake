# End-to-end fine-tuning throughput through runTraining (ResNet-18, 224, frozen to
# layer2, batch 32, SGD), beside ../shared/peers/bench_train.py: bench/compare_train.py.
if(SALIENT_BUILD_TRAIN)
  add_executable(bench_train bench_train.cpp)
  target_link_libraries(bench_train PRIVATE salient_train salient_core Qt6::Core)
endif()
