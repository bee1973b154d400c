package io.github.smtpshield.webadmin;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.james.webadmin.PublicRoutes;
import spark.Response;
import spark.Service;

/**
 * The dashboard, {@code GET /smtpshield-ui}: one static page of this jar (HTML, a script and a style sheet) that reads
 * and acts through the JSON routes of {@link ShieldRoutes} and {@link StatusRoutes}.
 *
 * <p>The page holds no data, so it is public: a browser cannot send WebAdmin's JWT when it opens a page, and WebAdmin
 * asks for it on every path under a private route's base ({@code /smtpshield/*}), hence a base of its own. The JSON
 * routes stay behind WebAdmin's authentication: the page asks for the token and keeps it in the browser session
 * ({@code sessionStorage}, gone when the tab closes). Its Content-Security-Policy lets it load nothing from outside
 * this server, run no inline script and be framed by no one.
 */
public class DashboardPage implements PublicRoutes {
    public static final String BASE = "/smtpshield-ui";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, Asset> ASSETS = Map.of(
            BASE,
            Asset.of("dashboard.html", "text/html; charset=utf-8"),
            BASE + "/dashboard.js",
            Asset.of("dashboard.js", "text/javascript; charset=utf-8"),
            BASE + "/dashboard.css",
            Asset.of("dashboard.css", "text/css; charset=utf-8"));

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        ASSETS.forEach((path, asset) -> service.get(path, (request, response) -> asset.serve(response)));
    }

    /** A file of the page, read once from the jar. */
    private record Asset(String content, String type) {
        static Asset of(String name, String type) {
            try (InputStream in = DashboardPage.class.getResourceAsStream("dashboard/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks the dashboard's " + name);
                }
                return new Asset(new String(in.readAllBytes(), UTF_8), type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String serve(Response response) {
            response.type(type);
            response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.header("X-Content-Type-Options", "nosniff");
            response.header("Referrer-Policy", "no-referrer");
            response.header("Cache-Control", "no-store");
            return content;
        }
    }
}
