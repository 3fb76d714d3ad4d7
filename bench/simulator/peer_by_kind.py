#!/usr/bin/python3
"""The PyTorch peer (../shared/peers/torch_ref.py, AlexNet, Adam) trained once, then scored on several test sets.

  OPT=adam peer_by_kind.py TRAIN_DIR EPOCHS LENS_TEST_DIR NAME=OTHER_TEST_DIR...

Each NAME=DIR gives DIR/other.npy as the negatives, scored against LENS_TEST_DIR/lenses.npy: the AUROC of
the lenses against each kind of non-lens (simulate each kind alone to make them), so that one run shows
which negatives the network confuses with lenses.
"""
import importlib.util
import os
import sys

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "torch_ref", os.path.join(here, "..", "..", "..", "shared", "peers", "torch_ref.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)


def main():
    torch.set_num_threads(2)
    train_dir, epochs, lens_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    p = ref.prep(np.load(train_dir + "/lenses.npy"))
    n = ref.prep(np.load(train_dir + "/other.npy"))
    x = torch.cat([p, n])
    y = torch.cat([torch.tensor([[0., 1.]]).repeat(len(p), 1), torch.tensor([[1., 0.]]).repeat(len(n), 1)])
    torch.manual_seed(0)
    model = ref.train(ref.ARCH["alexnet"](3, x.shape[-1]), x, y, epochs, lr=1e-4)
    model.eval()
    with torch.no_grad():
        lens_scores = model(ref.prep(np.load(lens_dir + "/lenses.npy")))[:, 1].numpy()
        print("lenses: median score %.3f" % np.median(lens_scores))
        pooled = []
        for arg in sys.argv[4:]:
            name, d = arg.split("=", 1)
            s = model(ref.prep(np.load(d + "/other.npy")))[:, 1].numpy()
            pooled.append(s)
            lab = np.r_[np.ones(len(lens_scores)), np.zeros(len(s))]
            print("%-28s AUROC %.4f  median score %.3f" % (name, ref.auc(np.r_[lens_scores, s], lab), np.median(s)))


if __name__ == "__main__":
    main()
