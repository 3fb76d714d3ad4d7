package org.jbia.optimize.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jbia.common.schema.JsonCodec;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as JSON: {"error": ..., "problems": [...]}, one message per problem. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response rejected(SubmissionRejected e) {
        return json(Response.Status.BAD_REQUEST, "invalid request", e.problems());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return json(Response.Status.NOT_FOUND, e.getMessage(), List.of());
    }

    private static Response json(Response.Status status, String error, List<String> problems) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(JsonCodec.encode(Map.of("error", error, "problems", problems))).build();
    }
}
