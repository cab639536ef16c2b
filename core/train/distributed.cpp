// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/train/distributed.h"

// Debian's libtorch_cpu carries c10d and Gloo, but its headers hide the Gloo
// process group behind the build flag PyTorch itself was compiled with.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO 1
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <QByteArray>

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace salient::train {
namespace {

// About what PyTorch's DDP puts in one bucket: large enough that the
// per-call latency disappears, small enough that the copy stays in cache-ish sizes.
constexpr int64_t kBucketBytes = 25 * 1024 * 1024;
// A peer that dies closes its sockets and fails the collective at once; this
// only bounds a peer that hangs (rank 0 may spend minutes validating and
// checkpointing while the others wait in the next collective).
constexpr std::chrono::minutes kMinCollectiveTimeout{30};

struct MasterAddress {
    std::string host;
    uint16_t port = 0;
};

Result<MasterAddress> parseMaster(const QString &master)
{
    const QString text = master.trimmed();
    auto bad = [&](const QString &why) {
        return makeError(
            Error::Code::Invalid,
            QStringLiteral("Bad training master address \"%1\": %2 (expected host:port, "
                                        "e.g. 127.0.0.1:29500)")
                               .arg(master, why));
    };
    QString host;
    QString port;
    if (text.startsWith(QLatin1Char('['))) { // [IPv6]:port
        const int close = text.indexOf(QLatin1Char(']'));
        if (close < 0 || text.mid(close + 1, 1) != QLatin1String(":"))
            return bad(QStringLiteral("unbalanced brackets"));
        host = text.mid(1, close - 1);
        port = text.mid(close + 2);
    } else {
        const int colon = text.lastIndexOf(QLatin1Char(':'));
        if (colon < 0)
            return bad(QStringLiteral("no port"));
        host = text.left(colon);
        port = text.mid(colon + 1);
        if (host.contains(QLatin1Char(':')))
            return bad(QStringLiteral("write an IPv6 host in brackets"));
    }
    if (host.isEmpty())
        return bad(QStringLiteral("no host"));
    bool ok = false;
    const int number = port.toInt(&ok);
    if (!ok || number < 1 || number > 65535)
        return bad(QStringLiteral("the port must be a number from 1 to 65535"));
    return MasterAddress{host.toStdString(), static_cast<uint16_t>(number)};
}

bool isLoopback(const std::string &host)
{
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

// The local address of the interface that routes to the master: a connected UDP
// socket sends nothing but lets the kernel pick the source address. Binding Gloo
// there works across machines, where the hostname often resolves to 127.0.1.1.
std::string localAddressTowards(const std::string &host, uint16_t port)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo *found = nullptr;
    if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0)
        return {};
    std::string result;
    for (addrinfo *a = found; a && result.empty(); a = a->ai_next) {
        const int fd = ::socket(a->ai_family, SOCK_DGRAM, 0);
        if (fd < 0)
            continue;
        sockaddr_storage local{};
        socklen_t length = sizeof local;
        if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) == 0) {
            char text[INET6_ADDRSTRLEN] = {};
            const void *raw =
                local.ss_family == AF_INET6
                    ? static_cast<const void *>(&reinterpret_cast<sockaddr_in6 &>(local).sin6_addr)
                    : static_cast<const void *>(&reinterpret_cast<sockaddr_in &>(local).sin_addr);
            if (inet_ntop(local.ss_family, raw, text, sizeof text))
                result = text;
        }
        ::close(fd);
    }
    freeaddrinfo(found);
    return result;
}

// Rank 0 listens, so the master address must be one of this machine's: a
// socket binds only to a local address. Caught here, a typo reads as one;
// later it would be a client talking to whatever answers at that address.
bool isLocalAddress(const std::string &host)
{
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    if (getaddrinfo(host.c_str(), "0", &hints, &found) != 0)
        return false;
    bool local = false;
    for (addrinfo *a = found; a && !local; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, SOCK_STREAM, 0);
        if (fd < 0)
            continue;
        local = ::bind(fd, a->ai_addr, a->ai_addrlen) == 0;
        ::close(fd);
    }
    freeaddrinfo(found);
    return local;
}

