// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/imagedetails.h"

#include "widgets/icons.h"

#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

namespace salient {

namespace {
QString statusText(ImageStatus s)
{
    switch (s) {
    case ImageStatus::New:
        return ImageDetails::tr("New");
    case ImageStatus::InProgress:
        return ImageDetails::tr("In progress");
    case ImageStatus::Done:
        return ImageDetails::tr("Done");
    case ImageStatus::NeedsReview:
        return ImageDetails::tr("Needs review");
    }
    return {};
}
} // namespace

ImageDetails::ImageDetails(QWidget *parent) : QWidget(parent)
{
    auto *lay = new QVBoxLayout(this);
    lay->setContentsMargins(8, 8, 8, 8);
    m_preview = new QLabel(this);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setMinimumSize(200, 200);
    m_preview->setStyleSheet(
        QStringLiteral("background: rgba(128,128,128,30); border-radius: 4px;"));
    lay->addWidget(m_preview);
    auto *form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    auto field = [&](const QString &label) {
        auto *l = new QLabel(this);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
        l->setWordWrap(true);
        form->addRow(label, l);
        return l;
    };
    m_file = field(tr("File:"));
    m_folder = field(tr("Folder:"));
    m_size = field(tr("Size:"));
    m_format = field(tr("Format:"));
    m_status = field(tr("Status:"));
    m_split = field(tr("Split:"));
    m_labels = field(tr("Labels:"));
    m_reason = field(tr("Problem:"));
    m_reason->setStyleSheet(QStringLiteral("color: #c0392b;"));
    lay->addLayout(form);
    lay->addStretch(1);
    clear();
}

void ImageDetails::showRecord(const ImageRecord &r, const QStringList &labels, const QString &split,
                              const QImage &preview)
{
    const QFileInfo fi(r.path);
    m_file->setText(fi.fileName());
    m_folder->setText(QDir::toNativeSeparators(fi.path()));
    m_size->setText(r.width > 0 ? tr("%1 × %2 px, %3")
                                      .arg(r.width)
                                      .arg(r.height)
                                      .arg(QLocale().formattedDataSize(r.fileSize))
                                : QLocale().formattedDataSize(r.fileSize));
    m_format->setText(r.format.isEmpty() ? tr("unknown")
                                         : tr("%1, %2-bit, %n channel(s)", nullptr, r.channels)
                                               .arg(r.format.toUpper())
                                               .arg(r.bitDepth));
    m_status->setText(statusText(r.status));
    m_split->setText(split.isEmpty() ? tr("none") : split);
    m_labels->setText(labels.isEmpty() ? tr("unlabelled") : labels.join(QStringLiteral(", ")));
    m_reason->setText(r.readable ? QString() : r.unreadableReason);
    m_reason->setVisible(!r.readable);
    if (!preview.isNull())
        m_preview->setPixmap(QPixmap::fromImage(preview.scaled(
            m_preview->size() - QSize(8, 8), Qt::KeepAspectRatio, Qt::SmoothTransformation)));
    else
        m_preview->setText(r.readable ? tr("No preview yet") : tr("Unreadable"));
}

void ImageDetails::clear()
{
    for (QLabel *l : {m_file, m_folder, m_size, m_format, m_status, m_split, m_labels, m_reason})
        l->clear();
    m_reason->setVisible(false);
    m_preview->setPixmap(QPixmap());
    m_preview->setText(tr("No image selected"));
}

// ---------------------------------------------------------------------------

StartPage::StartPage(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->addStretch(2);
    auto *column = new QWidget(this);
    column->setFixedWidth(480);
    auto *lay = new QVBoxLayout(column);
    lay->setSpacing(10);
    auto *logo = new QLabel(column);
    QPixmap pm(QSize(72, 72) * devicePixelRatioF());
    pm.setDevicePixelRatio(devicePixelRatioF());
    pm.fill(Qt::transparent);
    {
        QPainter p(&pm);
        renderSvg(QStringLiteral(":/icons/salient.svg"), &p, QRectF(0, 0, 72, 72),
                                 palette().color(QPalette::Text));
    }
    logo->setPixmap(pm);
    logo->setAlignment(Qt::AlignCenter);
    logo->setMinimumHeight(76);
    lay->addWidget(logo);
    auto *title = new QLabel(tr("Salient Studio"), column);
    QFont tf = title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.8);
    tf.setBold(true);
    title->setFont(tf);
    title->setAlignment(Qt::AlignCenter);
    lay->addWidget(title);
    auto *intro =
        new QLabel(tr("Label images, fine-tune CNNs and review what they look at."), column);
    intro->setAlignment(Qt::AlignCenter);
    intro->setWordWrap(true);
    lay->addWidget(intro);
    lay->addSpacing(10);
    auto addButton = [&](const QString &iconName, const QString &text, const QString &desc) {
        auto *b = new QToolButton(column);
        b->setText(text + QLatin1Char('\n') + desc);
        b->setIcon(icon(iconName));
        b->setIconSize(QSize(28, 28));
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setAutoRaise(true);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setMinimumHeight(52);
        b->setStyleSheet(QStringLiteral("QToolButton { text-align: left; padding: 6px 10px; }"));
        lay->addWidget(b);
        return b;
    };
    connect(addButton(QStringLiteral("new"), tr("New Project…"),
                                     tr("Start an empty project file (.salient)")),
                      &QAbstractButton::clicked, this, &StartPage::newRequested);
    connect(addButton(QStringLiteral("open"), tr("Open Project…"),
                                     tr("Continue with an existing project")),
                      &QAbstractButton::clicked, this, &StartPage::openRequested);
    connect(addButton(QStringLiteral("import-folder"), tr("Import a Folder…"),
                                     tr("Create a project from a folder of images")),
                      &QAbstractButton::clicked, this, &StartPage::importRequested);
    m_recentBox = new QWidget(column);
    m_recentLayout = new QVBoxLayout(m_recentBox);
    m_recentLayout->setContentsMargins(0, 12, 0, 0);
    m_recentLayout->setSpacing(2);
    lay->addWidget(m_recentBox);
    outer->addWidget(column, 0, Qt::AlignHCenter);
    outer->addStretch(3);
}

void StartPage::setRecent(const QStringList &files)
{
    while (QLayoutItem *item = m_recentLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (files.isEmpty()) {
        m_recentBox->hide();
        return;
    }
    auto *title = new QLabel(tr("<b>Recent projects</b>"), m_recentBox);
    m_recentLayout->addWidget(title);
    for (const QString &f : files) {
        auto *b = new QToolButton(m_recentBox);
        b->setText(QFileInfo(f).completeBaseName()
                   + QStringLiteral("  —  ")
                                    + QDir::toNativeSeparators(QFileInfo(f).absolutePath()));
        b->setToolTip(f);
        b->setAutoRaise(true);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
        b->setStyleSheet(QStringLiteral("text-align: left; padding: 4px;"));
        connect(b, &QToolButton::clicked, this, [this, f]() { Q_EMIT recentRequested(f); });
        m_recentLayout->addWidget(b);
    }
    m_recentBox->show();
}

} // namespace salient
