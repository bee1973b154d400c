package io.github.smtpshield.webadmin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.inject.Inject;
import io.github.smtpshield.policy.ExemptClientException;
import io.github.smtpshield.policy.OperatorTarget;
import io.github.smtpshield.policy.Shield;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.rules.DnsblScreening;
import io.github.smtpshield.policy.store.BlockChange;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.ErrorResponder.ErrorType;
import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.apache.james.webadmin.utils.Responses;
import org.eclipse.jetty.http.HttpStatus;
import spark.HaltException;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The shield's WebAdmin routes, listed in {@code conf/webadmin.properties}:
 * <pre>extensions.routes=io.github.smtpshield.webadmin.ShieldRoutes</pre>
 * <ul>
 *   <li>{@code GET /smtpshield/blocked}: the active blocks, oldest first:
 *       {@code [{ip, reason, since, until, length, offences}]} (a network's block too: its {@code ip} is its CIDR).</li>
 *   <li>{@code PUT /smtpshield/blocked/{ip}}: an operator's block, {@code reason} and {@code duration} (such as
 *       {@code 2h}) from a JSON body or the query, by default {@code manual} for the harvest rule's
 *       {@code blockFor}; 201 with the block (200 when it replaced one), 409 for an exempt address.</li>
 *   <li>{@code DELETE /smtpshield/blocked/{ip}}: lifts the block at once (204), 404 when there was none.</li>
 *   <li>{@code GET /smtpshield/counters/{ip}}: what the store counts for the ip's client key.</li>
 *   <li>{@code GET /smtpshield/locked}: the active account locks ({@code <bans><accountAuthFailures>}), oldest first:
 *       {@code [{account, since, until}]}.</li>
 *   <li>{@code DELETE /smtpshield/locked/{name}}: lifts the login name's lock (case-folded) at once (204), 404 when it
 *       has none, 400 for a name with spaces or control characters.</li>
 *   <li>{@code GET /smtpshield/policy}: the effective {@code smtpshield.xml}.</li>
 *   <li>{@code GET /smtpshield/screening/{ip}}: the DNSBL screening of one address as a client connecting from it
 *       would get it now: {@code {ip, score, threshold, listed, zones, failed, fromPassCache}}; 404 when the screening
 *       is off. A pass found so is not cached.</li>
 * </ul>
 * {@code {ip}} is an address or a CIDR ({@code 203.0.113.0/24}, its slash as is or as {@code %2F}), grouped
 * like the clients are counted (IPv4 /32 and IPv6 /64 by default). It is read as a literal, never looked up in
 * DNS; anything else gets {@code 400} with James's JSON error. A request body over 64 KiB gets {@code 413}, read no
 * further.
 */
public class ShieldRoutes implements Routes {
    public static final String BASE = "/smtpshield";
    static final String BLOCKED = BASE + "/blocked";
    static final String LOCKED = BASE + "/locked";
    static final String COUNTERS = BASE + "/counters";
    static final String POLICY = BASE + "/policy";
    static final String SCREENING = BASE + "/screening";

    /** The reason of an operator's block that gives none. */
    static final String DEFAULT_REASON = "manual";
    /** No block is for ever: an operator's block lasts at most a year. */
    static final Duration LONGEST_BLOCK = Duration.ofDays(365);

    static final int LONGEST_REASON = 200;
    /** The largest request body the routes read: a block's reason and duration take a few hundred bytes. */
    static final int LARGEST_BODY = 64 * 1024;

    private static final String ADDRESS = "address";
    private static final String ACCOUNT = "account";
    private static final String PREFIX = "prefix";

    private final Shield shield;
    private final JsonTransformer json;
    private final JsonExtractor<BlockRequest> blockRequests = new JsonExtractor<>(BlockRequest.class);

    @Inject
    public ShieldRoutes(Shield shield, JsonTransformer json) {
        this.shield = shield;
        this.json = json;
    }

    @Override
    public String getBasePath() {
        return BASE;
    }

