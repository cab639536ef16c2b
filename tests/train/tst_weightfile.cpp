// SPDX-License-Identifier: GPL-3.0-or-later
// torchvision's weight files, written at test time by Debian's python3-torch,
// read bit for bit without executing the pickle; hostile, cut and foreign files
// give a clear Error naming the file and never crash.
#include "core/train/pickle.h"
#include "core/train/weightfile.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace salient;
using namespace salient::train;

class TestWeightFile : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QJsonObject m_reference;
    QByteArray m_blob;

    QString file(const QString &name) const { return m_dir.filePath(name); }
    QString writeBytes(const QString &name, const QByteArray &bytes) const
    {
        QFile f(file(name));
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
            return QString();
        return f.fileName();
    }
    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString script = qEnvironmentVariable("SALIENT_SOURCE_DIR")
                               + QStringLiteral("/tests/data/train/make_weights.py");
        QVERIFY2(QFile::exists(script), qPrintable(script));
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), {script, m_dir.path()});
        QVERIFY2(python.waitForFinished(240000), "make_weights.py did not finish");
        const QByteArray err = python.readAllStandardError();
        if (python.exitCode() == 3 || python.exitStatus() != QProcess::NormalExit
            || python.error() == QProcess::FailedToStart)
            QFAIL(qPrintable(QStringLiteral("/usr/bin/python3 cannot import torch/torchvision: install the Debian packages "
                                            "python3-torch python3-torchvision (%1)")
                    .arg(QString::fromLocal8Bit(err))));
        QVERIFY2(python.exitCode() == 0, err.constData());
        m_reference =
            QJsonDocument::fromJson(readAll(file(QStringLiteral("reference.json")))).object();
        m_blob = readAll(file(QStringLiteral("reference.bin")));
        QVERIFY(!m_reference.isEmpty() && !m_blob.isEmpty());
    }

    void readsEveryTensorBitForBit_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("torchvision resnet18") << "resnet18.pth";
        QTest::newRow("torchvision mobilenet_v3_small") << "mobilenet_v3_small.pth";
        QTest::newRow("torchvision efficientnet_b0") << "efficientnet_b0.pth";
        QTest::newRow("odd dtypes, views, strides, scalar, empty") << "odd.pth";
        QTest::newRow("legacy pre-1.6 format") << "legacy.pth";
        QTest::newRow("nn.Parameter values") << "parameter.pth";
        QTest::newRow("checkpoint with a nested state_dict") << "checkpoint.pth";
    }
    void readsEveryTensorBitForBit()
    {
        QFETCH(QString, name);
        const auto r = readWeightFile(file(name));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        const QJsonArray expected = m_reference.value(name).toArray();
        QVERIFY(!expected.isEmpty());
        QCOMPARE(r->tensors.size(), expected.size());
        for (int i = 0; i < expected.size(); ++i) {
            const QJsonObject e = expected[i].toObject();
            const WeightTensor &t = r->tensors[i];
            QCOMPARE(t.name, e.value(QStringLiteral("name")).toString());
            QCOMPARE(t.dtype, e.value(QStringLiteral("dtype")).toString());
            QVector<qint64> shape;
            for (const QJsonValue &s : e.value(QStringLiteral("shape")).toArray())
                shape.append(s.toInteger());
            QCOMPARE(t.shape, shape);
            const QByteArray want =
                m_blob.mid(e.value(QStringLiteral("offset")).toInteger(),
                                   e.value(QStringLiteral("nbytes")).toInteger());
            QCOMPARE(t.data.size(), qsizetype(t.numel() * t.elementSize()));
            QVERIFY2(t.data == want, qPrintable(QStringLiteral("bytes differ for %1").arg(t.name)));
        }
    }

    void resnet18HasTorchvisionsKeysAndShapes()
    {
        QElapsedTimer timer;
        timer.start();
        const auto r = readWeightFile(file(QStringLiteral("resnet18.pth")));
        QVERIFY(r.ok());
        qInfo("resnet18.pth (45 MiB) read in %lld ms", qint64(timer.elapsed()));
        QCOMPARE(r->tensors.size(), 122);
        QVERIFY(r->warnings.isEmpty());
        QHash<QString, QVector<qint64>> shapes;
        for (const WeightTensor &t : r->tensors)
            shapes.insert(t.name, t.shape);
        QCOMPARE(shapes.value(QStringLiteral("conv1.weight")), (QVector<qint64>{64, 3, 7, 7}));
        QCOMPARE(shapes.value(QStringLiteral("layer3.0.downsample.0.weight")),
                              (QVector<qint64>{256, 128, 1, 1}));
        QCOMPARE(shapes.value(QStringLiteral("layer4.1.bn2.running_var")), (QVector<qint64>{512}));
        QCOMPARE(shapes.value(QStringLiteral("fc.weight")), (QVector<qint64>{1000, 512}));
        QCOMPARE(shapes.value(QStringLiteral("fc.bias")), (QVector<qint64>{1000}));
        QVERIFY(shapes.contains(QStringLiteral("bn1.num_batches_tracked")));
        QCOMPARE(shapes.value(QStringLiteral("bn1.num_batches_tracked")), QVector<qint64>{});
        QCOMPARE(r->tensors.first().name, QStringLiteral("conv1.weight"));
        QCOMPARE(r->tensors.last().name, QStringLiteral("fc.bias"));
    }

    void checkpointSaysWhichKeyItRead()
    {
        const auto r = readWeightFile(file(QStringLiteral("checkpoint.pth")));
        QVERIFY(r.ok());
        QVERIFY2(r->warnings.join(QLatin1Char('\n')).contains(QLatin1String("\"state_dict\"")),
                 qPrintable(r->warnings.join(QLatin1Char('\n'))));
    }

    void refusals_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("says");
        QTest::newRow("pickle that calls os.system")
            << "evil.pth"
            << "refused: the file asks to run posix.system";
        QTest::newRow("whole pickled nn.Module")
            << "whole_model.pth"
            << "asks to run torch.nn.modules.container.Sequential; weight files must hold tensors "
               "only (save model.state_dict(), not the model)";
        QTest::newRow("quantized tensor") << "quantized.pth"
                                          << "torch._utils._rebuild_qtensor";
        QTest::newRow("stride-0 view of 4 TiB") << "expand_bomb.pth"
                                                << "far more than the file holds";
        QTest::newRow("checkpoint with two dicts of tensors")
            << "two_models.pth"
            << "several dicts of tensors (model, ema)";
        QTest::newRow("storage entry missing from the archive") << "missing_storage.pth"
                                                                << "tensor \"";
        QTest::newRow("deflated archive") << "deflated.pth"
                                          << "compressed";
        QTest::newRow("TorchScript archive") << "script.pt"
                                             << "TorchScript";
        QTest::newRow("file that does not exist") << "nothing.pth"
                                                  << "cannot open";
    }
    void refusals()
    {
        QFETCH(QString, name);
        QFETCH(QString, says);
        const auto r = readWeightFile(file(name));
        QVERIFY(!r.ok());
        const QString message = r.error().toString();
        QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY2(message.contains(name), qPrintable(message));
        QVERIFY2(!QFile::exists(file(QStringLiteral("pwned"))), "the pickle was executed");
    }

    void foreignAndCutFilesGiveAnError_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("says");
        const QByteArray r18 = readAll(file(QStringLiteral("resnet18.pth")));
        QTest::newRow("text file named .pth")
            << "notes.pth" << QByteArray("these are not weights\n") << "not a PyTorch weight file";
        QTest::newRow("empty file") << "empty.pth" << QByteArray() << "empty";
        QTest::newRow("zip signature only")
            << "sig.pth" << QByteArray("PK\x03\x04", 4) << "truncated";
        QTest::newRow("cut in half names a tensor")
            << "half.pth" << r18.left(r18.size() / 2) << "tensors is missing (the first is \"";
        QTest::newRow("cut inside data.pkl") << "pkl.pth" << r18.left(5000) << "inside data.pkl";
        QTest::newRow("last byte missing") << "last.pth" << r18.chopped(1) << "truncated";
        QRandomGenerator rng(20261127);
        for (int i = 0; i < 10; ++i) {
            const qsizetype cut = rng.bounded(qint64(r18.size()));
            QTest::addRow("cut at random byte %lld", qint64(cut))
                << QStringLiteral("cut%1.pth").arg(i) << r18.left(cut) << "truncated";
        }
        QByteArray flipped = r18;
        flipped[flipped.size() / 2] = char(flipped[flipped.size() / 2] ^ 0x10);
        QTest::newRow("one flipped bit in a storage") << "flipped.pth" << flipped << "corrupted";
    }
    void foreignAndCutFilesGiveAnError()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, says);
        const QString path = writeBytes(name, bytes);
        QVERIFY(!path.isEmpty());
        const auto r = readWeightFile(path);
        QVERIFY(!r.ok());
        const QString message = r.error().toString();
        QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY2(message.contains(name), qPrintable(message));
    }

    void torchScriptIsToldApart_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("torchScript");
        QTest::newRow("scripted nn.Linear") << "script.pt" << true;
        QTest::newRow("state_dict") << "resnet18.pth" << false;
        QTest::newRow("legacy state_dict") << "legacy.pth" << false;
    }
    void torchScriptIsToldApart()
    {
        QFETCH(QString, name);
        QFETCH(bool, torchScript);
        const auto r = isTorchScriptArchive(file(name));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().toString()));
        QCOMPARE(*r, torchScript);
        const QString text = writeBytes(QStringLiteral("text.pt"), "hello");
        const auto bad = isTorchScriptArchive(text);
        QVERIFY(!bad.ok());
        QVERIFY(bad.error().toString().contains(QLatin1String("text.pt")));
    }

    // Mutated pickles (flipped bytes, cuts) must give values or errors, never a crash.
    void mutatedPicklesNeverCrash()
    {
        const QByteArray pkl = readAll(file(QStringLiteral("resnet18.data.pkl")));
        QVERIFY(!pkl.isEmpty());
        {
            pickle::Unpickler up(pkl);
            qsizetype pos = 0;
            auto root = up.load(&pos);
            QVERIFY(root.ok());
            QCOMPARE(pos, pkl.size());
            QCOMPARE((*root)->entries.size(), 122);
        }
        QRandomGenerator rng(6);
        int errors = 0;
        for (int i = 0; i < 3000; ++i) {
            QByteArray m = pkl;
            for (int k = rng.bounded(1, 5); k > 0; --k)
                m[rng.bounded(m.size())] = char(rng.bounded(256));
            if (i % 3 == 0)
                m.truncate(rng.bounded(m.size()));
            pickle::Unpickler up(m);
            qsizetype pos = 0;
            errors += up.load(&pos).ok() ? 0 : 1;
        }
        QVERIFY(errors > 1000);
    }

    // Mutated archives (zip headers, directory, legacy pickles) likewise.
    void mutatedArchivesNeverCrash_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("zip format") << "odd.pth";
        QTest::newRow("legacy format") << "legacy.pth";
    }
    void mutatedArchivesNeverCrash()
    {
        QFETCH(QString, name);
        const QByteArray original = readAll(file(name));
        QVERIFY(!original.isEmpty());
        QRandomGenerator rng(7);
        int errors = 0;
        for (int i = 0; i < 300; ++i) {
            QByteArray m = original;
            for (int k = rng.bounded(1, 4); k > 0; --k)
                m[rng.bounded(m.size())] = char(rng.bounded(256));
            const QString path = writeBytes(QStringLiteral("mutated.pth"), m);
            QVERIFY(!path.isEmpty());
            const auto r = readWeightFile(path);
            if (!r.ok()) {
                ++errors;
                QVERIFY2(r.error().toString().contains(QLatin1String("mutated.pth")),
                         qPrintable(r.error().toString()));
            }
            (void)isTorchScriptArchive(path);
        }
        QVERIFY(errors > 100);
    }
};

QTEST_GUILESS_MAIN(TestWeightFile)
#include "tst_weightfile.moc"
