// SPDX-License-Identifier: GPL-3.0-or-later
// Entry functions for the weight-file readers (core/train/pickle.cpp,
// weightfile.cpp; neither needs LibTorch, so they are compiled in here).
#include "fuzz/entries.h"
#include "fuzz/fuzzsupport.h"

#include "core/train/pickle.h"
#include "core/train/weightfile.h"

namespace salient::fuzz {

bool fuzzWeightFile(const std::uint8_t *data, std::size_t size)
{
    ensureApplication();
    const QString dir = scratchDir("weightfile");
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    putFile(dir, QStringLiteral("w.pth"), &bytes);
    const QString file = dir + QStringLiteral("/w.pth");
    // A TorchScript archive is recognised as such (it loads only after a
    // warning, elsewhere); any other file must read as a weight file.
    auto script = train::isTorchScriptArchive(file);
    const bool weights = train::readWeightFile(file).ok();
    return weights || (script.ok() && script.value());
}

bool fuzzPickle(const std::uint8_t *data, std::size_t size)
{
    // The legacy format is several pickles back to back: read them the same way.
    train::pickle::Unpickler unpickler(
        QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    qsizetype pos = 0;
    bool any = false;
    for (int i = 0; i < 8 && pos < qsizetype(size); ++i) {
        const qsizetype before = pos;
        auto value = unpickler.load(&pos);
        if (!value.ok())
            return false;
        (void)train::pickle::Unpickler::describe(value.value());
        any = true;
        if (pos <= before) // no progress would loop forever
            std::abort();
    }
    return any;
}

} // namespace salient::fuzz
