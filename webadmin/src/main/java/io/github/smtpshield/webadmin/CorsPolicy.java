package io.github.smtpshield.webadmin;

import java.util.List;
import java.util.Optional;
import javax.inject.Inject;
import org.apache.james.webadmin.PublicRoutes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * WebAdmin's cross-origin policy: no web page may drive WebAdmin from a browser unless the operator names its origin
 * ({@code cors.enable=true} and {@code cors.origin=https://admin.example} in {@code webadmin.properties}).
 *
 * <p>Why a filter of the shield's: James 3.8.1 sends {@code Access-Control-Allow-Origin: *} on every response and
 * answers every preflight whenever WebAdmin is on ({@code WebAdminServer.configureCORS} tests {@code isEnabled()},
 * not {@code isEnableCORS()}), so any page open in a browser on the host could create users and reset passwords. This
 * filter runs after everything else of every request, halted ones included: it takes James's CORS headers off and, for
 * a request from the named origin only, puts the right ones back. {@code cors.origin=*} names no origin: it is refused
 * with a warning (the audit FAILs it).
 */
public class CorsPolicy implements PublicRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(CorsPolicy.class);

    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    /** James's CORS headers, its misnamed {@code Access-Control-Request-Method} response header included. */
    private static final List<String> JAMES_HEADERS =
            List.of(ALLOW_ORIGIN, ALLOW_METHODS, ALLOW_HEADERS, "Access-Control-Request-Method");

    private final Optional<String> origin;

    @Inject
    public CorsPolicy(WebAdminConfiguration configuration) {
        this(configuration.isEnableCORS() ? Optional.ofNullable(configuration.getUrlCORSOrigin()) : Optional.empty());
    }

    CorsPolicy(Optional<String> configured) {
        this.origin = configured.map(String::trim).filter(named -> !named.isEmpty() && !named.equals("*"));
        if (configured.isPresent() && origin.isEmpty()) {
            LOG.warn(
                    "SMTP Shield: WebAdmin cors.origin={} names no origin: no web page may call WebAdmin",
                    configured.get());
        } else {
            origin.ifPresent(named -> LOG.info("SMTP Shield: WebAdmin allows cross-origin requests from {}", named));
        }
    }

    /** The one origin whose pages may call WebAdmin, if the operator named one. */
    public Optional<String> origin() {
        return origin;
    }

    @Override
    public String getBasePath() {
        return "/";
    }

    @Override
    public void define(Service service) {
        service.afterAfter(this::apply);
    }

    void apply(Request request, Response response) {
        // Jetty removes a header set to null.
        JAMES_HEADERS.forEach(header -> response.raw().setHeader(header, null));
        String from = request.headers("Origin");
        if (from != null && origin.filter(from::equals).isPresent()) {
            response.header(ALLOW_ORIGIN, from);
            response.header(ALLOW_METHODS, "DELETE, GET, POST, PUT");
            response.header(ALLOW_HEADERS, "Content-Type, Authorization, Accept");
        }
        response.header("Vary", "Origin");
    }
}
