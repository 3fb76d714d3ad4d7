package org.jbia.cli.simulate;

import java.util.List;

/** Everything in one cutout before it is observed, in image pixel coordinates. */
record Scene(List<Component> components) {

    Scene {
        components = List.copyOf(components);
    }

    /** The same scene without its lensed background galaxies: the deflector and field alone. */
    Scene withoutLensedLight() {
        return new Scene(components.stream().filter(c -> !(c instanceof Component.LensedGalaxy)).toList());
    }
}
