package io.github.smtpshield.policy.store;

import io.github.smtpshield.policy.net.IpPrefix;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocks of a {@link MemoryClientStore}, kept in a small text file so that they survive a restart.
 *
 * <pre>
 * # smtpshield blocks v1: key, reason, since, until (tab-separated, ISO-8601 UTC)
 * 203.0.113.5	HARVEST	2024-05-01T10:00:00Z	2024-05-01T11:00:00Z
 * # end 1
 * </pre>
 *
 * The whole file is rewritten on each change, to a temporary file in the same directory that then replaces
 * it atomically, so a reader sees the old file or the new one. The closing {@code # end <count>} line tells a
 * complete file from a truncated one. A missing file is a first start; an unreadable, corrupt or truncated one
 * is reported in one WARN line and ignored (the server starts with no blocks): never fatal.
 */
final class BlockFile {

    private static final Logger LOG = LoggerFactory.getLogger(BlockFile.class);
    private static final String HEADER =
            "# smtpshield blocks v1: key, reason, since, until (tab-separated, ISO-8601 UTC)";
    private static final String END = "# end ";

    private final Path path;

    BlockFile(Path path) {
        this.path = path.toAbsolutePath();
    }

    /** The blocks of the file still active at {@code now}; none if the file is missing or damaged. */
    List<Block> read(Instant now) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.info("No block file {} yet: starting with no blocks", path);
            return List.of();
        } catch (IOException e) {
            return ignored("unreadable (" + e + ")");
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            return ignored("no '" + HEADER + "' header");
        }
        int count = lines.size() - 2;
        if (count < 0 || !lines.get(lines.size() - 1).equals(END + count)) {
            return ignored("truncated (it does not close with its '" + END + "<count>' line)");
        }
        List<Block> blocks = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            try {
                Block block = parse(lines.get(i));
                if (block.activeAt(now)) {
                    blocks.add(block);
                }
            } catch (RuntimeException e) {
                return ignored(
                        "line " + (i + 1) + " is not 'key TAB reason TAB since TAB until' (" + e.getMessage() + ")");
            }
        }
        LOG.info("Restored {} active blocks from {}", blocks.size(), path);
        return blocks;
    }

    /** Replaces the file with {@code blocks}; a failure is logged and leaves the previous file in place. */
    void write(Collection<Block> blocks) {
        Path temporary = null;
        try {
            Files.createDirectories(path.getParent());
            temporary =
                    Files.createTempFile(path.getParent(), path.getFileName().toString(), ".tmp");
            StringBuilder text = new StringBuilder(HEADER).append('\n');
            for (Block block : blocks) {
                text.append(block.key())
                        .append('\t')
                        .append(block.reason().replaceAll("[\\t\\r\\n]", " "))
                        .append('\t')
                        .append(block.since())
                        .append('\t')
                        .append(block.until())
                        .append('\n');
            }
            text.append(END).append(blocks.size()).append('\n');
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Could not write block file {}: {}; blocks stay in memory only until the next change",
                    path,
                    e.toString());
            deleteQuietly(temporary);
        }
    }

    private static Block parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException(fields.length + " fields");
        }
        return new Block(IpPrefix.parse(fields[0]), fields[1], Instant.parse(fields[2]), Instant.parse(fields[3]));
    }

    private List<Block> ignored(String problem) {
        LOG.warn("Ignoring block file {}: {}; starting with no blocks", path, problem);
        return List.of();
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // the WARN above already says the write failed; a stray .tmp file is harmless
        }
    }
}
