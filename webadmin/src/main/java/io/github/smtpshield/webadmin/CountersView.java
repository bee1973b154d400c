package io.github.smtpshield.webadmin;

import io.github.smtpshield.policy.store.ClientCounters;

/**
 * What the store counts for one client key ({@link ClientCounters}), and whether the address asked about is
 * exempt (an exempt client is never counted, so its counters stay at zero).
 *
 * @param block the active block, or null
 */
public record CountersView(
        String ip,
        boolean exempt,
        int connections,
        int messages,
        int messagesLeft,
        int unknownRecipients,
        BlockView block) {

    static CountersView of(ClientCounters counters, boolean exempt) {
        return new CountersView(
                counters.key().toString(),
                exempt,
                counters.connections(),
                counters.messages(),
                counters.messagesLeft(),
                counters.unknownRecipients(),
                counters.block().map(BlockView::of).orElse(null));
    }
}
