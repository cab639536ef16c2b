# bench_formats: a generated COCO file of 100,000 images and 1,000,000 boxes:
# read(), write(), importDataset() into a fresh project and exportDataset() back,
# each stage in its own process so its peak RSS is its own. Run: bench/bench_formats
add_executable(bench_formats bench_formats.cpp)
target_link_libraries(bench_formats PRIVATE salient_core_formats salient_core_project Qt6::Core ${OpenCV_LIBS})
target_include_directories(bench_formats SYSTEM PRIVATE ${OpenCV_INCLUDE_DIRS})
