package org.jbia.optimize.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ArrayFormatException;
import org.jbia.common.array.ImageStack;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.Event;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.ObjectRef;
import org.jbia.common.schema.study.DataChanged;
import org.jbia.common.schema.study.Ensemble;
import org.jbia.common.schema.study.StudySpec;
import org.jbia.optimize.service.StudyOrchestrator;
import org.jbia.optimize.study.Study;
import org.jbia.optimize.study.StudyReport;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * Studies over REST: submit one (multipart, as a job: the arrays as .npy files and the spec as JSON),
 * follow it, read its trials table (JSON or CSV), its best values and importances, fetch its model,
 * and send it changed data to retrain on.
 */
@Path("/studies")
@Produces(MediaType.APPLICATION_JSON)
public class StudyResource {

    @Inject
    StudyOrchestrator studies;

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response submit(@RestForm("spec") String specJson,
                           @RestForm("positive") FileUpload positive,
                           @RestForm("negative") FileUpload negative,
                           @RestForm("val_positive") FileUpload valPositive,
                           @RestForm("val_negative") FileUpload valNegative,
                           @RestForm("test_positive") FileUpload testPositive,
                           @RestForm("test_negative") FileUpload testNegative) {
        List<String> problems = new ArrayList<>();
        StudySpec spec = parseSpec(specJson, problems);
        Map<String, FileUpload> uploads = uploads(positive, negative, valPositive, valNegative, testPositive,
                testNegative);
        Map<String, ImageStack> arrays = read(uploads, problems);
        if (spec != null) {
            problems.addAll(StudyCheck.problems(spec, arrays, uploads.keySet()));
        }
        if (!problems.isEmpty()) {
            throw new SubmissionRejected(problems);
        }
        Study study = studies.submit(spec, arrays);
        return Response.accepted(summary(study.id())).build();
    }

    @GET
    public String list() {
        List<StudyReport.Summary> all = new ArrayList<>();
        for (Study study : studies.all()) {
            studies.read(study.id(), s -> StudyReport.summary(s, studies.plan(s))).ifPresent(all::add);
        }
        return JsonCodec.encode(all);
    }

    @GET
    @Path("/{id}")
    public String get(@PathParam("id") String id) {
        return summary(id);
    }

    /** The trials table: one row per trial with its values, outcome, workers and metrics. */
    @GET
    @Path("/{id}/trials")
    public String trials(@PathParam("id") String id) {
        return JsonCodec.encode(studies.read(id, StudyReport::trials).orElseThrow(() -> notFound(id)));
    }

    @GET
    @Path("/{id}/trials.csv")
    @Produces("text/csv")
    public String trialsCsv(@PathParam("id") String id) {
        return studies.read(id, StudyReport::csv).orElseThrow(() -> notFound(id));
    }

    /**
     * The final model: its bundle, or with opt_cv the bundle of one fold ({@code fold=k}) or all of
     * them as an ensemble (a zip of fold-k.zip bundles and ensemble.json).
     */
    @GET
    @Path("/{id}/model")
    @Produces("application/zip")
    public byte[] model(@PathParam("id") String id, @QueryParam("fold") Integer fold) {
        List<ObjectRef> models = studies.read(id, s -> {
            if (s.phase() != Study.Phase.COMPLETED || s.finalRuns().isEmpty()) {
                throw new NotFoundException("study " + id + " has no final model: it is " + s.phase()
                        + (s.spec().optimize().epochs() == 0 ? " (epochs = 0: tuning only)" : ""));
            }
            return s.finalRuns().stream().map(Study.Run::model).toList();
        }).orElseThrow(() -> notFound(id));
        if (fold != null) {
            if (fold < 1 || fold > models.size()) {
                throw new SubmissionRejected(List.of("fold = " + fold + " is not allowed: the study has "
                        + models.size() + (models.size() == 1 ? " model" : " fold models") + ", 1 to " + models.size()));
            }
            return studies.read(models.get(fold - 1));
        }
        if (models.size() == 1) {
            return studies.read(models.get(0));
        }
        double threshold = studies.read(id, s -> s.spec().train().threshold()).orElse(0.5);
        return ensemble(id, models, threshold);
    }

