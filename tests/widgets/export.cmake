# Model export (issue #8): the export dialog and "Try a model file…" against
# a fake ExportController (no LibTorch, nothing trained).
salient_add_test(widgets_exportdialog GUI SOURCES tst_exportdialog.cpp exportfake.h
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_modeltrydialog GUI SOURCES tst_modeltrydialog.cpp exportfake.h
  LIBS salient_widgets salient_core Qt6::Widgets)
# In the studio: the Model menu and the Runs list's Export button, for finished runs only.
salient_add_test(widgets_exportmenu GUI SOURCES tst_exportmenu.cpp exportfake.h
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
