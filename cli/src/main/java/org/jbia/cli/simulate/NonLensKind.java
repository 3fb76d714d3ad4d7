package org.jbia.cli.simulate;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a simulated non-lens shows, and how often: the negative class is this mix. Every cutout, lens
 * or not, also has faint field galaxies and stars scattered over it, as real survey cutouts do, so
 * that a busy background says nothing about the class.
 */
public enum NonLensKind {
    /** A red elliptical drawn exactly as the lenses' deflectors are, with no source behind it. */
    LONE_ELLIPTICAL(0.30),
    /**
     * The hard negatives: a deflector-like elliptical with one to three blue galaxies near it, at the
     * radii where arcs would be, with the sources' colours and brightness, but not lensed.
     */
    ELLIPTICAL_WITH_COMPANIONS(0.25),
    /** An inclined exponential disk, most with a bulge, some with spiral arms. */
    DISK(0.20),
    /** A star (sometimes two), which takes the shape of the PSF. */
    STAR(0.10),
    /** Three to seven galaxies and stars of all the kinds above, none central. */
    CROWDED_FIELD(0.15);

    private final double fraction;

    NonLensKind(double fraction) {
        this.fraction = fraction;
    }

    /** The expected share of the negative class. */
    public double fraction() {
        return fraction;
    }

    /** The kind whose share of [0, 1) holds {@code u}. */
    static NonLensKind at(double u) {
        return at(u, EnumSet.allOf(NonLensKind.class));
    }

    /**
     * The kind whose share of [0, 1) holds {@code u} when only {@code kinds} are drawn, each keeping its share
     * relative to the others.
     */
    static NonLensKind at(double u, Set<NonLensKind> kinds) {
        double total = 0;
        NonLensKind last = null;
        for (NonLensKind kind : kinds) {
            total += kind.fraction;
            last = kind;
        }
        double cumulative = 0;
        for (NonLensKind kind : kinds) {
            cumulative += kind.fraction / total;
            if (u < cumulative) {
                return kind;
            }
        }
        return last;
    }
}
