// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/formats/dataset.h"

namespace salient {

int Dataset::classIndex(const QString &name)
{
    if (m_lookup.size() != classes.size()) {
        m_lookup.clear();
        for (int i = int(classes.size()) - 1; i >= 0; --i) // the first of equal names wins
            m_lookup.insert(classes[i], i);
    }
    const auto it = m_lookup.constFind(name);
    if (it != m_lookup.constEnd())
        return it.value();
    classes.push_back(name);
    m_lookup.insert(name, int(classes.size()) - 1);
    return int(classes.size()) - 1;
}

QString FormatProblem::toString() const
{
    QString s;
    if (!path.isEmpty()) {
        s += path;
        if (line > 0)
            s += QLatin1Char(':') + QString::number(line);
        if (!where.isEmpty())
            s += QLatin1Char(' ') + where;
        s += QStringLiteral(": ");
    } else if (!where.isEmpty()) {
        s += where + QStringLiteral(": ");
    }
    return s + message;
}

FormatProblem problemAt(const DatasetImage &image, const QString &message, int shape)
{
    FormatProblem p;
    p.path = image.source;
    p.line = image.line;
    p.where = image.where;
    p.message = message;
    if (shape >= 0 && shape < image.shapes.size()) {
        const int origin = image.shapes[shape].origin;
        if (!image.shapeWhere.isEmpty() && origin >= 0)
            p.where = image.shapeWhere.arg(origin);
        else if (image.shapeWhere.isEmpty() && origin > 0)
            p.line = origin;
    }
    return p;
}

} // namespace salient