std::shared_ptr<::gloo::transport::Device> makeDevice(const MasterAddress &master)
{
    // Same escape hatch as PyTorch: pin the interface by name.
    if (const char *name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name)
        return ::c10d::ProcessGroupGloo::createDeviceForInterface(name);
    if (isLoopback(master.host))
        return ::c10d::ProcessGroupGloo::createDeviceForHostname(
            master.host == "::1" ? "::1" : "127.0.0.1");
    const std::string local = localAddressTowards(master.host, master.port);
    if (!local.empty())
        return ::c10d::ProcessGroupGloo::createDeviceForHostname(local);
    return ::c10d::ProcessGroupGloo::createDefaultDevice();
}

// c10::Error::what() carries a C++ backtrace; the user wants the first line.
QString describe(const std::exception &e)
{
    const char *text = e.what();
    if (const auto *c10 = dynamic_cast<const c10::Error *>(&e))
        text = c10->what_without_backtrace();
    return QString::fromUtf8(text).section(QLatin1Char('\n'), 0, 0).trimmed();
}

class SingleProcess final : public Communicator {
public:
    SingleProcess() : Communicator(0, 1) {}
    Status broadcast(std::vector<torch::Tensor>) override { return {}; }
    Status averageGradients(const std::vector<torch::Tensor> &) override { return {}; }
    Status allReduceSum(std::vector<double> &) override { return {}; }
    Status barrier() override { return {}; }
};

/// A run of tensors of one dtype packed into one flat buffer.
struct Bucket {
    torch::ScalarType dtype;
    std::vector<size_t> members; ///< indices into the caller's tensor list
    int64_t numel = 0;
};

// Buckets in list order (the same on every rank), one dtype each, ~kBucketBytes.
std::vector<Bucket> planBuckets(const std::vector<torch::Tensor> &tensors,
                                const std::vector<size_t> &which)
{
    std::vector<Bucket> buckets;
    for (size_t index : which) {
        const torch::Tensor &t = tensors[index];
        const auto dtype = t.scalar_type();
        const int64_t bytes = t.numel() * static_cast<int64_t>(t.element_size());
        Bucket *open = nullptr;
        for (auto &b : buckets)
            if (b.dtype == dtype)
                open = &b; // the last bucket of that dtype
        if (!open
            || (open->numel > 0
                && (open->numel * static_cast<int64_t>(t.element_size()) + bytes) > kBucketBytes)) {
            buckets.push_back(Bucket{dtype, {}, 0});
            open = &buckets.back();
        }
        open->members.push_back(index);
        open->numel += t.numel();
    }
    return buckets;
}

class GlooCommunicator final : public Communicator {
public:
    GlooCommunicator(int rank, int worldSize, QString master,
                     c10::intrusive_ptr<::c10d::Store> store,
                     c10::intrusive_ptr<::c10d::ProcessGroupGloo> group)
        : Communicator(rank, worldSize), m_master(std::move(master)), m_store(std::move(store)),
          m_group(std::move(group))
    {
    }

    ~GlooCommunicator() override
    {
        // The group's worker threads must stop before the store they rendezvoused on.
        m_group.reset();
        m_store.reset();
    }

    Status broadcast(std::vector<torch::Tensor> tensors) override
    {
        return guarded("broadcast", [&] {
            torch::NoGradGuard noGrad;
            std::vector<size_t> which;
            for (size_t i = 0; i < tensors.size(); ++i)
                if (tensors[i].defined() && tensors[i].numel() > 0)
                    which.push_back(i);
            for (const Bucket &bucket : planBuckets(tensors, which)) {
                torch::Tensor flat = torch::empty({bucket.numel}, torch::dtype(bucket.dtype));
                int64_t offset = 0;
                if (rank() == 0) {
                    for (size_t i : bucket.members) {
                        const auto n = tensors[i].numel();
                        flat.narrow(0, offset, n).copy_(tensors[i].reshape({n}));
                        offset += n;
                    }
                }
                std::vector<torch::Tensor> io{flat};
                ::c10d::BroadcastOptions options;
                options.rootRank = 0;
                m_group->broadcast(io, options)->wait();
                if (rank() != 0) {
                    for (size_t i : bucket.members) {
                        const auto n = tensors[i].numel();
                        tensors[i].copy_(flat.narrow(0, offset, n).view(tensors[i].sizes()));
                        offset += n;
                    }
                }
            }
        });
    }

