# The training dock driven with the real TrainingWorker on the tiny project (offscreen).
salient_add_test(train_trainingpanel_real GUI SOURCES tst_trainingpanel_real.cpp
  LIBS salient_train salient_widgets salient_core Qt6::Widgets Qt6::Charts)
# The review panel with the real ExplainWorker on a tiny trained run (offscreen).
salient_add_test(train_reviewpanel_real GUI SOURCES tst_reviewpanel_real.cpp explainfixture.h
  LIBS salient_train salient_widgets salient_core Qt6::Widgets)
set_tests_properties(train_reviewpanel_real PROPERTIES TIMEOUT ${salient_long_test_timeout})
