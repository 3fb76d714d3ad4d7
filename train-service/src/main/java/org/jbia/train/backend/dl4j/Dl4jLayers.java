package org.jbia.train.backend.dl4j;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Plumbing for jBIA's own DL4J layers ({@link KerasConv}, {@link KerasDense}, {@link KerasLrn},
 * {@link KerasBatchNorm}, {@link KerasPool}, {@link KerasGlobalPool}):
 * each is configured with DL4J's builder for the layer it replaces, then copied into a subclass whose
 * only change is the layer class it instantiates. The saved configuration names the subclass, so a
 * saved model reloads with the same implementation.
 */
final class Dl4jLayers {

    private Dl4jLayers() {
    }

    /**
     * Copies the fields two layer configurations share into {@code to}; one's class must extend the
     * other's (a DL4J configuration into jBIA's subclass, or back).
     */
    static <T extends Layer> T copy(Layer from, T to) {
        Class<?> shared;
        if (from.getClass().isInstance(to)) {
            shared = from.getClass();
        } else if (to.getClass().isInstance(from)) {
            shared = to.getClass();
        } else {
            throw new IllegalArgumentException(to.getClass() + " and " + from.getClass() + " are not related");
        }
        for (Class<?> c = shared; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(to, f.get(from));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy " + f + " of a DL4J layer configuration", e);
                }
            }
        }
        return to;
    }

    /** What DL4J's own configurations do in {@code instantiate}, for a layer object made by jBIA. */
    static <L extends org.deeplearning4j.nn.api.Layer> L wire(L layer, Layer layerConf, NeuralNetConfiguration conf,
                                                           Collection<TrainingListener> listeners, int index,
                                                           INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(layerConf.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
