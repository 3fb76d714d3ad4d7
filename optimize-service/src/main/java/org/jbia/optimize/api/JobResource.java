package org.jbia.optimize.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbia.common.array.ArrayFiles;
import org.jbia.common.array.ArrayFormatException;
import org.jbia.common.array.ImageStack;
import org.jbia.common.array.Npy;
import org.jbia.common.preview.PreviewGrid;
import org.jbia.common.schema.DatasetRefs;
import org.jbia.common.schema.JobSpec;
import org.jbia.common.schema.JsonCodec;
import org.jbia.common.schema.MalformedEventException;
import org.jbia.common.schema.ObjectRef;
import org.jbia.optimize.job.Job;
import org.jbia.optimize.service.JobOrchestrator;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The public API: submit a job (multipart: the arrays as .npy files and the spec as JSON), then
 * read its state, progress and result.
 */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    @Inject
    JobOrchestrator orchestrator;

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
        JobSpec spec = parseSpec(specJson, problems);
        Map<String, FileUpload> uploads = new LinkedHashMap<>();
        uploads.put("positive", positive);
        uploads.put("negative", negative);
        uploads.put("val_positive", valPositive);
        uploads.put("val_negative", valNegative);
        uploads.put("test_positive", testPositive);
        uploads.put("test_negative", testNegative);
        Map<String, ImageStack> arrays = new LinkedHashMap<>();
        uploads.forEach((field, upload) -> {
            if (upload != null) {
                try {
                    arrays.put(field, ArrayFiles.read(upload.uploadedFile(), null));
                } catch (ArrayFormatException | java.io.UncheckedIOException e) {
                    problems.add(field + ": " + upload.fileName() + " is not a readable array (.npy, .npz or FITS): "
                            + e.getMessage());
                }
            }
        });
        if (spec != null) {
            java.util.Set<String> uploaded = new java.util.HashSet<>();
            uploads.forEach((field, upload) -> {
                if (upload != null) {
                    uploaded.add(field);
                }
            });
            problems.addAll(SubmissionCheck.problems(spec, arrays, uploaded));
        }
        if (!problems.isEmpty()) {
            throw new SubmissionRejected(problems);
        }
        Job job = orchestrator.submit(spec, arrays);
        return Response.accepted(JsonCodec.encode(job)).build();
    }

    @GET
    public String list() {
        return JsonCodec.encode(orchestrator.all());
    }

    @GET
    @Path("/{id}")
    public String get(@PathParam("id") String id) {
        return JsonCodec.encode(job(id));
    }

    /** The trained model bundle (zip), as stored and verified against its SHA-256. */
    @GET
    @Path("/{id}/model")
    @Produces("application/zip")
    public byte[] model(@PathParam("id") String id) {
        Job job = job(id);
        if (job.result() == null || job.result().model() == null) {
            throw new NotFoundException("job " + id + " has no model yet: it is " + job.state());
        }
        return orchestrator.read(job.result().model());
    }

    /** The training report: history and evaluation. */
    @GET
    @Path("/{id}/report")
    public byte[] report(@PathParam("id") String id) {
        Job job = job(id);
        if (job.result() == null || job.result().report() == null) {
            throw new NotFoundException("job " + id + " has no report yet: it is " + job.state());
        }
        return orchestrator.read(job.result().report());
    }

    /**
     * A data set of the job as it was trained on (augmented when the job augmented it), as float32
     * .npy: what pyBIA's {@code overwrite_training} kept.
     */
    @GET
    @Path("/{id}/data/{set}")
    @Produces("application/octet-stream")
    public byte[] data(@PathParam("id") String id, @PathParam("set") String set) {
        return orchestrator.read(dataRef(job(id), set));
    }

    /**
     * A PNG grid of a data set (pyBIA's {@code _plot_positive}/{@code _plot_negative}): one band with
     * robust limits, or {@code band=all} for a colour composite of three bands.
     */
    @GET
    @Path("/{id}/preview/{set}")
    @Produces("image/png")
    public byte[] preview(@PathParam("id") String id, @PathParam("set") String set,
                          @QueryParam("band") @DefaultValue("0") String band,
                          @QueryParam("first") @DefaultValue("0") int first,
                          @QueryParam("count") @DefaultValue("16") int count,
                          @QueryParam("step") @DefaultValue("1") int step,
                          @QueryParam("columns") @DefaultValue("0") int columns,
                          @QueryParam("vmin") Double vmin, @QueryParam("vmax") Double vmax,
                          @QueryParam("scale") @DefaultValue("2") int scale) {
        Integer bandIndex;
        if (band.equals("all")) {
            bandIndex = null;
        } else {
            try {
                bandIndex = Integer.parseInt(band);
            } catch (NumberFormatException e) {
                throw new SubmissionRejected(List.of("band = '" + band + "' is not allowed: give a band index (0, 1, "
                        + "...) or 'all' for a colour composite"));
            }
        }
        ImageStack images = Npy.read(orchestrator.read(dataRef(job(id), set)));
        PreviewGrid.Options options = new PreviewGrid.Options(first, count, step, columns, bandIndex, vmin, vmax, scale);
        List<String> problems = PreviewGrid.problems(images, options).messages();
        if (!problems.isEmpty()) {
            throw new SubmissionRejected(problems);
        }
        return PreviewGrid.png(images, options);
    }

    private static ObjectRef dataRef(Job job, String set) {
        DatasetRefs data = job.augmented() != null ? job.augmented() : job.input();
        ObjectRef ref = switch (set) {
            case "positive" -> data.positive();
            case "negative" -> data.negative();
            case "val_positive" -> data.valPositive();
            case "val_negative" -> data.valNegative();
            case "test_positive" -> data.testPositive();
            case "test_negative" -> data.testNegative();
            default -> throw new NotFoundException("no data set '" + set + "': expected one of "
                    + String.join(", ", SubmissionCheck.ARRAY_FIELDS));
        };
        if (ref == null) {
            throw new NotFoundException("job " + job.id() + " has no " + set + " set");
        }
        return ref;
    }

    private Job job(String id) {
        return orchestrator.find(id).orElseThrow(() -> new NotFoundException("no job with id '" + id + "'"));
    }

    private static JobSpec parseSpec(String json, List<String> problems) {
        if (json == null || json.isBlank()) {
            return new JobSpec(null, null, null, null, null);
        }
        try {
            return JsonCodec.decode(json, JobSpec.class);
        } catch (MalformedEventException e) {
            problems.add("spec: " + e.getMessage());
            return null;
        }
    }
}
