// SPDX-License-Identifier: GPL-3.0-or-later
// Precompiled header for salient_train only. Never include from a public header.
#pragma once
#include <torch/torch.h>
