package io.github.smtpshield.webadmin;

import com.google.inject.Inject;
import io.github.smtpshield.policy.Shield;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import spark.Service;

/**
 * The operator console's JSON routes ({@code bin/smtp-shield status} and the dashboard), listed in
 * {@code conf/webadmin.properties} beside {@link ShieldRoutes}, behind WebAdmin's authentication like them:
 * <ul>
 *   <li>{@code GET /smtpshield/status}: each rule on/observe/off with its refusals of the last hour, the store's
 *       health, the number of active blocks, the top {@value StatusView#TOP_CLIENTS} clients by refusals
 *       ({@link StatusView}).</li>
 *   <li>{@code GET /smtpshield/refusals}: the refusals per rule per minute over the last hour
 *       ({@link RefusalsView}).</li>
 * </ul>
 * The counts are this node's (a cluster's nodes each keep their own), in memory since the node started.
 */
public class StatusRoutes implements Routes {
    static final String STATUS = ShieldRoutes.BASE + "/status";
    static final String REFUSALS = ShieldRoutes.BASE + "/refusals";

    private final Shield shield;
    private final JsonTransformer json;

    @Inject
    public StatusRoutes(Shield shield, JsonTransformer json) {
        this.shield = shield;
        this.json = json;
    }

    @Override
    public String getBasePath() {
        return ShieldRoutes.BASE;
    }

    @Override
    public void define(Service service) {
        service.get(STATUS, (request, response) -> json.render(StatusView.of(shield)));
        service.get(REFUSALS, (request, response) -> json.render(RefusalsView.of(shield.refusals())));
    }
}
