# Brush and eraser on the real canvas, mask conversions, window/level bar.
salient_add_test(widgets_brush GUI SOURCES brushtest.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_windowlevelbar GUI SOURCES brushwindowleveltest.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
