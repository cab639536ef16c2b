// SPDX-License-Identifier: GPL-3.0-or-later
// ModelMeta's JSON form (what an exported file says about itself) and the
// small helpers of the export values.
#include "core/runs/modelexport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <cmath>

namespace salient {

QString modelFormatName(ModelFormat format)
{
    switch (format) {
    case ModelFormat::Onnx:
        return QStringLiteral("onnx");
    case ModelFormat::LibTorch:
        return QStringLiteral("libtorch");
    }
    return {};
}

std::optional<ModelFormat> modelFormatFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("onnx"))
        return ModelFormat::Onnx;
    if (n == QLatin1String("libtorch") || n == QLatin1String("torch"))
        return ModelFormat::LibTorch;
    return std::nullopt;
}

bool ParityReport::ok() const
{
    if (!ran || images <= 0)
        return false;
    // Only ONNX files go through a checker; LibTorch parity leaves the
    // checker fields untouched and says so in the runtime.
    const bool onnx = !runtime.startsWith(QLatin1String("LibTorch"));
    if (onnx && !checkerOk)
        return false;
    if (tolerance > 0 && !(maxAbsDiff >= 0 && maxAbsDiff <= tolerance))
        return false;
    return true;
}

namespace {

QJsonArray numbers(const double *v, int n)
{
    QJsonArray a;
    for (int i = 0; i < n; ++i)
        a.append(v[i]);
    return a;
}

/// Reads one ModelMeta field at a time and remembers the first bad key.
class MetaReader {
public:
    MetaReader(const QJsonObject &o, const QString &where) : m_o(o), m_where(where) {}

    bool failed() const { return m_error.has_value(); }
    Error error() const { return *m_error; }

    void fail(const QString &key, const QString &what)
    {
        if (m_error)
            return;
        Error e = makeError(Error::Code::Parse,
                            QStringLiteral("model metadata key \"%1\" %2").arg(key, what), m_where);
        e.where = key;
        m_error = e;
    }

    bool has(const char *key) const { return m_o.contains(QLatin1String(key)); }

    void string(const char *key, QString &out, bool required = false)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(QLatin1String(key), QStringLiteral("is missing"));
            return;
        }
        if (!v.isString())
            return fail(QLatin1String(key), QStringLiteral("must be a string"));
        out = v.toString();
        if (required && out.trimmed().isEmpty())
            fail(QLatin1String(key), QStringLiteral("is empty"));
    }

    void boolean(const char *key, bool &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        if (!v.isBool())
            return fail(QLatin1String(key), QStringLiteral("must be true or false"));
        out = v.toBool();
    }

    /// A finite number in [lo, hi]; whole when `integral`.
    bool number(const char *key, double &out, double lo, double hi, bool integral,
                bool required = false)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined()) {
            if (required)
                fail(QLatin1String(key), QStringLiteral("is missing"));
            return false;
        }
        const double x = v.toDouble(std::nan(""));
        if (!v.isDouble() || !std::isfinite(x)) {
            fail(QLatin1String(key), QStringLiteral("must be a number"));
            return false;
        }
        if (integral && x != std::floor(x)) {
            fail(QLatin1String(key), QStringLiteral("must be a whole number"));
            return false;
        }
        if (x < lo || x > hi) {
            fail(QLatin1String(key), QStringLiteral("is %1, outside [%2, %3]")
                                         .arg(x)
                                         .arg(lo)
                                         .arg(hi));
            return false;
        }
        out = x;
        return true;
    }

    void triple(const char *key, double (&out)[3], bool positive)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return;
        const QJsonArray a = v.toArray();
        if (!v.isArray() || a.size() != 3)
            return fail(QLatin1String(key), QStringLiteral("must be an array of 3 numbers (R, G, B)"));
        double t[3];
        for (int i = 0; i < 3; ++i) {
            if (!a.at(i).isDouble() || !std::isfinite(a.at(i).toDouble()))
                return fail(QLatin1String(key), QStringLiteral("must be an array of 3 numbers (R, G, B)"));
            t[i] = a.at(i).toDouble();
            if (positive && t[i] <= 0)
                return fail(QLatin1String(key), QStringLiteral("must hold numbers above 0"));
        }
        for (int i = 0; i < 3; ++i)
            out[i] = t[i];
    }

    void strings(const char *key, QStringList &out)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined())
            return fail(QLatin1String(key), QStringLiteral("is missing"));
        if (!v.isArray())
            return fail(QLatin1String(key), QStringLiteral("must be an array of class names"));
        const QJsonArray a = v.toArray();
        if (a.isEmpty())
            return fail(QLatin1String(key), QStringLiteral("lists no classes"));
        QStringList names;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (!a.at(i).isString() || a.at(i).toString().isEmpty())
                return fail(QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i),
                            QStringLiteral("must be a non-empty string"));
            names << a.at(i).toString();
        }
        out = names;
    }

    void doubles(const char *key, QVector<double> &out, double lo, double hi)
    {
        const QJsonValue v = m_o.value(QLatin1String(key));
        if (v.isUndefined() || v.isNull())
            return;
        if (!v.isArray())
            return fail(QLatin1String(key), QStringLiteral("must be an array of numbers"));
        QVector<double> values;
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const double x = a.at(i).toDouble(std::nan(""));
            if (!a.at(i).isDouble() || !std::isfinite(x) || x < lo || x > hi)
                return fail(QStringLiteral("%1[%2]").arg(QLatin1String(key)).arg(i),
                            QStringLiteral("must be a number in [%1, %2]").arg(lo).arg(hi));
            values << x;
        }
        out = values;
    }

