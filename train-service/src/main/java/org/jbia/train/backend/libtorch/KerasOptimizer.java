package org.jbia.train.backend.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.jbia.train.model.OptimizerSpec;

/**
 * Keras' optimisers as in-place updates of libtorch tensors, with Keras' (not PyTorch's) update
 * rules: SGD v ← m·v − lr·g, w ← w + v (Nesterov: w ← w + m·v − lr·g); Adam and AMSGrad with the
 * bias correction folded into the step size; Adamax; Keras' Nadam with its momentum schedule;
 * Adadelta with a learning rate; RMSprop with ε outside the root. The rate at step t is
 * lr / (1 + decay·t), Keras' legacy decay. L2 factors of the layers add 2·l2·w to the gradient, as
 * Keras' l2·Σw² term in the loss does.
 */
final class KerasOptimizer {
    /** Keras' Nadam momentum schedule: μ_t = β₁(1 − ½·0.96^(0.004·t)). */
    private static final double NADAM_DECAY_BASE = 0.96;
    private static final double NADAM_DECAY = 0.004;

    private final OptimizerSpec spec;
    private final List<TorchNetwork.Parameter> parameters = new ArrayList<>();
    private final List<NDArray[]> states = new ArrayList<>();
    private long steps;
    private double nadamSchedule = 1;

    /** Zero state for every trainable parameter; create it outside any NDScope, it lives as long as the model. */
    KerasOptimizer(OptimizerSpec spec, List<TorchNetwork.Parameter> all) {
        this.spec = spec;
        int stateCount = switch (spec.name()) {
            case "sgd" -> spec.momentum() > 0 ? 1 : 0;
            case "adam" -> spec.amsgrad() ? 3 : 2;
            case "adamax", "nadam", "adadelta" -> 2;
            case "rmsprop" -> 1;
            default -> throw new IllegalArgumentException("optimizer = '" + spec.name() + "' is not allowed");
        };
        for (TorchNetwork.Parameter p : all) {
            if (!p.trainable()) {
                continue;
            }
            NDArray[] state = new NDArray[stateCount];
            for (int i = 0; i < stateCount; i++) {
                state[i] = zerosInTheLayoutOf(p.array());
            }
            parameters.add(p);
            states.add(state);
        }
    }

    /**
     * Zeros with the memory layout of {@code w} (a channels-last kernel stays channels-last): DJL's
     * zerosLike lays its result out plainly, and every in-place update mixing the two layouts then takes
     * libtorch's strided path, about three times slower on ResNet-18's largest kernels.
     */
    private static NDArray zerosInTheLayoutOf(NDArray w) {
        NDArray zeros = w.duplicate(); // a clone keeps the strides
        zeros.set(new NDIndex("..."), 0f);
        return zeros;
    }