    /**
     * New or changed data (the same fields as a submission, each optional): stored, then the study
     * retrains with its best values and publishes the model on bia.model.published.
     */
    @POST
    @Path("/{id}/data")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response data(@PathParam("id") String id, @RestForm("reason") String reason,
                         @RestForm("positive") FileUpload positive,
                         @RestForm("negative") FileUpload negative,
                         @RestForm("val_positive") FileUpload valPositive,
                         @RestForm("val_negative") FileUpload valNegative,
                         @RestForm("test_positive") FileUpload testPositive,
                         @RestForm("test_negative") FileUpload testNegative) {
        int bands = studies.read(id, Study::bands).orElseThrow(() -> notFound(id));
        List<String> problems = new ArrayList<>();
        Map<String, FileUpload> uploads = uploads(positive, negative, valPositive, valNegative, testPositive,
                testNegative);
        Map<String, ImageStack> arrays = read(uploads, problems);
        if (uploads.isEmpty()) {
            problems.add("no data: send at least one of positive, negative, val_positive, val_negative, test_positive, "
                    + "test_negative");
        }
        arrays.forEach((field, stack) -> {
            if (stack.bands() != bands) {
                problems.add(field + " images have " + stack.bands() + " bands; the study's have " + bands);
            }
        });
        if (!problems.isEmpty()) {
            throw new SubmissionRejected(problems);
        }
        String request = "api-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, ObjectRef> refs = new LinkedHashMap<>();
        arrays.forEach((field, stack) -> refs.put(field, studies.storeChange(id, request, field, stack)));
        DataChanged change = new DataChanged(Event.CURRENT_VERSION, id, request, new DatasetRefs(refs.get("positive"),
                refs.get("negative"), refs.get("val_positive"), refs.get("val_negative"), refs.get("test_positive"),
                refs.get("test_negative")), reason);
        studies.dataChanged(change);
        return Response.accepted(JsonCodec.encode(change)).build();
    }

    private byte[] ensemble(String id, List<ObjectRef> models, double threshold) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> members = new ArrayList<>();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int k = 0; k < models.size(); k++) {
                String name = "fold-" + (k + 1) + ".zip";
                members.add(name);
                zip.putNextEntry(new ZipEntry(name));
                zip.write(studies.read(models.get(k)));
                zip.closeEntry();
            }
            Ensemble manifest = new Ensemble(id, "average", threshold, members);
            zip.putNextEntry(new ZipEntry("ensemble.json"));
            zip.write(JsonCodec.encodePretty(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the ensemble of study " + id + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private String summary(String id) {
        return JsonCodec.encode(studies.read(id, s -> StudyReport.summary(s, studies.plan(s)))
                .orElseThrow(() -> notFound(id)));
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("no study with id '" + id + "'");
    }

    private static Map<String, FileUpload> uploads(FileUpload positive, FileUpload negative, FileUpload valPositive,
                                                   FileUpload valNegative, FileUpload testPositive,
                                                   FileUpload testNegative) {
        Map<String, FileUpload> uploads = new LinkedHashMap<>();
        put(uploads, "positive", positive);
        put(uploads, "negative", negative);
        put(uploads, "val_positive", valPositive);
        put(uploads, "val_negative", valNegative);
        put(uploads, "test_positive", testPositive);
        put(uploads, "test_negative", testNegative);
        return uploads;
    }

    private static void put(Map<String, FileUpload> uploads, String field, FileUpload upload) {
        if (upload != null) {
            uploads.put(field, upload);
        }
    }

    private static Map<String, ImageStack> read(Map<String, FileUpload> uploads, List<String> problems) {
        Map<String, ImageStack> arrays = new LinkedHashMap<>();
        uploads.forEach((field, upload) -> {
            try {
                arrays.put(field, ArrayFiles.read(upload.uploadedFile(), null));
            } catch (ArrayFormatException | UncheckedIOException e) {
                problems.add(field + ": " + upload.fileName() + " is not a readable array (.npy, .npz or FITS): "
                        + e.getMessage());
            }
        });
        return arrays;
    }

    private static StudySpec parseSpec(String json, List<String> problems) {
        if (json == null || json.isBlank()) {
            return new StudySpec(null, null, null, null, null, null);
        }
        try {
            return JsonCodec.decode(json, StudySpec.class);
        } catch (MalformedEventException e) {
            problems.add("spec: " + e.getMessage());
            return null;
        }
    }
}
