# Expert review (issue #7): the heatmap view, and the review panel against a
# fake ExplainController over a run made with RunStore (no training).
salient_add_test(widgets_reviewheatmap GUI SOURCES tst_reviewheatmap.cpp
  LIBS salient_widgets salient_core Qt6::Widgets)
salient_add_test(widgets_reviewpanel GUI SOURCES tst_reviewpanel.cpp reviewfake.h
  LIBS salient_widgets salient_core Qt6::Widgets)
# In the studio: F10, verdict keys win over the browser's class keys, Fix label opens the canvas.
salient_add_test(widgets_reviewdock GUI SOURCES tst_reviewdock.cpp reviewfake.h
  LIBS salient_test_app salient_widgets salient_core Qt6::Widgets)
