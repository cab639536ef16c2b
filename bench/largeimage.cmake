# Large images: time to first preview and to the full 100 MP image; paint cost per level.
add_executable(bench_largeimage bench_largeimage.cpp)
target_link_libraries(bench_largeimage PRIVATE salient_core_imaging Qt6::Gui)
