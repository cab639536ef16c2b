# The training DataLoader: images/s at 224 with N workers, no cache / cold / warm cache.
# The loader is torch-free, so the bench compiles its two sources itself and
# needs neither LibTorch nor the rest of salient_train.
if(SALIENT_BUILD_TRAIN)
  add_executable(bench_loader bench_loader.cpp bench_imaging_common.h
    ${PROJECT_SOURCE_DIR}/core/train/dataloader.cpp ${PROJECT_SOURCE_DIR}/core/train/datapipeline.cpp)
  target_link_libraries(bench_loader PRIVATE salient_core Qt6::Core)
endif()
