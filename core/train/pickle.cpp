// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/pickle.h"

#include <QHash>

#include <cstring>
#include <vector>

namespace salient::train::pickle {

namespace {

using Kind = Value::Kind;

Error parseError(const QString &message)
{
    return makeError(Error::Code::Parse, message);
}

// Little-endian reads from a checked position; the caller has checked the length.
quint64 readLe(const char *p, int n)
{
    quint64 v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | quint8(p[i]);
    return v;
}

bool isIntTuple(const Value *v)
{
    if (v->kind != Kind::Tuple)
        return false;
    for (const Value *item : v->items)
        if (item->kind != Kind::Int)
            return false;
    return true;
}

QVector<qint64> intsOf(const Value *v)
{
    QVector<qint64> out;
    out.reserve(v->items.size());
    for (const Value *item : v->items)
        out.append(item->integer);
    return out;
}

const QStringList &allowedCallables()
{
    static const QStringList names = {
        QStringLiteral("collections.OrderedDict"),
            QStringLiteral("torch._utils._rebuild_tensor_v2"),
                           QStringLiteral("torch._utils._rebuild_tensor"),
                                          QStringLiteral("torch._utils._rebuild_parameter"),
                           };
    return names;
}

} // namespace

std::pair<QString, int> storageDtype(const QString &globalName)
{
    static const QHash<QString, std::pair<QString, int>> table = {
        {QStringLiteral("torch.FloatStorage"), {QStringLiteral("float32"), 4}},
         {QStringLiteral("torch.DoubleStorage"), {QStringLiteral("float64"), 8}},
          {QStringLiteral("torch.HalfStorage"), {QStringLiteral("float16"), 2}},
           {QStringLiteral("torch.BFloat16Storage"), {QStringLiteral("bfloat16"), 2}},
            {QStringLiteral("torch.LongStorage"), {QStringLiteral("int64"), 8}},
             {QStringLiteral("torch.IntStorage"), {QStringLiteral("int32"), 4}},
              {QStringLiteral("torch.ShortStorage"), {QStringLiteral("int16"), 2}},
               {QStringLiteral("torch.CharStorage"), {QStringLiteral("int8"), 1}},
                {QStringLiteral("torch.ByteStorage"), {QStringLiteral("uint8"), 1}},
                 {QStringLiteral("torch.BoolStorage"), {QStringLiteral("bool"), 1}},
                };
    return table.value(globalName, {QString(), 0});
}

Value *Unpickler::make(Value::Kind kind)
{
    m_arena.emplace_back();
    ++m_made;
    m_arena.back().kind = kind;
    return &m_arena.back();
}

QString Unpickler::describe(const Value *v)
{
    switch (v->kind) {
    case Kind::None:
        return QStringLiteral("None");
    case Kind::Bool:
        return v->boolean ? QStringLiteral("True") : QStringLiteral("False");
    case Kind::Int:
        return QString::number(v->integer);
    case Kind::BigInt:
        return QStringLiteral("a large integer");
    case Kind::Float:
        return QString::number(v->real);
    case Kind::String:
        return QStringLiteral("the string \"%1\"").arg(v->text.left(40));
    case Kind::Bytes:
        return QStringLiteral("%1 bytes").arg(v->bytes.size());
    case Kind::Tuple:
        return QStringLiteral("a tuple of %1").arg(v->items.size());
    case Kind::List:
        return QStringLiteral("a list of %1").arg(v->items.size());
    case Kind::Dict:
        return QStringLiteral("a dict of %1 entries").arg(v->entries.size());
    case Kind::Global:
        return v->text;
    case Kind::Storage:
        return QStringLiteral("a storage");
    case Kind::Tensor:
        return QStringLiteral("a tensor");
    }
    return QString();
}

Result<const Value *> Unpickler::load(qsizetype *pos)
{
    const char *data = m_data.constData();
    const qsizetype size = m_data.size();
    qsizetype p = *pos;
    std::vector<Value *> stack;
    std::vector<size_t> marks;
    QHash<quint64, Value *> memo;

    // Every argument read goes through need(): a cut or lying length is an error.
    auto need = [&](qint64 n) { return n >= 0 && n <= size - p; };
    auto truncated = [&]() {
        return parseError(QStringLiteral("the pickle ends early at byte %1").arg(p));
    };
    auto pop = [&]() -> Value * {
        if (stack.empty() || (!marks.empty() && stack.size() <= marks.back()))
            return nullptr;
        Value *v = stack.back();
        stack.pop_back();
        return v;
    };
    auto popMark = [&](std::vector<Value *> *items) -> bool {
        if (marks.empty())
            return false;
        const size_t m = marks.back();
        marks.pop_back();
        items->assign(stack.begin() + qsizetype(m), stack.end());
        stack.resize(m);
        return true;
    };
    auto pushString = [&](qint64 n, bool utf8) -> bool {
        if (!need(n))
            return false;
        Value *v = make(utf8 ? Kind::String : Kind::Bytes);
        if (utf8)
            v->text = QString::fromUtf8(data + p, qsizetype(n));
        else
            v->bytes = QByteArray(data + p, qsizetype(n));
        p += qsizetype(n);
        stack.push_back(v);
        return true;
    };
    auto badStack = [&](const char *op) {
        return parseError(QStringLiteral("malformed pickle: %1 at byte %2 finds the wrong values")
                                             .arg(QLatin1String(op))
                                             .arg(p - 1));
    };
    auto checkGlobal = [&](const QString &name) -> Result<Value *> {
        if (!allowedCallables().contains(name) && storageDtype(name).first.isEmpty()) {
            if (name.startsWith(QLatin1String("torch._utils._rebuild_")))
                return makeError(Error::Code::Unsupported,
                                 QStringLiteral("holds tensors of a kind not supported here (%1: "
                                                "quantized, sparse or subclassed tensors)")
                                                    .arg(name));
            // A whole pickled nn.Module names its class: say what to save instead.
            const QString hint = name.startsWith(QLatin1String("torch"))
                ? QStringLiteral(" (save model.state_dict(), not the model)")
                : QString();
            return makeError(Error::Code::Unsupported,
                             QStringLiteral("refused: the file asks to run %1; weight files must "
                                            "hold tensors only%2")
                                                .arg(name, hint));
        }
        Value *v = make(Kind::Global);
        v->text = name;
        return v;
    };

    while (true) {
        // A hostile pickle can ask for one value per byte; weight files need far fewer.
        if (m_made > kMaxValues)
            return makeError(
                Error::Code::Unsupported,
                QStringLiteral("the pickle holds more than %1 values; this is not a weight file")
                                   .arg(kMaxValues));
        if (!need(1))
            return truncated();
        const quint8 op = quint8(data[p++]);
        switch (op) {
        case 0x80: // PROTO
            if (!need(1))
                return truncated();
            if (quint8(data[p]) > 5)
                return makeError(
                    Error::Code::Unsupported,
                    QStringLiteral("pickle protocol %1 is not supported").arg(quint8(data[p])));
            ++p;
            break;
        case 0x95: // FRAME: a size hint only
            if (!need(8))
                return truncated();
            p += 8;
            break;
        case '.': { // STOP
            if (stack.size() != 1 || !marks.empty())
                return badStack("STOP");
            *pos = p;
            return stack.back();
        }
        case 'c': { // GLOBAL "module\nname\n"
            const qsizetype nl1 = m_data.indexOf('\n', p);
            const qsizetype nl2 = nl1 < 0 ? -1 : m_data.indexOf('\n', nl1 + 1);
            if (nl2 < 0 || nl2 - p > 512)
                return truncated();
            const QString name = QString::fromUtf8(data + p, nl1 - p) + QLatin1Char('.')
                                 + QString::fromUtf8(data + nl1 + 1, nl2 - nl1 - 1);
            p = nl2 + 1;
            auto g = checkGlobal(name);
            if (!g)
                return g.error();
            stack.push_back(*g);
            break;
        }
        case 0x93: { // STACK_GLOBAL
            Value *name = pop();
            Value *module = pop();
            if (!name || !module || name->kind != Kind::String || module->kind != Kind::String)
                return badStack("STACK_GLOBAL");
            auto g = checkGlobal(module->text + QLatin1Char('.') + name->text);
            if (!g)
                return g.error();
            stack.push_back(*g);
            break;
        }
        case 'q':
        case 'r':
        case 0x94: { // BINPUT, LONG_BINPUT, MEMOIZE
            quint64 index = quint64(memo.size());
            if (op != 0x94) {
                const int n = op == 'q' ? 1 : 4;
                if (!need(n))
                    return truncated();
                index = readLe(data + p, n);
                p += n;
            }
            if (stack.empty())
                return badStack("PUT");
            memo.insert(index, stack.back());
            break;
        }
        case 'h':
        case 'j': { // BINGET, LONG_BINGET
            const int n = op == 'h' ? 1 : 4;
            if (!need(n))
                return truncated();
            Value *v = memo.value(readLe(data + p, n));
            p += n;
            if (!v)
                return parseError(QStringLiteral("malformed pickle: a memo entry used at byte %1 was never stored").arg(p));
            stack.push_back(v);
            break;
        }
        case '(':
            marks.push_back(stack.size());
            break;
        case '0':
            if (!pop())
                return badStack("POP");
            break;
        case '1': {
            std::vector<Value *> items;
            if (!popMark(&items))
                return badStack("POP_MARK");
            break;
        }
        case '2':
            if (stack.empty())
                return badStack("DUP");
            stack.push_back(stack.back());
            break;
        case ')':
            stack.push_back(make(Kind::Tuple));
            break;
        case ']':
            stack.push_back(make(Kind::List));
            break;
        case '}':
            stack.push_back(make(Kind::Dict));
            break;
        case 'N':
            stack.push_back(make(Kind::None));
            break;
        case 0x88:
        case 0x89: {
            Value *v = make(Kind::Bool);
            v->boolean = op == 0x88;
            stack.push_back(v);
            break;
        }
        case 't':
        case 'l': { // TUPLE, LIST
            std::vector<Value *> items;
            if (!popMark(&items))
                return badStack("TUPLE");
            Value *v = make(op == 't' ? Kind::Tuple : Kind::List);
            v->items = QVector<const Value *>(items.begin(), items.end());
            stack.push_back(v);
            break;
        }
        case 0x85:
        case 0x86:
        case 0x87: { // TUPLE1..3
            const int n = op - 0x84;
            Value *v = make(Kind::Tuple);
            v->items.resize(n);
            for (int i = n - 1; i >= 0; --i)
                if (!(v->items[i] = pop()))
                    return badStack("TUPLEn");
            stack.push_back(v);
            break;
        }
        case 'a': { // APPEND
            Value *item = pop();
            if (!item || stack.empty() || stack.back()->kind != Kind::List)
                return badStack("APPEND");
            stack.back()->items.append(item);
            break;
        }
        case 'e':
        case 'u':
        case 'd': { // APPENDS, SETITEMS, DICT
            std::vector<Value *> items;
            if (!popMark(&items))
                return badStack("APPENDS/SETITEMS");
            Value *target = nullptr;
            if (op == 'd') {
                target = make(Kind::Dict);
                stack.push_back(target);
            } else if (!stack.empty()) {
                target = stack.back();
            }
            if (op == 'e') {
                if (!target || target->kind != Kind::List)
                    return badStack("APPENDS");
                for (Value *item : items)
                    target->items.append(item);
            } else {
                if (!target || target->kind != Kind::Dict || items.size() % 2 != 0)
                    return badStack("SETITEMS");
                for (size_t i = 0; i < items.size(); i += 2)
                    target->entries.append(std::make_pair(items[i], items[i + 1]));
            }
            break;
        }
        case 's': { // SETITEM
            Value *value = pop();
            Value *key = pop();
            if (!value || !key || stack.empty() || stack.back()->kind != Kind::Dict)
                return badStack("SETITEM");
            stack.back()->entries.append(std::make_pair(key, value));
            break;
        }
        case 'J':
        case 'K':
        case 'M': { // BININT, BININT1, BININT2
            const int n = op == 'J' ? 4 : op == 'K' ? 1 : 2;
            if (!need(n))
                return truncated();
            Value *v = make(Kind::Int);
            const quint64 raw = readLe(data + p, n);
            v->integer = op == 'J' ? qint64(qint32(quint32(raw))) : qint64(raw);
            p += n;
            stack.push_back(v);
            break;
        }
        case 0x8a: { // LONG1
            if (!need(1))
                return truncated();
            const int n = quint8(data[p++]);
            if (!need(n))
                return truncated();
            Value *v = make(n <= 8 ? Kind::Int : Kind::BigInt);
            if (n <= 8 && n > 0) {
                quint64 raw = readLe(data + p, n);
                if (n < 8 && (quint8(data[p + n - 1]) & 0x80))
                    raw |= ~quint64(0) << (8 * n); // sign-extend
                v->integer = qint64(raw);
            } else if (n > 8) {
                v->bytes = QByteArray(data + p, n);
            }
            p += n;
            stack.push_back(v);
            break;
        }
        case 'X':
        case 0x8c:
        case 0x8d:
        case 'T':
        case 'U':
        case 'B':
        case 'C': { // strings and bytes
            const int n = (op == 0x8c || op == 'U' || op == 'C') ? 1 : op == 0x8d ? 8 : 4;
            if (!need(n))
                return truncated();
            quint64 len = readLe(data + p, n);
            if (op == 'T' && qint32(quint32(len)) < 0)
                return parseError(
                    QStringLiteral("malformed pickle: negative string length at byte %1").arg(p));
            p += n;
            if (len > quint64(size)
                || !pushString(qint64(len), op == 'X' || op == 0x8c || op == 0x8d))
                return truncated();
            break;
        }
        case 'G': { // BINFLOAT, big-endian
            if (!need(8))
                return truncated();
            quint64 raw = 0;
            for (int i = 0; i < 8; ++i)
                raw = (raw << 8) | quint8(data[p + i]);
            p += 8;
            Value *v = make(Kind::Float);
            std::memcpy(&v->real, &raw, 8);
            stack.push_back(v);
            break;
        }
        case 'Q': { // BINPERSID: ('storage', torch.XStorage, key, location, numel[, view])
            Value *pid = pop();
            if (!pid || pid->kind != Kind::Tuple || pid->items.size() < 5 || pid->items.size() > 6
                || pid->items[0]->kind != Kind::String
                || pid->items[0]->text != QLatin1String("storage")
                || pid->items[1]->kind != Kind::Global || pid->items[2]->kind != Kind::String
                || pid->items[3]->kind != Kind::String || pid->items[4]->kind != Kind::Int
                || pid->items[4]->integer < 0)
                return parseError(QStringLiteral("malformed pickle: a storage reference at byte %1 is not ('storage', type, key, location, size)")
                                                     .arg(p));
            if (pid->items.size() == 6 && pid->items[5]->kind != Kind::None)
                return makeError(
                    Error::Code::Unsupported,
                    QStringLiteral("storage views of the legacy format are not supported; re-save the file with torch 1.6 or newer"));
            const auto [dtype, elementSize] = storageDtype(pid->items[1]->text);
            if (dtype.isEmpty())
                return makeError(
                    Error::Code::Unsupported,
                    QStringLiteral("storage type %1 is not supported").arg(pid->items[1]->text));
            Value *v = make(Kind::Storage);
            v->storage = {pid->items[2]->text, dtype, elementSize, pid->items[3]->text,
                          pid->items[4]->integer};
            stack.push_back(v);
            break;
        }
        case 'R': { // REDUCE: only the whitelisted rebuilders, interpreted here
            Value *args = pop();
            Value *callable = pop();
            if (!args || !callable || args->kind != Kind::Tuple || callable->kind != Kind::Global)
                return badStack("REDUCE");
            const QString &name = callable->text;
            const auto &a = args->items;
            if (name == QLatin1String("collections.OrderedDict")) {
                if (!a.isEmpty())
                    return makeError(
                        Error::Code::Unsupported,
                        QStringLiteral("an OrderedDict built from arguments is not supported"));
                stack.push_back(make(Kind::Dict));
            } else if (name == QLatin1String("torch._utils._rebuild_tensor_v2")
                       || name == QLatin1String("torch._utils._rebuild_tensor")) {
                const bool v2 = name.endsWith(QLatin1String("_v2"));
                const bool arity = v2 ? (a.size() == 6 || a.size() == 7) : a.size() == 4;
                if (!arity || a[0]->kind != Kind::Storage || a[1]->kind != Kind::Int
                    || !isIntTuple(a[2]) || !isIntTuple(a[3])
                    || a[2]->items.size() != a[3]->items.size())
                    return parseError(QStringLiteral("malformed pickle: a tensor at byte %1 has bad arguments").arg(p));
                if (v2 && a[5]->kind == Kind::Dict && !a[5]->entries.isEmpty())
                    return makeError(Error::Code::Unsupported,
                                     QStringLiteral("refused: a tensor carries backward hooks; weight files must hold tensors only"));
                Value *v = make(Kind::Tensor);
                v->tensor = {a[0]->storage, a[1]->integer, intsOf(a[2]), intsOf(a[3])};
                stack.push_back(v);
            } else if (name == QLatin1String("torch._utils._rebuild_parameter")) {
                if (a.size() != 3 || a[0]->kind != Kind::Tensor)
                    return parseError(QStringLiteral("malformed pickle: a parameter at byte %1 has bad arguments").arg(p));
                stack.push_back(const_cast<Value *>(a[0]));
            } else {
                return makeError(
                    Error::Code::Unsupported,
                    QStringLiteral("refused: the file asks to call %1; weight files must hold tensors only")
                            .arg(name));
            }
            break;
        }
        case 'b': { // BUILD: OrderedDict state ({"_metadata": ...}) carries nothing we need
            Value *state = pop();
            if (!state || stack.empty()
                || (stack.back()->kind != Kind::Dict && stack.back()->kind != Kind::Tensor))
                return badStack("BUILD");
            break;
        }
        default:
            return parseError(QStringLiteral("unsupported pickle opcode 0x%1 at byte %2")
                                                 .arg(op, 2, 16, QLatin1Char('0'))
                                                 .arg(p - 1));
        }
    }
}

} // namespace salient::train::pickle
