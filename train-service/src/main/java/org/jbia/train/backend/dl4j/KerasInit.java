package org.jbia.train.backend.dl4j;

import java.util.SplittableRandom;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.jbia.train.model.KerasInitializers;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Keras' weight initialisers under pyBIA's names, reproduced exactly (DL4J's own LECUN_UNIFORM, for
 * one, uses a different bound). Values come from a generator seeded by ND4J's random source, which
 * DL4J seeds from the network seed, so the same seed gives the same weights.
 */
public final class KerasInit implements IWeightInit {
    @JsonProperty("name")
    private String name;

    private KerasInit() {
    }

    public KerasInit(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        SplittableRandom random = new SplittableRandom(Nd4j.getRandom().nextLong());
        int n = Math.toIntExact(paramView.length());
        float[] values = KerasInitializers.values(name, fanIn, fanOut, n, random, KerasInit::gaussian);
        paramView.assign(Nd4j.createFromArray(values).reshape(paramView.shape()));
        return paramView.reshape(order, shape);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; one value per call keeps the stream simple and reproducible
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerasInit k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
