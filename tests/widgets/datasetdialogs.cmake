# File > Import Dataset… / Export Dataset…: the dialogs, their worker and the
# main window's menu entries, over the real formats pipeline.
salient_add_test(tst_datasetdialogs GUI
  SOURCES tst_datasetdialogs.cpp
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
