package org.jbia.train.backend.dl4j;

import java.util.List;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.jbia.train.model.BinaryLoss;
import org.jbia.train.model.Layer;
import org.jbia.train.model.NetworkSpec;
import org.jbia.train.model.OptimizerSpec;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.InverseSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

/** Translates a {@link NetworkSpec} into a DL4J computation graph (NCHW inside). */
final class Dl4jGraphs {

    private Dl4jGraphs() {
    }

    static ComputationGraphConfiguration configure(NetworkSpec net, OptimizerSpec optimizer, BinaryLoss loss,
                                                   long seed) {
        return configure(net, optimizer, loss, seed, true);
    }

    /**
     * With {@code fuse}, a batch norm followed by a ReLU becomes one layer (see {@link KerasBatchNorm}), and a
     * residual block's addition and ReLU one vertex ({@link KerasAddRelu}).
     */
    static ComputationGraphConfiguration configure(NetworkSpec net, OptimizerSpec optimizer, BinaryLoss loss,
                                                   long seed, boolean fuse) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                // the loss averages over the batch itself (Dl4jLoss "averaged"): DL4J's division of every
                // gradient by the batch size is one more pass over all parameters each step
                .miniBatch(false)
                .dataType(DataType.FLOAT)
                .updater(updater(optimizer))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                // keep pre-activations for the backward pass: DL4J otherwise recomputes every conv and dense
                // forward product in backprop
                .cacheMode(CacheMode.DEVICE)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(net.input().height(), net.input().width(),
                        net.input().channels()));
        Naming names = new Naming(fuse);
        String last = add(g, net.layers(), "input", names, loss);
        g.setOutputs(last);
        ComputationGraphConfiguration conf = g.build();
        ChannelBlocks.plan(conf);
        return conf;
    }

    /** Keras' optimisers; the decay becomes DL4J's inverse schedule lr / (1 + decay·iteration)^1. */
    static IUpdater updater(OptimizerSpec o) {
        ISchedule schedule = o.decay() > 0 ? new InverseSchedule(ScheduleType.ITERATION, o.lr(), o.decay(), 1) : null;
        IUpdater u = switch (o.name()) {
            case "sgd" -> new KerasSgd(o.lr(), schedule, o.momentum(), o.nesterov());
            case "adadelta" -> new KerasAdadelta(o.lr(), schedule, o.rho(), o.epsilon());
            case "adam" -> o.amsgrad() ? new AMSGrad(o.lr(), o.beta1(), o.beta2(), o.epsilon())
                    : new Adam(o.lr(), o.beta1(), o.beta2(), o.epsilon());
            case "adamax" -> new AdaMax(o.lr(), o.beta1(), o.beta2(), o.epsilon());
            case "nadam" -> new Nadam(o.lr(), o.beta1(), o.beta2(), o.epsilon());
            case "rmsprop" -> new RmsProp(o.lr(), o.rho(), o.epsilon());
            default -> throw new IllegalArgumentException("optimizer = '" + o.name() + "' is not allowed");
        };
        if (schedule != null && !(u instanceof KerasSgd) && !(u instanceof KerasAdadelta)) {
            u.setLrAndSchedule(o.lr(), schedule);
        }
        return u;
    }

    static IActivation activation(String name) {
        if (name.equals("relu")) {
            return new KerasRelu();
        }
        return (switch (name) {
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "elu" -> Activation.ELU;
            case "selu" -> Activation.SELU;
            case "linear" -> Activation.IDENTITY;
            case "softplus" -> Activation.SOFTPLUS;
            case "softsign" -> Activation.SOFTSIGN;
            case "swish" -> Activation.SWISH;
            default -> throw new IllegalArgumentException("activation '" + name + "' is not known");
        }).getActivationFunction();
    }

    /** Vertex names in order, and whether to fuse a batch norm and the ReLU after it. */
    private static final class Naming {
        private final boolean fuse;
        private int next;

        Naming(boolean fuse) {
            this.fuse = fuse;
        }

        String name(String kind) {
            return String.format("%03d_%s", next++, kind);
        }
    }

    /** Adds the layers after vertex {@code in}; returns the name of the last vertex. */
    private static String add(ComputationGraphConfiguration.GraphBuilder g, List<Layer> layers, String in,
                              Naming names, BinaryLoss loss) {
        String last = in;
        for (int i = 0; i < layers.size(); i++) {
            if (names.fuse && layers.get(i) instanceof Layer.BatchNorm bn && i + 1 < layers.size()
                    && layers.get(i + 1) instanceof Layer.Act a && a.activation().equals("relu")) {
                last = addLayer(g, names.name("batch_norm"), KerasBatchNorm.of(bn.momentum(), bn.epsilon(), true),
                        last);
                names.name("activation"); // the names after it are those of the unfused graph
                i++;
                continue;
            }
            last = add(g, layers.get(i), last, names, loss);
        }
        return last;
    }

    private static String add(ComputationGraphConfiguration.GraphBuilder g, Layer layer, String in, Naming names,
                              BinaryLoss loss) {
        if (layer instanceof Layer.Conv c) {
            ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(c.kernel(), c.kernel())
                    .stride(c.stride(), c.stride())
                    .nOut(c.filters())
                    .convolutionMode(ConvolutionMode.Same)
                    .activation(activation(c.activation()))
                    .weightInit(new KerasInit(c.init()))
                    .hasBias(c.bias());
            if (c.l2() > 0) {
                b.l2(2 * c.l2()); // Keras adds λ·Σw² (gradient 2λw); DL4J's l2 adds λ/2·Σw²
            }
            // a convolution on the network's input needs no input gradient
            return addLayer(g, names.name("conv"), KerasConv.of(b.build(), !"input".equals(in)), in);
        }
        if (layer instanceof Layer.Pool p) {
            boolean min = p.pooling() == org.jbia.train.model.PoolType.MIN;
            String from = in;
            if (min) {
                from = names.name("negate");
                g.addVertex(from, new ScaleVertex(-1), in);
            }
            SubsamplingLayer pool = new SubsamplingLayer.Builder(
                    p.pooling() == org.jbia.train.model.PoolType.AVERAGE ? PoolingType.AVG : PoolingType.MAX)
                    .kernelSize(p.size(), p.size())
                    .stride(p.stride(), p.stride())
                    .convolutionMode(ConvolutionMode.Same)
                    .avgPoolIncludePadInDivisor(false)
                    .build();
            String out = addLayer(g, names.name(p.pooling().pyName() + "_pool"), KerasPool.of(pool), from);
            if (min) {
                String back = names.name("negate");
                g.addVertex(back, new ScaleVertex(-1), out);
                out = back;
            }
            return out;
        }
        if (layer instanceof Layer.BatchNorm bn) {
            return addLayer(g, names.name("batch_norm"), KerasBatchNorm.of(bn.momentum(), bn.epsilon(), false), in);
        }
        if (layer instanceof Layer.LocalResponse l) {
            return addLayer(g, names.name("lrn"), KerasLrn.of(l.depthRadius(), l.bias(), l.alpha(), l.beta()), in);
        }
        if (layer instanceof Layer.Act a) {
            return addLayer(g, names.name("activation"),
                    new ActivationLayer.Builder().activation(activation(a.activation())).build(), in);
        }
        if (layer instanceof Layer.Flatten f) {
            return in; // DL4J inserts the CNN-to-dense preprocessor itself
        }
        if (layer instanceof Layer.GlobalAveragePool gap) {
            return addLayer(g, names.name("global_average_pool"),
                    KerasGlobalPool.of(new GlobalPoolingLayer.Builder(PoolingType.AVG).build()), in);
        }
        if (layer instanceof Layer.Dense d) {
            DenseLayer.Builder b = new DenseLayer.Builder().nOut(d.units())
                    .activation(activation(d.activation())).weightInit(new KerasInit(d.init()));
            if (d.l2() > 0) {
                b.l2(2 * d.l2());
            }
            return addLayer(g, names.name("dense"), KerasDense.of(b.build()), in);
        }
        if (layer instanceof Layer.Dropout d) {
            // DL4J's argument is the probability of keeping an activation
            return addLayer(g, names.name("dropout"), new DropoutLayer.Builder(1 - d.rate()).build(), in);
        }
        if (layer instanceof Layer.Residual r) {
            String main = add(g, r.main(), in, names, loss);
            String shortcut = r.shortcut().isEmpty() ? in : add(g, r.shortcut(), in, names, loss);
            String sum = names.name("add");
            if (names.fuse && "relu".equals(r.activation())) {
                g.addVertex(sum, new KerasAddRelu(), main, shortcut);
                names.name("activation"); // the names after it are those of the unfused graph
                return sum;
            }
            g.addVertex(sum, new ElementWiseVertex(ElementWiseVertex.Op.Add), main, shortcut);
            if ("linear".equals(r.activation())) {
                return sum;
            }
            return addLayer(g, names.name("activation"),
                    new ActivationLayer.Builder().activation(activation(r.activation())).build(), sum);
        }
        if (layer instanceof Layer.Output o) {
            return addLayer(g, names.name("output"), new OutputLayer.Builder(new Dl4jLoss(loss, true))
                    .nOut(1).activation(Activation.SIGMOID).weightInit(new KerasInit(o.init())).build(), in);
        }
        throw new IllegalArgumentException("layer " + layer + " is not known");
    }

    private static String addLayer(ComputationGraphConfiguration.GraphBuilder g, String name,
                                   org.deeplearning4j.nn.conf.layers.Layer layer, String in) {
        g.addLayer(name, layer, in);
        return name;
    }
}
