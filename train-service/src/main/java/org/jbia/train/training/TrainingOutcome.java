package org.jbia.train.training;

import java.util.Map;

/**
 * What a training run produced.
 *
 * @param bundle     the model bundle (zip; see {@code org.jbia.train.bundle.ModelBundle})
 * @param reportJson history per epoch and the evaluation, as JSON
 * @param metrics    the metrics of the epoch kept, plus auroc, tpr0, tpr10 when evaluation data was given
 * @param epochsRun  epochs actually trained
 * @param stopReason why training ended: "epochs" (all run) or "early_stopping"
 */
public record TrainingOutcome(byte[] bundle, String reportJson, Map<String, Double> metrics, int epochsRun,
                              String stopReason) {
}
