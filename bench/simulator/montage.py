#!/usr/bin/python3
"""Colour composites (i r g -> R G B, asinh stretch) of g r i cutouts, in a grid, as a PNG.

  montage.py ARRAY.npy OUT.png [count] [first]
"""
import sys

import cv2
import numpy as np


def composite(img, soft=3.0, top=60.0):
    """asinh stretch per band with one scale for all, so colours stay comparable between images."""
    x = np.clip(img, 0, None)
    y = np.arcsinh(x / soft) / np.arcsinh(top / soft)
    # Channels g r i shown as B G R: cv2 writes B G R, so the array goes out as it is.
    return (np.clip(y, 0, 1) * 255).astype(np.uint8)


def main():
    arr = np.load(sys.argv[1])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    first = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    imgs = arr[first:first + count]
    cols = 5
    rows = (len(imgs) + cols - 1) // cols
    h, w = arr.shape[1:3]
    sheet = np.zeros((rows * (h + 2), cols * (w + 2), 3), np.uint8)
    for k, im in enumerate(imgs):
        r, c = divmod(k, cols)
        bgr = composite(im)
        sheet[r * (h + 2):r * (h + 2) + h, c * (w + 2):c * (w + 2) + w] = bgr
    sheet = cv2.resize(sheet, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    cv2.imwrite(sys.argv[2], sheet)


if __name__ == "__main__":
    main()