    Status averageGradients(const std::vector<torch::Tensor> &parameters) override
    {
        return guarded("gradient all-reduce", [&] {
            torch::NoGradGuard noGrad;
            // Frozen parameters are frozen on every rank: leave them out, or an
            // optimiser would see a zero gradient (and weight decay) where it saw none.
            std::vector<size_t> which;
            for (size_t i = 0; i < parameters.size(); ++i)
                if (parameters[i].defined() && parameters[i].requires_grad()
                    && parameters[i].numel() > 0)
                    which.push_back(i);
            if (which.empty())
                return;
            const std::vector<Bucket> buckets = planBuckets(parameters, which);
            const double scale = 1.0 / worldSize();
            for (size_t b = 0; b < buckets.size(); ++b) {
                const Bucket &bucket = buckets[b];
                // Each bucket ends with one "had a gradient" flag per member, so
                // that a gradient undefined on every rank stays undefined
                // (as without distribution) and defined ones agree everywhere.
                const int64_t flags = static_cast<int64_t>(bucket.members.size());
                torch::Tensor &flat = buffer(b, bucket.dtype, bucket.numel + flags);
                int64_t offset = 0;
                for (size_t k = 0; k < bucket.members.size(); ++k) {
                    const torch::Tensor &grad = parameters[bucket.members[k]].grad();
                    const auto n = parameters[bucket.members[k]].numel();
                    if (grad.defined())
                        flat.narrow(0, offset, n).copy_(grad.reshape({n}));
                    else
                        flat.narrow(0, offset, n).zero_();
                    flat[bucket.numel + static_cast<int64_t>(k)].fill_(grad.defined() ? 1 : 0);
                    offset += n;
                }
                std::vector<torch::Tensor> io{flat};
                m_group->allreduce(io)->wait();
                flat.narrow(0, 0, bucket.numel).mul_(scale);
                torch::Tensor had = flat.narrow(0, bucket.numel, flags).to(torch::kDouble);
                const double *hadAny = had.data_ptr<double>();
                offset = 0;
                for (size_t k = 0; k < bucket.members.size(); ++k) {
                    torch::Tensor parameter = parameters[bucket.members[k]];
                    const auto n = parameter.numel();
                    torch::Tensor mean = flat.narrow(0, offset, n).view(parameter.sizes());
                    offset += n;
                    if (hadAny[k] <= 0)
                        continue;
                    if (parameter.grad().defined())
                        parameter.mutable_grad().copy_(mean);
                    else
                        parameter.mutable_grad() = mean.clone();
                }
            }
        });
    }

    Status allReduceSum(std::vector<double> &values) override
    {
        if (values.empty())
            return {};
        return guarded("metric all-reduce", [&] {
            torch::Tensor t = torch::from_blob(values.data(), {static_cast<int64_t>(values.size())},
                                               torch::kDouble)
                                  .clone();
            std::vector<torch::Tensor> io{t};
            m_group->allreduce(io)->wait();
            std::copy_n(t.data_ptr<double>(), values.size(), values.begin());
        });
    }

    Status barrier() override
    {
        return guarded("barrier", [&] { m_group->barrier()->wait(); });
    }

private:
    template <typename Fn>
    Status guarded(const char *what, Fn &&fn)
    {
        try {
            fn();
            return {};
        } catch (const std::exception &e) {
            return makeError(Error::Code::Io,
                             QStringLiteral("Distributed training (master %1, rank %2 of %3): %4 "
                                            "failed: %5")
                                                .arg(m_master)
                                                .arg(rank())
                                                .arg(worldSize())
                                                .arg(QLatin1String(what), describe(e)));
        }
    }

    // Bucket buffers are reused from step to step (same model, same layout).
    torch::Tensor &buffer(size_t index, torch::ScalarType dtype, int64_t numel)
    {
        if (m_buffers.size() <= index)
            m_buffers.resize(index + 1);
        torch::Tensor &b = m_buffers[index];
        if (!b.defined() || b.scalar_type() != dtype || b.numel() != numel)
            b = torch::empty({numel}, torch::dtype(dtype));
        return b;
    }

    QString m_master;
    c10::intrusive_ptr<::c10d::Store> m_store;
    c10::intrusive_ptr<::c10d::ProcessGroupGloo> m_group;
    std::vector<torch::Tensor> m_buffers;
};

int64_t storeInt(::c10d::Store &store, const std::string &key)
{
    return store.add(key, 0);
}

} // namespace

