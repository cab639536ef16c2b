# bench_canvas: frame time to repaint a 4000x3000 image with 2,000 shapes
# (boxes, polygons, a few masks). Run: QT_QPA_PLATFORM=offscreen bench/bench_canvas
add_executable(bench_canvas bench_canvas.cpp)
target_link_libraries(bench_canvas PRIVATE salient_widgets salient_core Qt6::Widgets Qt6::Test)
