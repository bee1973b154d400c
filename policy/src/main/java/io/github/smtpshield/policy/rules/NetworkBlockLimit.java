package io.github.smtpshield.policy.rules;

import io.github.smtpshield.policy.ClientConnection;
import io.github.smtpshield.policy.Refusal;
import io.github.smtpshield.policy.Reply;
import io.github.smtpshield.policy.SmtpEvent.ClientBlocked;
import io.github.smtpshield.policy.SmtpEvent.Connect;
import io.github.smtpshield.policy.SmtpEvent.SubmissionConnect;
import io.github.smtpshield.policy.config.Durations;
import io.github.smtpshield.policy.config.Mode;
import io.github.smtpshield.policy.config.NetworkBlockSettings;
import io.github.smtpshield.policy.config.RuleElement;
import io.github.smtpshield.policy.net.IpPrefix;
import io.github.smtpshield.policy.store.BanTerms;
import io.github.smtpshield.policy.store.BanVerdict;
import io.github.smtpshield.policy.store.Block;
import io.github.smtpshield.policy.store.ClientStore;
import java.util.Optional;

/**
 * Blocks by network ({@code <bans><networks ipv4Prefix="24" ipv6Prefix="48" blockFor="1h">}). Counts: the client keys
 * of one network blocked at once, as each block starts. Answers: when they reach the limit the network is blocked
 * (reason {@link Block#NETWORK}, escalated by {@link BanEscalation}), and every client of it is refused at connect with
 * {@code 421 4.7.1} on every listener, but those of the exempt networks (this rule leaves them alone). Never wider than
 * /16 or /32: the parser refuses wider prefixes.
 */
public final class NetworkBlockLimit extends Rule {
    public static final RuleElement<NetworkBlockSettings> ELEMENT = new RuleElement<>(
            "bans",
            "networks",
            "blocked clients per network (network blocks)",
            NetworkBlockSettings.READER,
            NetworkBlockSettings.off());
    public static final RuleType<NetworkBlockSettings> TYPE = new RuleType<>(ELEMENT, NetworkBlockLimit::new);

    /** The client's network is blocked. */
    public static final Refusal NETWORK_BLOCKED = new Refusal(
            ELEMENT.name(),
            "network blocked",
            Reply.closing("421", "4.7.1", "Connections from %s are blocked, try again later"));

    private final NetworkBlockSettings settings;
    private final ClientStore store;
    private final BanTerms terms;

    private NetworkBlockLimit(NetworkBlockSettings settings, RuleContext context) {
        super(ELEMENT, settings, NETWORK_BLOCKED);
        this.settings = settings;
        this.store = context.store();
        this.terms = BanEscalation.terms(context.config(), Block.NETWORK, settings.blockFor());
        if (settings.enabled()) {
            judges(Connect.class, (client, event) -> blocked(client));
            judges(SubmissionConnect.class, (client, event) -> blocked(client));
            judges(ClientBlocked.class, this::clientBlocked);
        }
    }

    /** The network a client key belongs to. */
    public IpPrefix network(IpPrefix key) {
        return key.network(settings.ipv4Prefix(), settings.ipv6Prefix());
    }

    /** Whether {@code key} is a network as this rule counts them (the key of a network's block). */
    public boolean isNetwork(IpPrefix key) {
        return key.prefixLength() == (key.ipv4() ? settings.ipv4Prefix() : settings.ipv6Prefix());
    }

    private Optional<Violation> blocked(ClientConnection client) {
        IpPrefix network = network(client.key());
        if (network.equals(client.key())) {
            return Optional.empty(); // clients are counted as wide as networks: their own block is the one
        }
        return store.activeBlock(network)
                .flatMap(
                        block -> Violation.enforced(NETWORK_BLOCKED, " (" + network + " until " + block.until() + ")"));
    }

    private Optional<Violation> clientBlocked(ClientConnection client, ClientBlocked event) {
        IpPrefix network = network(event.block().key());
        if (network.equals(event.block().key())) {
            return Optional.empty();
        }
        BanVerdict verdict = store.recordBlockInNetwork(
                network, event.block(), storeLimit(settings.value()), terms, settings.mode() == Mode.ENFORCE);
        String detail = " (" + network + ": " + settings.value() + " blocked clients";
        return switch (verdict.outcome()) {
            case UNDER_LIMIT, ALREADY_BLOCKED -> Optional.empty();
            case BLOCK_STARTED ->
                Violation.of(
                        NETWORK_BLOCKED,
                        detail + ", blocked for "
                                + Durations.format(verdict.block().orElseThrow().length()) + ")");
            case LIMIT_EXCEEDED -> Violation.of(NETWORK_BLOCKED, detail + ")");
        };
    }
}
