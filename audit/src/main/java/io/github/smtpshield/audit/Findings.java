package io.github.smtpshield.audit;

import java.util.ArrayList;
import java.util.List;

/** The findings of one audit, in the order the items add them. */
final class Findings {
    private final List<Finding> found = new ArrayList<>();

    void add(Verdict verdict, String item, String detail, String file, String element) {
        found.add(new Finding(verdict, item, detail, file, element));
    }

    List<Finding> toList() {
        return List.copyOf(found);
    }
}
