// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/formats/format.h"

#include <QObject>
#include <QString>
#include <QTemporaryDir>

/// The labelme format: our reader and writer (formats_labelme.cpp), and the
/// peer tests that run Debian's labelme 5.1.1 on the same files
/// (formats_labelme_peer.cpp, scripts in tests/data/labelme/).
class TestFormatsLabelme : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registered();
    void readsHandWrittenFile();
    void badPointsAreProblemsWithJsonPath_data();
    void badPointsAreProblemsWithJsonPath();
    void malformedJsonNamesLine_data();
    void malformedJsonNamesLine();
    void refusesPathsOutsideDataset_data();
    void refusesPathsOutsideDataset();
    void circleKeepsArea_data();
    void circleKeepsArea();
    void readsMaskShape();
    void roundTripKeepsShapesLabelsAttributes();
    void embeddedImageDataRoundTrip();
    void detectsOwnOutput();
    void projectRoundTripThroughPipeline();

    // Peers (formats_labelme_peer.cpp)
    void peerLoadsOurJson();
    void peerWrittenJsonImports();
    void classMasksMatchPeerRasteriser();
};

namespace labelmetest {

const salient::DatasetFormat &labelme();
/// A 640x480-ish PNG (any content) at `path`, folders created.
bool writeImage(const QString &path, int width, int height, int seed = 0);
bool writeFile(const QString &path, const QByteArray &bytes);

} // namespace labelmetest

namespace salient {
class ProjectStore;
}

namespace labelmetest {

/// Everything a format can carry of a project, one sorted line per fact, keyed
/// by image file name (not folder): labels, split, and shapes with coordinates
/// to 1e-4 px. Two projects holding the same annotations give equal lists.
QStringList projectFacts(salient::ProjectStore &store, bool withShapes = true);

} // namespace labelmetest
