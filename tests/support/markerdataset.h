// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A tiny project whose class is decided only by WHERE a small bright square
// sits on colour noise: in which quadrant ("topleft", "topright",
// "bottomleft", "bottomright"). The right explanation is therefore known: a
// map that is hottest on the marker. Four classes rather than two: with two,
// a network may learn one detector and call the other class "no marker
// there", and its maps for that class rightly look elsewhere. For the
// explainer tests.

#include <QHash>
#include <QRect>
#include <QString>
#include <QVector>

namespace salient::test {

struct MarkerSpec {
    int size = 32;        ///< square PNG side
    int markerSide = 7;
    int trainPerClass = 48;
    int valPerClass = 8;
    int testPerClass = 8;
    quint32 seed = 11;
    /// Multi-label: an image carries each other class's marker with
    /// probability 0.4 besides its own, labelled with every class whose
    /// marker it has.
    bool multiLabel = false;
};

struct MarkerProject {
    QString project; ///< empty when anything failed (after a qWarning)
    /// Absolute image path -> its markers by class index (four; a null rect
    /// for a class whose marker the image does not carry).
    QHash<QString, QVector<QRect>> markers;
};

/// Writes PNGs under `dir`/images/<split>/ and `dir`/marker.salient with
/// splits "train", "val" and "test"; classes "topleft", "topright",
/// "bottomleft", "bottomright" (indices 0..3 in that order). File names
/// start with the class index of the image's first marker.
MarkerProject makeMarkerProject(const QString &dir, const MarkerSpec &spec = {});

} // namespace salient::test