private:
    const QJsonObject &m_o;
    QString m_where;
    std::optional<Error> m_error;
};

} // namespace

QByteArray ModelMeta::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("format"), format);
    o.insert(QStringLiteral("architecture"), architecture);
    o.insert(QStringLiteral("class_names"), QJsonArray::fromStringList(classNames));
    o.insert(QStringLiteral("multi_label"), multiLabel);
    QJsonArray th;
    for (double t : thresholds)
        th.append(t);
    o.insert(QStringLiteral("thresholds"), th);
    o.insert(QStringLiteral("input_size"), inputSize);
    o.insert(QStringLiteral("mean"), numbers(mean, 3));
    o.insert(QStringLiteral("std"), numbers(std, 3));
    o.insert(QStringLiteral("normalisation_built_in"), normalisationBuiltIn);
    o.insert(QStringLiteral("features_output"), featuresOutput);
    o.insert(QStringLiteral("features_layer"), featuresLayer);
    o.insert(QStringLiteral("run_id"), runId);
    o.insert(QStringLiteral("run_name"), runName);
    o.insert(QStringLiteral("project_name"), projectName);
    o.insert(QStringLiteral("exported_at"),
             exportedAt.isValid() ? QJsonValue(exportedAt.toUTC().toString(Qt::ISODateWithMs))
                                  : QJsonValue());
    o.insert(QStringLiteral("producer"), producer);
    o.insert(QStringLiteral("sparsity"), sparsity);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

Result<ModelMeta> ModelMeta::fromJson(const QByteArray &json, const QString &where)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError)
        return makeError(Error::Code::Parse,
                         QStringLiteral("malformed model metadata JSON at offset %1: %2")
                             .arg(pe.offset)
                             .arg(pe.errorString()),
                         where);
    if (!doc.isObject())
        return makeError(Error::Code::Parse,
                         QStringLiteral("the model metadata is not a JSON object"), where);
    const QJsonObject o = doc.object();
    MetaReader r(o, where);
    ModelMeta m;
    r.string("format", m.format);
    r.string("architecture", m.architecture, /*required=*/true);
    r.strings("class_names", m.classNames);
    r.boolean("multi_label", m.multiLabel);
    r.doubles("thresholds", m.thresholds, 0, 1);
    double size = 0;
    if (r.number("input_size", size, 1, 4096, true, /*required=*/true))
        m.inputSize = int(size);
    r.triple("mean", m.mean, false);
    r.triple("std", m.std, true);
    r.boolean("normalisation_built_in", m.normalisationBuiltIn);
    r.boolean("features_output", m.featuresOutput);
    r.string("features_layer", m.featuresLayer);
    double runId = 0;
    if (r.number("run_id", runId, 0, 9.0e15, true))
        m.runId = qint64(runId);
    r.string("run_name", m.runName);
    r.string("project_name", m.projectName);
    const QJsonValue at = o.value(QStringLiteral("exported_at"));
    if (!at.isUndefined() && !at.isNull()) {
        m.exportedAt = QDateTime::fromString(at.toString(), Qt::ISODateWithMs);
        if (!at.isString() || !m.exportedAt.isValid())
            r.fail(QStringLiteral("exported_at"),
                   QStringLiteral("must be an ISO 8601 date and time"));
        m.exportedAt = m.exportedAt.toUTC();
    }
    r.string("producer", m.producer);
    r.number("sparsity", m.sparsity, 0, 1, false);
    if (r.failed())
        return r.error();
    if (!m.thresholds.isEmpty() && m.thresholds.size() != m.classNames.size()) {
        Error e = makeError(Error::Code::Parse,
                            QStringLiteral("model metadata key \"thresholds\" has %1 values for %2 "
                                           "classes")
                                .arg(m.thresholds.size())
                                .arg(m.classNames.size()),
                            where);
        e.where = QStringLiteral("thresholds");
        return e;
    }
    return m;
}

} // namespace salient