    /** One update from the gradients of the last backward pass, which it then clears; run without grad mode. */
    void step() {
        long t = ++steps;
        float lr = (float) spec.learningRateAt(t - 1);
        double muT = 0;
        double muNext = 0;
        double scheduleNew = 0;
        double scheduleNext = 0;
        if ("nadam".equals(spec.name())) {
            muT = spec.beta1() * (1 - 0.5 * Math.pow(NADAM_DECAY_BASE, t * NADAM_DECAY));
            muNext = spec.beta1() * (1 - 0.5 * Math.pow(NADAM_DECAY_BASE, (t + 1) * NADAM_DECAY));
            scheduleNew = nadamSchedule * muT;
            scheduleNext = scheduleNew * muNext;
            nadamSchedule = scheduleNew;
        }
        for (int i = 0; i < parameters.size(); i++) {
            TorchNetwork.Parameter p = parameters.get(i);
            NDArray w = p.array();
            // every temporary of the update is freed here; the weights and states change in place
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray g = w.getGradient();
                if (p.l2() > 0) {
                    g = g.add(w.mul((float) (2 * p.l2())));
                }
                NDArray[] s = states.get(i);
                switch (spec.name()) {
                    case "sgd" -> sgd(w, g, s, lr);
                    case "adam" -> adam(w, g, s, lr, t);
                    case "adamax" -> adamax(w, g, s, lr, t);
                    case "nadam" -> nadam(w, g, s, lr, t, muT, muNext, scheduleNew, scheduleNext);
                    case "adadelta" -> adadelta(w, g, s, lr);
                    default -> rmsprop(w, g, s, lr);
                }
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    private void sgd(NDArray w, NDArray g, NDArray[] s, float lr) {
        float m = (float) spec.momentum();
        // lr·g in place: g is this step's own gradient (cleared after the update), a copy would cost one
        // more allocation and pass over every weight
        NDArray lrG = g.muli(lr);
        if (s.length == 0) {
            w.subi(lrG);
            return;
        }
        NDArray v = s[0];
        v.muli(m).subi(lrG);
        if (spec.nesterov()) {
            w.addi(v.mul(m)).subi(lrG);
        } else {
            w.addi(v);
        }
    }

    private void adam(NDArray w, NDArray g, NDArray[] s, float lr, long t) {
        NDArray m = moment(s[0], g);
        NDArray v = s[1].muli((float) spec.beta2()).addi(g.square().muli((float) (1 - spec.beta2())));
        if (spec.amsgrad()) {
            s[2].addi(Activation.relu(v.sub(s[2]))); // v̂ ← max(v̂, v)
            v = s[2];
        }
        double step = lr * Math.sqrt(1 - Math.pow(spec.beta2(), t)) / (1 - Math.pow(spec.beta1(), t));
        w.subi(m.mul((float) step).divi(v.sqrt().addi((float) spec.epsilon())));
    }

    private void adamax(NDArray w, NDArray g, NDArray[] s, float lr, long t) {
        NDArray m = moment(s[0], g);
        NDArray u = s[1].muli((float) spec.beta2());
        u.addi(Activation.relu(g.abs().subi(u))); // u ← max(β₂u, |g|)
        double step = lr / (1 - Math.pow(spec.beta1(), t));
        w.subi(m.mul((float) step).divi(u.add((float) spec.epsilon())));
    }

    private void nadam(NDArray w, NDArray g, NDArray[] s, float lr, long t, double muT, double muNext,
                       double scheduleNew, double scheduleNext) {
        NDArray m = moment(s[0], g);
        NDArray v = s[1].muli((float) spec.beta2()).addi(g.square().muli((float) (1 - spec.beta2())));
        NDArray gPrime = g.mul((float) ((1 - muT) / (1 - scheduleNew)));
        NDArray mBar = m.mul((float) (muNext / (1 - scheduleNext))).addi(gPrime);
        NDArray vPrime = v.mul((float) (1 / (1 - Math.pow(spec.beta2(), t))));
        w.subi(mBar.muli(lr).divi(vPrime.sqrt().addi((float) spec.epsilon())));
    }

    private void adadelta(NDArray w, NDArray g, NDArray[] s, float lr) {
        float rho = (float) spec.rho();
        float eps = (float) spec.epsilon();
        s[0].muli(rho).addi(g.square().muli(1 - rho));
        NDArray delta = s[1].add(eps).sqrt().divi(s[0].add(eps).sqrt()).muli(g);
        s[1].muli(rho).addi(delta.square().muli(1 - rho));
        w.subi(delta.muli(lr));
    }

    private void rmsprop(NDArray w, NDArray g, NDArray[] s, float lr) {
        float rho = (float) spec.rho();
        s[0].muli(rho).addi(g.square().muli(1 - rho));
        w.subi(g.mul(lr).divi(s[0].sqrt().addi((float) spec.epsilon())));
    }

    /** The first moment m ← β₁m + (1−β₁)g, in place. */
    private NDArray moment(NDArray m, NDArray g) {
        return m.muli((float) spec.beta1()).addi(g.mul((float) (1 - spec.beta1())));
    }
}