    @Override
    public void define(Service service) {
        // Declared too large: refused before anything reads it (a body of unknown length is bounded as it is read).
        service.before(BASE + "/*", (request, response) -> {
            if (request.contentLength() > LARGEST_BODY) {
                throw tooLarge();
            }
        });
        service.get(BLOCKED, (request, response) -> render(blocks()));
        // A CIDR's slash may come as is (two path segments) or encoded as %2F (one).
        for (String ip : List.of("/:" + ADDRESS, "/:" + ADDRESS + "/:" + PREFIX)) {
            service.put(BLOCKED + ip, this::block);
            service.delete(BLOCKED + ip, this::unblock);
            service.get(COUNTERS + ip, (request, response) -> render(counters(target(request))));
        }
        service.get(LOCKED, (request, response) -> render(locks()));
        service.delete(LOCKED + "/:" + ACCOUNT, this::unlock);
        service.get(POLICY, (request, response) -> render(shield.policyView()));
        service.get(SCREENING + "/:" + ADDRESS, (request, response) -> render(screening(request)));
        // A shared store (Redis) that cannot answer is a passing condition of the server, not a bug: 503, no trace.
        service.exception(StoreUnavailableException.class, (e, request, response) -> {
            response.status(HttpStatus.SERVICE_UNAVAILABLE_503);
            response.type("application/json");
            response.body(ErrorResponder.builder()
                    .statusCode(HttpStatus.SERVICE_UNAVAILABLE_503)
                    .type(ErrorType.SERVER_ERROR)
                    .message("The per-IP store is unavailable: " + e.getMessage())
                    .asString());
        });
    }

    /** Happens only once a request has been answered; a client error halts before. */
    private String render(Object view) throws JsonProcessingException {
        return json.render(view);
    }

    private List<BlockView> blocks() {
        return shield.blocks().stream().map(BlockView::of).toList();
    }

    private List<LockView> locks() {
        return shield.accountLocks().stream().map(LockView::of).toList();
    }

    private String unlock(Request request, Response response) {
        String name = request.params(ACCOUNT);
        boolean lifted;
        try {
            lifted = shield.unlock(name);
        } catch (IllegalArgumentException e) {
            throw error(400, ErrorType.INVALID_ARGUMENT, e.getMessage());
        }
        if (!lifted) {
            throw error(404, ErrorType.NOT_FOUND, "'" + Shield.caseFolded(name) + "' is not locked");
        }
        return Responses.returnNoContent(response);
    }

    private String block(Request request, Response response) throws JsonProcessingException {
        OperatorTarget target = target(request);
        BlockRequest body = body(request);
        String reason = reason(single("reason", body.reason(), request).orElse(DEFAULT_REASON));
        Duration duration = single("duration", body.duration(), request)
                .map(ShieldRoutes::duration)
                .orElse(shield.defaultBlockDuration());
        BlockChange change;
        try {
            change = shield.block(target, reason, duration);
        } catch (ExemptClientException e) {
            throw error(409, ErrorType.WRONG_STATE, e.getMessage());
        }
        response.status(change.replaced() ? 200 : 201);
        return render(BlockView.of(change.block()));
    }

    private String unblock(Request request, Response response) {
        OperatorTarget target = target(request);
        if (!shield.unblock(target)) {
            throw error(404, ErrorType.NOT_FOUND, target.key() + " is not blocked");
        }
        return Responses.returnNoContent(response);
    }

    private CountersView counters(OperatorTarget target) {
        return CountersView.of(shield.counters(target), target.exempt());
    }

    private ScreeningView screening(Request request) {
        String ip = request.params(ADDRESS);
        InetAddress address = IpPrefix.address(ip)
                .orElseThrow(() -> error(400, ErrorType.INVALID_ARGUMENT, "not an IP address: '" + ip + "'"));
        CompletableFuture<DnsblScreening.Result> screening = shield.screening(address)
                .orElseThrow(() -> error(404, ErrorType.NOT_FOUND, "the DNSBL screening is off (<screening><dnsbl>)"));
        DnsblScreening.Result result = screening.join(); // within the <dns timeout>: each zone is bounded by it
        return ScreeningView.of(
                address.getHostAddress(),
                result,
                shield.config().rule(DnsblScreening.ELEMENT).threshold());
    }

