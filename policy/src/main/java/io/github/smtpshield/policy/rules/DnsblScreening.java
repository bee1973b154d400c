package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SessionState;
import io.github.smtpshield.policy.ShieldMetrics;
import io.github.smtpshield.policy.SmtpEvent;
import io.github.smtpshield.policy.SmtpEvent.Connect;
import io.github.smtpshield.policy.SmtpEvent.MailFrom;
import io.github.smtpshield.policy.SmtpEvent.Recipient;
import io.github.smtpshield.policy.config.DnsblSettings;
import io.github.smtpshield.policy.config.DnsblZone;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.dns.DnsAnswer;
import io.github.smtpshield.policy.dns.DnsClient;
import io.github.smtpshield.policy.dns.DnsblQuery;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.ClientStore;
import io.github.smtpshield.policy.store.StoreUnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Type;

/**
 * Connection screening against DNS blocklists and allowlists, with weights ({@code <screening><dnsbl>}), as Postfix's
 * postscreen does it. Looks up: at connect, the client's address in every zone at once, while the greeting and EHLO go
 * on (not at all when the pass cache remembers the address); its score is the sum of the weights of the zones that
 * answered a counting code. Answers every MAIL FROM and RCPT TO of a client scoring at least the threshold:
 * {@code 550 5.7.1 Service unavailable; client [ip] blocked using <zones>}. A zone that times out or fails counts 0:
 * DNS trouble never refuses anyone.
 */
public final class DnsblScreening extends Rule {
    public static final RuleElement<DnsblSettings> ELEMENT = new RuleElement<>(
            "screening",
            "dnsbl",
            "screen clients against DNS blocklists (DNSBL) and allowlists",
            DnsblSettings.READER,
            DnsblSettings.off());
    public static final RuleType<DnsblSettings> TYPE = new RuleType<>(ELEMENT, DnsblScreening::new);

    /** The client scored the threshold or more: its reply names the zones that counted ({@link #listedIn}). */
    public static final Refusal LISTED = listedIn(List.of("<zones>"));

    /** How a screening ended, as the metrics and {@code GET /smtpshield/screening/{ip}} tell it. */
    public enum Outcome {
        /** Scored the threshold or more: refused. */
        BLOCKED,
        /** Looked up, scored below the threshold: remembered in the pass cache. */
        PASSED,
        /** Not looked up: the pass cache remembered the address. */
        CACHED
    }

    /**
     * One client's screening.
     *
     * @param score   the sum of the weights of the zones that counted
     * @param counted the zones that counted, in the file's order
     * @param failed  the zones whose lookup timed out or failed (counted 0)
     * @param outcome blocked, passed, or answered from the pass cache (then {@code counted} and {@code failed} are
     *     empty, and the score is the cached one)
     */
    public record Result(int score, List<String> counted, List<String> failed, Outcome outcome) {
        public Result {
            counted = List.copyOf(counted);
            failed = List.copyOf(failed);
        }
    }

    private static final SessionState<AtomicReference<CompletableFuture<Result>>> SCREENING =
            SessionState.of(AtomicReference::new);

    private final DnsblSettings settings;
    private final ClientStore store;
    private final DnsClient dns;
    private final ShieldMetrics metrics;
    private final Duration timeout;

    private DnsblScreening(DnsblSettings settings, RuleContext context) {
        super(ELEMENT, settings, LISTED);
        this.settings = settings;
        this.store = context.store();
        // The zones are the operator's, not a client's choice: their lookups count against no client's DNS share
        this.dns = context.dns().resolver();
        this.metrics = context.metrics();
        this.timeout = context.config().dns().timeout();
        if (settings.enabled()) {
            judges(Connect.class, this::connect);
            looksUp(MailFrom.class, this::verdict);
            looksUp(Recipient.class, this::verdict);
        }
    }

    /** The refusal of a client listed in {@code zones}. */
    public static Refusal listedIn(List<String> zones) {
        return new Refusal(
                ELEMENT.name(),
                "client listed in DNS blocklists",
                Reply.of("550", "5.7.1", "Service unavailable; client [%s] blocked using " + String.join(", ", zones)));
    }

    private Optional<Violation> connect(ClientConnection client, Connect event) {
        client.state(SCREENING).set(screen(client.address(), true));
        return Optional.empty();
    }

    private CompletableFuture<Optional<Violation>> verdict(ClientConnection client, SmtpEvent event) {
        return client.state(SCREENING)
                .updateAndGet(started -> started != null ? started : screen(client.address(), true))
                .thenApply(result -> result.outcome() == Outcome.BLOCKED
                        ? Violation.of(
                                listedIn(result.counted()),
                                " (score " + result.score() + ", threshold " + settings.threshold() + ": "
                                        + String.join(", ", result.counted()) + ")")
                        : Optional.empty());
    }

    /**
     * Screens the address: from the pass cache, or in every zone at once. Completes normally within the
     * {@code <dns timeout>}.
     *
     * @param remember whether a pass goes into the pass cache (not for an operator's look)
     */
    public CompletableFuture<Result> screen(InetAddress address, boolean remember) {
        IpPrefix host = IpPrefix.host(address);
        OptionalInt cached = cachedPass(host);
        if (cached.isPresent()) {
            metrics.screening("screening", "cached");
            return CompletableFuture.completedFuture(
                    new Result(cached.getAsInt(), List.of(), List.of(), Outcome.CACHED));
        }
        List<CompletableFuture<DnsAnswer>> answers = settings.zones().stream()
                .map(zone -> dns.lookup(DnsblQuery.of(address, zone.name()), Type.A)
                        .completeOnTimeout(DnsAnswer.timeout(), timeout.toNanos(), TimeUnit.NANOSECONDS))
                .toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture<?>[]::new))
                .thenApply(done ->
                        score(answers.stream().map(CompletableFuture::join).toList()))
                .thenApply(result -> {
                    metrics.screening("screening", result.outcome().name().toLowerCase(Locale.ROOT));
                    if (remember && result.outcome() == Outcome.PASSED) {
                        rememberPass(host, result.score());
                    }
                    return result;
                });
    }

    private Result score(List<DnsAnswer> answers) {
        int score = 0;
        List<String> counted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            DnsblZone zone = settings.zones().get(i);
            DnsAnswer answer = answers.get(i);
            if (answer.isTemporary()) {
                failed.add(zone.name());
                metrics.screening("zone_" + zone.name(), "failed");
            } else if (answer.records().stream()
                    .anyMatch(record -> record instanceof ARecord a
                            && zone.counts(a.getAddress().getAddress()))) {
                score += zone.weight();
                counted.add(zone.name());
                metrics.screening("zone_" + zone.name(), "listed");
            } else {
                metrics.screening("zone_" + zone.name(), "unlisted");
            }
        }
        return new Result(score, counted, failed, score >= settings.threshold() ? Outcome.BLOCKED : Outcome.PASSED);
    }

    /** A store that cannot answer means a lookup, never a refusal. */
    private OptionalInt cachedPass(IpPrefix host) {
        try {
            return store.screeningPass(host);
        } catch (StoreUnavailableException e) {
            return OptionalInt.empty();
        }
    }

    private void rememberPass(IpPrefix host, int score) {
        try {
            store.rememberScreeningPass(host, score, settings.passCacheTtl());
        } catch (StoreUnavailableException e) {
            // the next connection is looked up again: a cost, not a risk
        }
    }
}
