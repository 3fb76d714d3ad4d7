package org.jbia.cli.simulate;

/** A light profile of unit total flux, positioned in image pixel coordinates. */
interface SurfaceBrightness {

    double x();

    double y();

    /** Flux per square pixel at (px, py); integrates to 1 over the plane. */
    double density(double px, double py);

    /**
     * Radius (pixels) beyond which the profile, scaled to total {@code flux}, stays below {@code floor}
     * per pixel and is not drawn. Faint objects are thus drawn small and bright halos wide.
     */
    double extent(double flux, double floor);

    /** Radius (pixels) within which a pixel holds too much curvature to be sampled once. */
    double fineRadius();
}