    /** The operator target of the path's {@code {ip}}: the client key, and whether the address as written is exempt. */
    private OperatorTarget target(Request request) {
        String text = request.params(ADDRESS)
                + Optional.ofNullable(request.params(PREFIX))
                        .map(prefix -> "/" + prefix)
                        .orElse("");
        try {
            return shield.target(text);
        } catch (IllegalArgumentException e) {
            throw error(400, ErrorType.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private BlockRequest body(Request request) {
        String body = boundedBody(request);
        if (body == null || body.isBlank()) {
            return BlockRequest.NONE;
        }
        try {
            BlockRequest parsed = blockRequests.parse(body);
            return parsed == null ? BlockRequest.NONE : parsed;
        } catch (JsonExtractException e) {
            String problem =
                    Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse(String.valueOf(e.getMessage()));
            throw error(
                    400,
                    ErrorType.INVALID_ARGUMENT,
                    "the body must be {\"reason\": \"...\", \"duration\": \"1h\"}, both optional: "
                            + problem.lines().findFirst().orElse(""));
        }
    }

    /** The body, read up to {@link #LARGEST_BODY} bytes; more is {@code 413}. */
    private static String boundedBody(Request request) {
        try (InputStream in = request.raw().getInputStream()) {
            byte[] body = in.readNBytes(LARGEST_BODY + 1);
            if (body.length > LARGEST_BODY) {
                throw tooLarge();
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw error(400, ErrorType.INVALID_ARGUMENT, "the body could not be read: " + e.getMessage());
        }
    }

    private static HaltException tooLarge() {
        return error(
                HttpStatus.PAYLOAD_TOO_LARGE_413,
                ErrorType.INVALID_ARGUMENT,
                "the request body is over " + LARGEST_BODY + " bytes");
    }

    /** A field given once, in the body or in the query. */
    private static Optional<String> single(String name, String fromBody, Request request) {
        String[] fromQuery =
                Optional.ofNullable(request.queryParamsValues(name)).orElse(new String[0]);
        if (fromQuery.length + (fromBody == null ? 0 : 1) > 1) {
            throw error(
                    400,
                    ErrorType.INVALID_ARGUMENT,
                    "'" + name + "' is given more than once (in the body or the query)");
        }
        return fromBody != null
                ? Optional.of(fromBody)
                : Arrays.stream(fromQuery).findFirst();
    }

    private static String reason(String reason) {
        String stripped = reason.strip();
        if (stripped.isEmpty()
                || stripped.length() > LONGEST_REASON
                || stripped.chars().anyMatch(Character::isISOControl)) {
            throw error(
                    400,
                    ErrorType.INVALID_ARGUMENT,
                    "'reason' must be 1 to " + LONGEST_REASON + " characters without control characters");
        }
        return stripped;
    }

    private static Duration duration(String text) {
        Duration duration;
        try {
            duration = Durations.parse(text.strip());
        } catch (IllegalArgumentException e) {
            throw error(400, ErrorType.INVALID_ARGUMENT, "'duration': " + e.getMessage());
        }
        if (duration.isZero() || duration.compareTo(LONGEST_BLOCK) > 0) {
            throw error(
                    400,
                    ErrorType.INVALID_ARGUMENT,
                    "'duration' must be more than 0 and at most " + Durations.format(LONGEST_BLOCK) + ": '" + text
                            + "'");
        }
        return duration;
    }

    private static HaltException error(int status, ErrorType type, String message) {
        return ErrorResponder.builder()
                .statusCode(status)
                .type(type)
                .message(message)
                .haltError();
    }

    /** The optional body of a PUT: {@code {"reason": "spam run", "duration": "2h"}}. */
    public record BlockRequest(String reason, String duration) {
        static final BlockRequest NONE = new BlockRequest(null, null);
    }
}
