# Imaging benchmarks: import throughput and thumbnail throughput.
add_executable(bench_import bench_import.cpp bench_imaging_common.h)
target_link_libraries(bench_import PRIVATE salient_core Qt6::Core Qt6::Concurrent)

add_executable(bench_thumbs bench_thumbs.cpp bench_imaging_common.h)
target_link_libraries(bench_thumbs PRIVATE salient_core Qt6::Core Qt6::Concurrent)