Result<std::unique_ptr<Communicator>> Communicator::connect(const DistributedOptions &options)
{
    if (options.worldSize < 1 || options.rank < 0 || options.rank >= options.worldSize)
        return makeError(Error::Code::Invalid,
                         QStringLiteral("Bad distributed setup: rank %1 with world size %2 (the "
                                        "rank must be from 0 to world size - 1)")
                                            .arg(options.rank)
                                            .arg(options.worldSize));
    if (options.worldSize == 1)
        return std::unique_ptr<Communicator>(std::make_unique<SingleProcess>());

    auto address = parseMaster(options.master);
    if (!address)
        return address.error();
    const int seconds = std::max(1, options.timeoutSeconds);
    const std::chrono::milliseconds timeout{seconds * 1000LL};
    const QString who = QStringLiteral("rank %1 of %2").arg(options.rank).arg(options.worldSize);
    auto failure = [&](const QString &what) {
        return makeError(Error::Code::Io,
                         QStringLiteral("Distributed training: %1 (master %2, %3)") .arg(
                             what, options.master.trimmed(), who));
    };

    if (options.rank == 0 && !isLocalAddress(address->host))
        return failure(QStringLiteral("rank 0 listens at the master address, but %1 is not an "
                                      "address of this machine")
                                          .arg(QString::fromStdString(address->host)));

    try {
        ::c10d::TCPStoreOptions storeOptions;
        storeOptions.port = address->port;
        storeOptions.isServer = options.rank == 0;
        storeOptions.numWorkers = c10::nullopt; // joining is checked below, with a clear message
        storeOptions.waitWorkers = false;
        storeOptions.timeout = timeout;
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        c10::intrusive_ptr<::c10d::Store> store;
        while (!store) {
            try {
                store = c10::make_intrusive<::c10d::TCPStore>(address->host, storeOptions);
            } catch (const std::exception &e) {
                // c10d's client gives up a retry interval early; workers may also
                // start before the master, so keep trying until our own deadline.
                const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now());
                if (options.rank == 0)
                    return failure(QStringLiteral("cannot listen: %1").arg(describe(e)));
                if (left.count() <= 0)
                    return failure(QStringLiteral("cannot reach the master within %1 s: %2") .arg(seconds).arg(describe(e)));
                std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(200)));
                storeOptions.timeout = std::max(left, std::chrono::milliseconds(100));
            }
        }
        store->setTimeout(timeout); // for the rendezvous that follows, not what was left

        // Agree on the world size and refuse a rank that two processes claim;
        // both are easy command-line slips that would otherwise hang.
        const std::string size = std::to_string(options.worldSize);
        const auto agreed = store->compareSet("salient/world_size", {},
                                              std::vector<uint8_t>(size.begin(), size.end()));
        if (std::string(agreed.begin(), agreed.end()) != size)
            return failure(QStringLiteral("world size %1 here, but %2 at another rank")
                    .arg(options.worldSize)
                    .arg(QString::fromStdString(std::string(agreed.begin(), agreed.end()))));
        if (store->add("salient/rank/" + std::to_string(options.rank), 1) != 1)
            return failure(
                QStringLiteral("rank %1 is already taken by another process").arg(options.rank));

        store->add("salient/joined", 1);
        int64_t joined = storeInt(*store, "salient/joined");
        while (joined < options.worldSize) {
            if (std::chrono::steady_clock::now() >= deadline)
                return failure(QStringLiteral("only %1 of %2 ranks joined within %3 s")
                                                  .arg(joined)
                                                  .arg(options.worldSize)
                                                  .arg(seconds));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            joined = storeInt(*store, "salient/joined");
        }

        auto groupOptions = ::c10d::ProcessGroupGloo::Options::create(
            std::max<std::chrono::milliseconds>(timeout, kMinCollectiveTimeout));
        groupOptions->devices.push_back(makeDevice(*address));
        auto group = c10::make_intrusive<::c10d::ProcessGroupGloo>(store, options.rank,
                                                                   options.worldSize, groupOptions);
        return std::unique_ptr<Communicator>(std::make_unique<GlooCommunicator>(
            options.rank, options.worldSize, options.master.trimmed(), std::move(store),
            std::move(group)));
    } catch (const std::exception &e) {
        return failure(describe(e));
    }
}

} // namespace salient::train
