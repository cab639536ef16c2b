// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/statedict.h"

#include <QHash>
#include <QSet>

#include <cstring>

namespace salient::train {

namespace {

std::optional<torch::ScalarType> scalarType(const QString &dtype)
{
    static const QHash<QString, torch::ScalarType> types{
        {QStringLiteral("float32"), torch::kFloat32}, {QStringLiteral("float64"), torch::kFloat64},
        {QStringLiteral("float16"), torch::kFloat16}, {QStringLiteral("bfloat16"), torch::kBFloat16},
        {QStringLiteral("int64"), torch::kInt64},     {QStringLiteral("int32"), torch::kInt32},
        {QStringLiteral("int16"), torch::kInt16},     {QStringLiteral("int8"), torch::kInt8},
        {QStringLiteral("uint8"), torch::kUInt8},     {QStringLiteral("bool"), torch::kBool}};
    const auto it = types.constFind(dtype);
    if (it == types.constEnd())
        return std::nullopt;
    return it.value();
}

QString shapeText(const std::vector<int64_t> &shape)
{
    QStringList parts;
    for (int64_t d : shape)
        parts << QString::number(d);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

QString firstFew(const QStringList &names)
{
    QStringList shown = names.mid(0, 3);
    QString s = shown.join(QStringLiteral(", "));
    if (names.size() > 3)
        s += QStringLiteral(" and %1 more").arg(names.size() - 3);
    return s;
}

} // namespace

Result<LoadReport> loadWeights(ClassifierNet &model, const WeightFile &file, const QString &path,
                               bool headMayDiffer)
{
    const QString arch = QString::fromStdString(model.architecture());
    QHash<QString, const WeightTensor *> byName;
    for (const WeightTensor &t : file.tensors)
        byName.insert(t.name, &t);
    const QString head = QString::fromStdString(model.headName()) + QLatin1Char('.');

    LoadReport report;
    QStringList missing, misshapen;
    std::vector<std::pair<torch::Tensor, torch::Tensor>> copies; // destination, source
    QSet<QString> used;
    for (const auto &entry : stateDict(model)) {
        const QString name = QString::fromStdString(entry.first);
        const torch::Tensor &dst = entry.second;
        const bool isHead = name.startsWith(head);
        const auto it = byName.constFind(name);
        if (it == byName.constEnd()) {
            if (isHead && headMayDiffer)
                report.keptHead << name;
            else
                missing << name;
            continue;
        }
        used.insert(name);
        const WeightTensor &src = *it.value();
        std::vector<int64_t> shape(src.shape.begin(), src.shape.end());
        if (shape != dst.sizes().vec()) {
            if (isHead && headMayDiffer) {
                report.keptHead << name;
                continue;
            }
            misshapen << QStringLiteral("%1 is %2 in the file but %3 in %4")
                             .arg(name, shapeText(shape), shapeText(dst.sizes().vec()), arch);
            continue;
        }
        const auto type = scalarType(src.dtype);
        if (!type || src.data.size() != src.numel() * src.elementSize())
            return makeError(Error::Code::Invalid,
                             QStringLiteral("tensor %1 has an unusable type or size (%2)")
                                 .arg(name, src.dtype),
                             path);
        // from_blob does not own the bytes: clone at once, then convert.
        torch::Tensor t = torch::from_blob(const_cast<char *>(src.data.constData()), shape,
                                           torch::TensorOptions().dtype(*type))
                              .clone()
                              .to(dst.scalar_type());
        copies.emplace_back(dst, t);
    }
    if (!missing.isEmpty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("not %1 weights: %2 of the model's tensors are missing "
                                        "(%3)")
                             .arg(arch)
                             .arg(missing.size())
                             .arg(firstFew(missing)),
                         path);
    if (!misshapen.isEmpty())
        return makeError(Error::Code::Invalid,
                         QStringLiteral("wrong shapes for %1: %2").arg(arch, firstFew(misshapen)),
                         path);
    for (const WeightTensor &t : file.tensors)
        if (!used.contains(t.name))
            report.ignored << t.name;
    if (!report.ignored.isEmpty() && !(headMayDiffer && [&] {
            for (const QString &n : report.ignored)
                if (!n.startsWith(head))
                    return false;
            return true;
        }()))
        return makeError(Error::Code::Invalid,
                         QStringLiteral("not %1 weights: the file holds %2 tensor(s) this "
                                        "architecture does not have (%3)")
                             .arg(arch)
                             .arg(report.ignored.size())
                             .arg(firstFew(report.ignored)),
                         path);

    torch::NoGradGuard noGrad;
    for (auto &c : copies)
        c.first.copy_(c.second);
    report.loaded = int(copies.size());
    return report;
}

} // namespace salient::train
