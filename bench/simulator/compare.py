#!/usr/bin/python3
"""Side by side statistics of the 20 real lens candidates and of simulated cutouts (g r i, 100x100).

  compare.py REAL.npy SIM_DIR [more SIM_DIRs...]    (SIM_DIR holds lenses.npy and other.npy of `bia simulate`)

Every statistic is measured the same way on every set, with no knowledge of how the simulation drew it:
  - centre: brightest point of the i band (3x3 box-smoothed) within 15 px of the cutout's centre
  - deflector: i flux and g/i, r/i within 3 px of the centre; peak i
  - sky sigma: 1.4826 MAD of the four 15x15 corners
  - arcs: residual after subtracting, per band, the azimuthal median in 1-px rings about the centre
    (removes the round deflector light and leaves what covers less than half a ring); arc pixels are
    residual g (3x3 box) above 3 sigma (of the box mean) at 3-20 px from the centre
    -> count of arc pixels, their g flux, g flux over deflector g flux, flux-weighted radius, g/i of the residual
  - pixel percentiles per band, share of pixels above 100 (what max_pixel=100 clips)
"""
import sys

import numpy as np


def box3(a):
    p = np.pad(a, 1, mode="edge")
    return sum(p[dy:dy + a.shape[0], dx:dx + a.shape[1]] for dy in range(3) for dx in range(3)) / 9.0


def measure(img):
    h, w, _ = img.shape
    yy, xx = np.mgrid[0:h, 0:w]
    si = box3(img[..., 2])
    d0 = np.hypot(yy - (h - 1) / 2, xx - (w - 1) / 2)
    si_c = np.where(d0 <= 15, si, -np.inf)
    cy, cx = np.unravel_index(np.argmax(si_c), si.shape)
    r = np.hypot(yy - cy, xx - cx)
    corners = np.concatenate([img[:15, :15].reshape(-1, 3), img[:15, -15:].reshape(-1, 3),
                              img[-15:, :15].reshape(-1, 3), img[-15:, -15:].reshape(-1, 3)])
    sigma = 1.4826 * np.median(np.abs(corners - np.median(corners, 0)), 0)
    ap = r <= 3
    flux = img[ap].sum(0)
    ring = np.round(r).astype(int)
    resid = np.empty_like(img)
    for b in range(3):
        med = np.zeros(ring.max() + 1)
        for k in range(0, 26):
            sel = ring == k
            if sel.any():
                med[k] = np.median(img[..., b][sel])
        model = np.where(ring <= 25, med[np.minimum(ring, 25)], 0)
        resid[..., b] = img[..., b] - model
    rg = box3(resid[..., 0])
    arc = (rg > 3 * sigma[0] / 3) & (r >= 3) & (r <= 20)
    ag = resid[..., 0][arc].sum()
    ai = resid[..., 2][arc].sum()
    return dict(offset_x=cx - (w - 1) / 2, offset_y=cy - (h - 1) / 2, peak_i=si[cy, cx], defl_i=flux[2],
                defl_gi=flux[0] / max(flux[2], 1e-6), defl_ri=flux[1] / max(flux[2], 1e-6),
                sky_g=sigma[0], sky_i=sigma[2], arc_px=int(arc.sum()), arc_g=ag,
                arc_over_defl_g=ag / max(flux[0], 1e-6), arc_r=(r[arc] * np.clip(resid[..., 0][arc], 0, None)).sum()
                / max(np.clip(resid[..., 0][arc], 0, None).sum(), 1e-6) if arc.any() else np.nan,
                arc_gi=ag / ai if arc.sum() >= 5 and ai > 0 else np.nan)


def summary(name, arr):
    rows = [measure(a) for a in arr]
    keys = rows[0].keys()
    out = {}
    for k in keys:
        v = np.array([row[k] for row in rows], float)
        v = v[np.isfinite(v)]
        out[k] = np.percentile(v, [16, 50, 84]) if len(v) else np.full(3, np.nan)
    pix = {}
    for b, band in enumerate("gri"):
        p = arr[..., b].ravel()
        pix[band] = (np.percentile(p, [50, 84, 99, 99.9]), (p > 100).mean() * 100, np.median(arr[..., b].max((1, 2))))
    return name, out, pix


def main():
    real = np.load(sys.argv[1])
    sets = [summary("real", real)]
    for d in sys.argv[2:]:
        lens = np.load(d + "/lenses.npy")
        other = np.load(d + "/other.npy")
        sets.append(summary(d + " lenses", lens[:200]))
        sets.append(summary(d + " others", other[:300]))
    print("per-image statistics: 16% / median / 84% over images")
    print("%-18s" % "stat" + "".join("%-30s" % s[0][-28:] for s in sets))
    for k in sets[0][1]:
        print("%-18s" % k + "".join("%-30s" % " / ".join("%.3g" % x for x in s[1][k]) for s in sets))
    print("\npixels per band: median, 84%, 99%, 99.9%; % above 100; median per-image max")
    for band in "gri":
        for s in sets:
            q, clip, mx = s[2][band]
            print("%s %-28s %s  %.2f%%  %.0f" % (band, s[0][-28:], " ".join("%8.2f" % x for x in q), clip, mx))


if __name__ == "__main__":
    main()
