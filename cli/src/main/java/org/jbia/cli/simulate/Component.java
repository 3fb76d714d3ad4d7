package org.jbia.cli.simulate;

import java.util.List;

/** One source of light in a {@link Scene}; fluxes are per band (g, r, i), in image counts. */
sealed interface Component {

    /** A galaxy seen directly: a unit-flux profile times its flux in each band. */
    record Galaxy(SurfaceBrightness shape, double[] flux) implements Component {
    }

    /** A point source: it takes the shape of the PSF. */
    record Star(double x, double y, double[] flux) implements Component {
    }

    /**
     * A background galaxy seen through a lens: its parts are given in the source plane (the
     * coordinates the lens equation maps image positions onto), with their unlensed fluxes.
     */
    record LensedGalaxy(SieLens lens, List<Galaxy> parts) implements Component {
        public LensedGalaxy {
            parts = List.copyOf(parts);
        }
    }
}
