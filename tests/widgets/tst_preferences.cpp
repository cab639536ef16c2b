// SPDX-License-Identifier: GPL-3.0-or-later
// The pixel limit as a preference: what the dialog shows, what OK stores and
// applies at once, what Cancel leaves alone, and what the studio applies at
// start from whatever QSettings holds (out-of-range and garbage included).

#include "core/imaging/decode.h"
#include "core/imaging/pixellimit.h"
#include "tests/support/imagemaker.h"
#include "widgets/preferencesdialog.h"

#include <QDialogButtonBox>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace salient;

class TestPreferences : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void storedValueIsAppliedAtStart_data();
    void storedValueIsAppliedAtStart();
    void okStoresAndAppliesTheTypedValue();
    void cancelChangesNothing();
    void restoreDefaultsShowsTheDefault();

private:
    QSpinBox *spinBox(PreferencesDialog &d) const
    {
        return d.findChild<QSpinBox *>(QStringLiteral("maxMegapixels"));
    }
    QPushButton *button(PreferencesDialog &d, QDialogButtonBox::StandardButton which) const
    {
        auto *box = d.findChild<QDialogButtonBox *>();
        return box ? box->button(which) : nullptr;
    }

    QTemporaryDir m_settings;
    QTemporaryDir m_images;
};

void TestPreferences::initTestCase()
{
    QCoreApplication::setOrganizationName(QStringLiteral("SalientTests"));
    QCoreApplication::setApplicationName(QStringLiteral("preferences"));
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path());
}

void TestPreferences::init()
{
    QSettings().clear();
    setPixelLimit(0);
}

void TestPreferences::storedValueIsAppliedAtStart_data()
{
    QTest::addColumn<QVariant>("stored");
    QTest::addColumn<qint64>("applied");
    QTest::newRow("nothing stored: the default") << QVariant() << kDefaultMaxPixels;
    QTest::newRow("50 megapixels") << QVariant(50) << 50LL * 1000 * 1000;
    QTest::newRow("above the range: clamped to 1000") << QVariant(99999) << 1000LL * 1000 * 1000;
    QTest::newRow("below the range: clamped to 1") << QVariant(-5) << 1000LL * 1000;
    QTest::newRow("not a number: the default") << QVariant(QStringLiteral("lots"))
                                                           << kDefaultMaxPixels;
}

void TestPreferences::storedValueIsAppliedAtStart()
{
    QFETCH(QVariant, stored);
    QFETCH(qint64, applied);
    if (stored.isValid())
        QSettings().setValue(QLatin1String(PreferencesDialog::kMaxMegapixelsKey), stored);
    PreferencesDialog::applyStored();
    QCOMPARE(pixelLimit(), applied);
}

void TestPreferences::okStoresAndAppliesTheTypedValue()
{
    const QString file = m_images.filePath(QStringLiteral("two-megapixels.png"));
    QVERIFY(test::writePng(file, 2000, 1000));
    QVERIFY(decodeImage(file).ok());

    PreferencesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QSpinBox *box = spinBox(dialog);
    QVERIFY(box);
    QCOMPARE(box->value(), 300);
    QCOMPARE(box->minimum(), kMinMegapixels);
    QCOMPARE(box->maximum(), kMaxMegapixels);
    box->setFocus();
    box->selectAll();
    QTest::keyClicks(box, QStringLiteral("1"));
    QTest::mouseClick(button(dialog, QDialogButtonBox::Ok), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));

    QCOMPARE(QSettings().value(QLatin1String(PreferencesDialog::kMaxMegapixelsKey)).toInt(), 1);
    QCOMPARE(pixelLimit(), 1000LL * 1000);
    auto refused = decodeImage(file); // at once, with no restart
    QVERIFY(!refused.ok());
    QVERIFY2(
        refused.error().message.contains(QStringLiteral("exceeds the limit of 1.0 megapixels")),
                                         qPrintable(refused.error().toString()));

    PreferencesDialog again; // shows the value in force
    QCOMPARE(spinBox(again)->value(), 1);
}

void TestPreferences::cancelChangesNothing()
{
    PreferencesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    spinBox(dialog)->setValue(7);
    QTest::mouseClick(button(dialog, QDialogButtonBox::Cancel), Qt::LeftButton);
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QVERIFY(!QSettings().contains(QLatin1String(PreferencesDialog::kMaxMegapixelsKey)));
    QCOMPARE(pixelLimit(), kDefaultMaxPixels);
}

void TestPreferences::restoreDefaultsShowsTheDefault()
{
    setPixelLimit(20LL * 1000 * 1000);
    PreferencesDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(spinBox(dialog)->value(), 20);
    QTest::mouseClick(button(dialog, QDialogButtonBox::RestoreDefaults), Qt::LeftButton);
    QCOMPARE(spinBox(dialog)->value(), 300);
}

QTEST_MAIN(TestPreferences)
#include "tst_preferences.moc"
