# Expert review without LibTorch (core/review, core/imaging/heatmap, the review
# gallery model): overlays, stored verdicts and maps, the gallery's filters, the report.
salient_add_test(tst_review_heatmap SOURCES ${CMAKE_CURRENT_LIST_DIR}/review_heatmap.cpp
  LIBS salient_core_imaging)
salient_add_test(tst_review_store SOURCES ${CMAKE_CURRENT_LIST_DIR}/review_store.cpp
  ${CMAKE_CURRENT_LIST_DIR}/review_fixture.h LIBS salient_core_review SQLite::SQLite3)
salient_add_test(tst_review_model SOURCES ${CMAKE_CURRENT_LIST_DIR}/review_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/review_fixture.h LIBS salient_core_models salient_core_review)
salient_add_test(tst_review_report SOURCES ${CMAKE_CURRENT_LIST_DIR}/review_report.cpp
  ${CMAKE_CURRENT_LIST_DIR}/review_fixture.h LIBS salient_core_review)
# PDF needs fonts, which Qt provides only in a QGuiApplication: QTEST_MAIN, offscreen.
salient_add_test(tst_review_report_pdf SOURCES ${CMAKE_CURRENT_LIST_DIR}/review_report_pdf.cpp
  ${CMAKE_CURRENT_LIST_DIR}/review_fixture.h LIBS salient_core_review GUI)
