package io.github.smtpshield.policy.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a store reported, as "started 203.0.113.5", "lifted ...", "expired ...". */
final class RecordingListener implements BlockListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void blockStarted(Block block) {
        events.add("started " + block.key());
    }

    @Override
    public void blockLifted(Block block) {
        events.add("lifted " + block.key());
    }

    @Override
    public void blockExpired(Block block) {
        events.add("expired " + block.key());
    }
}
