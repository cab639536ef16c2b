// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace salient {

/// An expected failure, carried as a value: what went wrong, and where (file,
/// line or JSON path). The message is written for the user; it names the file.
struct Error {
    enum class Code {
        Io,          ///< file missing, unreadable, disk full
        Decode,      ///< an image that cannot be decoded
        Parse,       ///< malformed JSON/XML/CSV/YAML or a bad binary header
        Database,    ///< SQLite said no
        Invalid,     ///< a value out of range, a bad argument from the user
        NotFound,    ///< a row or file that does not exist
        Unsupported, ///< a format or version this build cannot handle
        Locked,      ///< another process holds the project
        Cancelled,   ///< the user stopped it
    };

    Code code = Code::Invalid;
    QString message;
    QString path;  ///< file the error is about, if any
    int line = -1; ///< 1-based line, or -1
    QString where; ///< JSON path or other locator, if any

    /// "path:line: message" (parts left out when empty), one line for CLI and UI.
    QString toString() const
    {
        QString s;
        if (!path.isEmpty()) {
            s += path;
            if (line > 0)
                s += QLatin1Char(':') + QString::number(line);
            if (!where.isEmpty())
                s += QLatin1Char(' ') + where;
            s += QStringLiteral(": ");
        }
        return s + message;
    }
};

inline Error makeError(Error::Code code, QString message, QString path = {}, int line = -1)
{
    Error e;
    e.code = code;
    e.message = std::move(message);
    e.path = std::move(path);
    e.line = line;
    return e;
}

/// Either a T or an Error. Never throws; check ok() before value().
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T valueOr(T fallback) const { return ok() ? std::get<0>(m_v) : std::move(fallback); }
    T *operator->() { return &std::get<0>(m_v); }
    const T *operator->() const { return &std::get<0>(m_v); }
    T &operator*() { return std::get<0>(m_v); }
    const T &operator*() const { return std::get<0>(m_v); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Result of an operation that yields nothing but may fail.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace salient

// Errors travel in queued signals (workers to the GUI thread).
Q_DECLARE_METATYPE(salient::Error)

/// Propagate an error from an expression yielding a Result.
#define SALIENT_TRY(expr)                                                                          \
    do {                                                                                           \
        auto &&salient_try_r_ = (expr);                                                            \
        if (!salient_try_r_.ok())                                                                  \
            return salient_try_r_.error();                                                         \
    } while (false)
