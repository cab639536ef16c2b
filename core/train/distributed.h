// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// INTERNAL to salient_train (includes torch): data parallelism with LibTorch's
// own c10d. The C++ API has no DistributedDataParallel, so the trainer calls
// these between backward() and step(): every rank starts from rank 0's
// weights, and gradients are averaged over ranks (flattened into buckets, one
// all-reduce per bucket) before each step.

#include "core/train/trainer.h"
#include "core/util/result.h"

#include <torch/torch.h>

#include <memory>
#include <vector>

namespace salient::train {

class Communicator {
public:
    /// worldSize 1: a no-op communicator (no sockets). Otherwise a TCPStore at
    /// options.master (rank 0 listens) and a ProcessGroupGloo (NCCL when the
    /// tensors live on CUDA and LibTorch has it). Errors (bad "host:port",
    /// timeout waiting for the other ranks) name the master address.
    static Result<std::unique_ptr<Communicator>> connect(const DistributedOptions &options);
    virtual ~Communicator() = default;

    int rank() const { return m_rank; }
    int worldSize() const { return m_worldSize; }

    /// Overwrites every tensor with rank 0's values (parameters and buffers at start).
    virtual Status broadcast(std::vector<torch::Tensor> tensors) = 0;
    /// Replaces each gradient by its mean over ranks (undefined grads are treated as zero).
    virtual Status averageGradients(const std::vector<torch::Tensor> &parameters) = 0;
    /// Sums values over ranks in place (metrics, counts).
    virtual Status allReduceSum(std::vector<double> &values) = 0;
    virtual Status barrier() = 0;

protected:
    Communicator(int rank, int worldSize) : m_rank(rank), m_worldSize(worldSize) {}

private:
    int m_rank;
    int m_worldSize;
};

} // namespace salient::train
