// SPDX-License-Identifier: GPL-3.0-or-later
// DocumentCache (declared in annotationdocument.h): the documents of the images visited.
#include "core/document/annotationdocument.h"

#include "core/project/store.h"

#include <algorithm>
#include <utility>

namespace salient {

DocumentCache::DocumentCache(ProjectStore &store, int maxDocuments, QObject *parent)
    : QObject(parent), m_store(store), m_max(std::max(1, maxDocuments))
{
    // Image ids of removed images may be handed out again: a stale document must not answer for
    // them.
    connect(&m_store, &ProjectStore::imagesRemoved, this, &DocumentCache::dropRemovedImages);
}

DocumentCache::~DocumentCache()
{
    clear();
}

bool DocumentCache::contains(qint64 imageId) const
{
    return std::any_of(m_lru.cbegin(), m_lru.cend(),
                       [imageId](const AnnotationDocument *d) { return d->imageId() == imageId; });
}

AnnotationDocument *DocumentCache::document(qint64 imageId)
{
    for (int i = 0; i < m_lru.size(); ++i) {
        if (m_lru.at(i)->imageId() == imageId) {
            AnnotationDocument *doc = m_lru.takeAt(i);
            m_lru.push_back(doc);
            m_group.setActiveStack(&doc->undoStack());
            evict(); // histories grew since the last call
            return doc;
        }
    }
    auto loaded = AnnotationDocument::load(m_store, imageId, this);
    if (!loaded.ok()) {
        Q_EMIT failed(loaded.error());
        return nullptr;
    }
    AnnotationDocument *doc = loaded.value().release(); // owned by this (Qt parent)
    m_lru.push_back(doc);
    m_group.addStack(&doc->undoStack());
    m_group.setActiveStack(&doc->undoStack());
    evict();
    return doc;
}

void DocumentCache::evict()
{
    qint64 bytes = 0;
    for (const AnnotationDocument *d : std::as_const(m_lru))
        bytes += d->historyBytes();
    while (m_lru.size() > 1 && (m_lru.size() > m_max || bytes > m_maxBytes)) {
        // The newest (last) is the one in use: never dropped. Empty histories go first.
        int victim = 0;
        for (int i = 0; i + 1 < m_lru.size(); ++i) {
            if (m_lru.at(i)->undoStack().count() == 0) {
                victim = i;
                break;
            }
        }
        AnnotationDocument *doc = m_lru.takeAt(victim);
        bytes -= doc->historyBytes();
        delete doc;
    }
}

void DocumentCache::dropRemovedImages()
{
    for (int i = m_lru.size() - 1; i >= 0; --i) {
        auto image = m_store.image(m_lru.at(i)->imageId());
        if (!image.ok() && image.error().code == Error::Code::NotFound) {
            AnnotationDocument *doc = m_lru.takeAt(i);
            m_group.removeStack(&doc->undoStack());
            doc->deleteLater(); // a slot up the stack may still hold it
        }
    }
}

void DocumentCache::clear()
{
    const QVector<AnnotationDocument *> docs = std::exchange(m_lru, {});
    for (AnnotationDocument *doc : docs)
        delete doc;
}

} // namespace salient
