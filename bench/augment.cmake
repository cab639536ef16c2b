# Augmentation pipeline: decode + preset augmentation to 224 + normalise, batched.
add_executable(bench_augment bench_augment.cpp bench_imaging_common.h)
target_link_libraries(bench_augment PRIVATE salient_core_imaging Qt6::Core)
