package org.jbia.train.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * One step of a network, described as data so that any backend can build it. Convolutions and
 * pooling use TensorFlow's 'same' padding: the output is ceil(in / stride), the odd padding pixel goes
 * after (bottom/right).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Layer.Conv.class, name = "conv"),
        @JsonSubTypes.Type(value = Layer.Pool.class, name = "pool"),
        @JsonSubTypes.Type(value = Layer.BatchNorm.class, name = "batch_norm"),
        @JsonSubTypes.Type(value = Layer.LocalResponse.class, name = "local_response"),
        @JsonSubTypes.Type(value = Layer.Act.class, name = "activation"),
        @JsonSubTypes.Type(value = Layer.Flatten.class, name = "flatten"),
        @JsonSubTypes.Type(value = Layer.GlobalAveragePool.class, name = "global_average_pool"),
        @JsonSubTypes.Type(value = Layer.Dense.class, name = "dense"),
        @JsonSubTypes.Type(value = Layer.Dropout.class, name = "dropout"),
        @JsonSubTypes.Type(value = Layer.Residual.class, name = "residual"),
        @JsonSubTypes.Type(value = Layer.Output.class, name = "output")})
public sealed interface Layer {

    /** Output shape of this layer for the given input shape. */
    Shape outputShape(Shape in);

    /** Parameters a gradient step changes (batch norm's running statistics are not counted). */
    long trainableParameters(Shape in);

    /** Parameters that are state but not trained: batch norm's running mean and variance. */
    default long stateParameters(Shape in) {
        return 0;
    }

    /** 2-D convolution with 'same' padding and an activation applied inside, as Keras' Conv2D. */
    record Conv(int filters, int kernel, int stride, String activation, String init, boolean bias, double l2)
            implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.image(Shape.same(in.height(), stride), Shape.same(in.width(), stride), filters);
        }

        public long trainableParameters(Shape in) {
            return (long) kernel * kernel * in.channels() * filters + (bias ? filters : 0);
        }
    }

    /** Pooling with 'same' padding; padded cells never win a max/min and are not counted in an average. */
    record Pool(PoolType pooling, int size, int stride) implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.image(Shape.same(in.height(), stride), Shape.same(in.width(), stride), in.channels());
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    /** Batch normalisation over channels (or features after a dense layer). */
    record BatchNorm(double momentum, double epsilon) implements Layer {
        public Shape outputShape(Shape in) {
            return in;
        }

        public long trainableParameters(Shape in) {
            return 2L * in.channels();
        }

        @Override
        public long stateParameters(Shape in) {
            return 2L * in.channels();
        }
    }

    /**
     * Local response normalisation with TensorFlow's semantics:
     * y = x / (bias + alpha · Σ_{|c'−c| ≤ depthRadius} x_c'²)^beta (alpha is not divided by the window).
     */
    record LocalResponse(int depthRadius, double bias, double alpha, double beta) implements Layer {
        public Shape outputShape(Shape in) {
            return in;
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    /** An activation on its own (ResNet: after batch norm, and after the residual addition). */
    record Act(String activation) implements Layer {
        public Shape outputShape(Shape in) {
            return in;
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    record Flatten() implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.flat(in.size());
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    record GlobalAveragePool() implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.flat(in.channels());
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    record Dense(int units, String activation, String init, double l2) implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.flat(units);
        }

        public long trainableParameters(Shape in) {
            return in.size() * units + units;
        }
    }

    /** Drops a fraction {@code rate} of its input during training (Keras' rate, not DL4J's retain probability). */
    record Dropout(double rate) implements Layer {
        public Shape outputShape(Shape in) {
            return in;
        }

        public long trainableParameters(Shape in) {
            return 0;
        }
    }

    /**
     * A residual block: {@code activation(main(x) + shortcut(x))}; an empty shortcut is the identity.
     */
    record Residual(List<Layer> main, List<Layer> shortcut, String activation) implements Layer {
        public Residual {
            main = List.copyOf(main);
            shortcut = List.copyOf(shortcut);
        }

        public Shape outputShape(Shape in) {
            return Shape.through(main, in);
        }

        public long trainableParameters(Shape in) {
            return Shape.trainable(main, in) + Shape.trainable(shortcut, in);
        }

        @Override
        public long stateParameters(Shape in) {
            return Shape.state(main, in) + Shape.state(shortcut, in);
        }
    }

    /** The one output unit: a dense layer with a sigmoid, giving P(positive). Never followed by anything. */
    record Output(String init) implements Layer {
        public Shape outputShape(Shape in) {
            return Shape.flat(1);
        }

        public long trainableParameters(Shape in) {
            return in.size() + 1;
        }
    }
}
