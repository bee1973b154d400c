package io.github.smtpshield.policy.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.smtpshield.policy.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks survive a restart; a damaged block file costs the blocks, never the start. */
class BlockFileTest {

    static final IpPrefix HARVESTER = IpPrefix.parse("203.0.113.5");
    static final IpPrefix NETWORK = IpPrefix.parse("2001:db8:1:2::/64");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T10:00:00Z"));

    MemoryClientStore start(Path file) {
        return MemoryClientStore.builder().clock(clock).blockFile(file).build();
    }

    Path fileWithTwoBlocks() {
        Path file = dir.resolve("var/smtpshield/blocks.tsv");
        MemoryClientStore store = start(file);
        for (int i = 0; i < 11; i++) {
            store.recordUnknownRecipient(HARVESTER, 10, Duration.ofHours(1), Duration.ofHours(1), true);
        }
        store.block(NETWORK, "spam run\tfrom a botnet", Duration.ofDays(1));
        store.close();
        return file;
    }

    @Test
    void blocksSurviveARestart() {
        Instant start = clock.instant();
        Path file = fileWithTwoBlocks();

        clock.advance(Duration.ofMinutes(10));
        MemoryClientStore restarted = start(file);

        assertThat(restarted.blocks()).hasSize(2);
        assertThat(restarted.activeBlock(HARVESTER))
                .contains(new Block(HARVESTER, Block.HARVEST, start, start.plus(Duration.ofHours(1))));
        assertThat(restarted.activeBlock(NETWORK).orElseThrow().reason()).isEqualTo("spam run from a botnet");
        assertThat(restarted.tryConnect(HARVESTER, 10).outcome()).isEqualTo(Admission.Outcome.BLOCKED);
    }

    @Test
    void endedBlocksAreDroppedAtStart() {
        Path file = fileWithTwoBlocks();

        clock.advance(Duration.ofHours(1));

        assertThat(start(file).blocks()).extracting(Block::key).containsExactly(NETWORK);
    }

    @Test
    void aLiftedBlockStaysLifted() {
        Path file = fileWithTwoBlocks();
        start(file).unblock(HARVESTER);

        assertThat(start(file).blocks()).extracting(Block::key).containsExactly(NETWORK);
    }

    @Test
    void theFileIsReplacedWholeAndNoTemporaryFileStays() throws IOException {
        Path file = fileWithTwoBlocks();

        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
        assertThat(Files.readAllLines(file)).hasSize(4).last().isEqualTo("# end 2");
    }

    @Test
    void aMissingFileIsAFirstStart() {
        assertThat(start(dir.resolve("absent/blocks.tsv")).blocks()).isEmpty();
    }

    @Test
    void aGarbageFileIsIgnored() throws IOException {
        Path file = dir.resolve("blocks.tsv");
        Files.writeString(file, "this is not a block file\n");

        MemoryClientStore store = start(file);

        assertThat(store.blocks()).isEmpty();
        store.block(HARVESTER, "manual", Duration.ofHours(1));
        assertThat(start(file).blocks())
                .extracting(Block::key)
                .as("rewritten whole")
                .containsExactly(HARVESTER);
    }

    @Test
    void aBinaryFileIsIgnored() throws IOException {
        Path file = dir.resolve("blocks.tsv");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3, 0x28});

        assertThat(start(file).blocks()).isEmpty();
    }

    @Test
    void aCorruptLineIgnoresTheFile() throws IOException {
        Path file = fileWithTwoBlocks();
        String text = Files.readString(file).replace("203.0.113.5", "203.0.113.500");
        Files.writeString(file, text);

        assertThat(start(file).blocks()).isEmpty();
    }

    @Test
    void aTruncatedFileIsIgnored() throws IOException {
        Path file = fileWithTwoBlocks();
        byte[] whole = Files.readAllBytes(file);

        for (int length : new int[] {0, 10, whole.length / 2, whole.length - "# end 2\n".length(), whole.length - 2}) {
            byte[] cut = new byte[length];
            System.arraycopy(whole, 0, cut, 0, length);
            Files.write(file, cut);
            assertThat(start(file).blocks())
                    .as("cut at %d of %d bytes", length, whole.length)
                    .isEmpty();
        }
    }

    @Test
    void aBlockFileThatCannotBeWrittenLeavesTheBlockInMemory() throws IOException {
        Path notADirectory = dir.resolve("occupied");
        Files.writeString(notADirectory, "a file where the directory should be", StandardCharsets.UTF_8);
        MemoryClientStore store = start(notADirectory.resolve("blocks.tsv"));

        Block block = store.block(HARVESTER, "manual", Duration.ofHours(1)).block();

        assertThat(store.activeBlock(HARVESTER)).contains(block);
    }
}
