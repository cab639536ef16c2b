# Annotation canvas: the real canvas driven with QTest mouse and key events,
# shapes read back from the store after reopening the project.
salient_add_test(widgets_canvas GUI
  SOURCES canvasfixture.h canvasfixture.cpp tst_canvas.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_canvastools GUI
  SOURCES canvasfixture.h canvasfixture.cpp tst_canvastools.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
# The studio's annotate mode: A/D, history per image, Space, tags, Edit > Undo.
salient_add_test(widgets_canvasflow GUI
  SOURCES tst_canvasflow.cpp
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
