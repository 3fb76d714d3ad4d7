package org.jbia.train.model;

import java.util.List;

/**
 * A network described once, as data: its input (height × width × bands, channels last outside the
 * backend) and its layers, ending in one sigmoid unit. Backends build it; bundles store it.
 *
 * @param name   the network family (alexnet, resnet18, vgg16, custom_cnn)
 * @param input  the input shape
 * @param layers the layers in order; the last one is {@link Layer.Output}
 */
public record NetworkSpec(String name, Shape input, List<Layer> layers) {

    public NetworkSpec {
        layers = List.copyOf(layers);
        if (layers.isEmpty() || !(layers.get(layers.size() - 1) instanceof Layer.Output)) {
            throw new IllegalArgumentException("a network must end with its sigmoid output layer");
        }
    }

    /** Parameters trained by gradient steps (PyTorch's count of parameters()). */
    public long trainableParameters() {
        return Shape.trainable(layers, input);
    }

    /** Batch norm running statistics: stored with the model but not trained. */
    public long stateParameters() {
        return Shape.state(layers, input);
    }

    public Shape outputShape() {
        return Shape.through(layers, input);
    }

    /** Shape after each layer, for summaries. */
    public List<Shape> shapes() {
        java.util.ArrayList<Shape> out = new java.util.ArrayList<>();
        Shape s = input;
        for (Layer l : layers) {
            s = l.outputShape(s);
            out.add(s);
        }
        return out;
    }
}
